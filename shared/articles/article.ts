/**
 * The normalized article: what every input format is parsed into, what is stored at
 * `articles/<id>.json`, and (with `counts`) what `GET /articles/{id}` returns.
 */
export type SourceFormat = 'text-page' | 'html-page' | 'json-article';

export interface Byline {
  authors: string[];
  /** The publishing organization named in the byline (`Newser` in "Newser Staff"), if any. */
  organization: string | null;
}

export interface Photo {
  caption: string | null;
  /** Agency and photographer, e.g. `AP Photo/Teresa Vang, File`. */
  credit: string | null;
}

/** A reader comment embedded in a page, imported with its original time. */
export interface EmbeddedComment {
  /** ISO-8601 UTC. */
  postedAt: string;
  body: string;
  author: string | null;
}

export interface EmbeddedPoll {
  question: string;
  options: string[];
}

/** What a parser extracts from one input, before identity and hashing are assigned. */
export interface ParsedArticle {
  format: SourceFormat;
  headline: string;
  subheadline: string | null;
  byline: Byline;
  /** ISO-8601 UTC with milliseconds, e.g. `2014-03-14T17:34:00.000Z`. */
  publishedAt: string;
  photo: Photo | null;
  /** Paragraphs of the story, without lead-in and page furniture. */
  body: string[];
  /** Outlets the story cites, in order of first mention, without duplicates. */
  sources: string[];
  poll: EmbeddedPoll | null;
  comments: EmbeddedComment[];
  /** The total the page claims ("Showing 3 of 60 comments"), which may exceed the embedded ones. */
  commentTotal: number | null;
  /** A canonical URL or id the input names, which then defines the story's identity. */
  canonicalUrl: string | null;
}

export interface NormalizedArticle extends ParsedArticle {
  id: string;
  slug: string;
  /** SHA-256 of the parsed content: equal hashes mean nothing changed. */
  contentHash: string;
  schemaVersion: 1;
}

export interface ArticleCounts {
  comments: number;
  votes: number;
  errorReports: number;
}

export const ZERO_COUNTS: ArticleCounts = Object.freeze({ comments: 0, votes: 0, errorReports: 0 });
