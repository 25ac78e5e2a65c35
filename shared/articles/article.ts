/**
 * The normalized article: what every input format is parsed into, what is stored at
 * `articles/<id>.json`, and (with `counts`) what `GET /articles/{id}` returns. Each shape is
 * defined once, as the schema the index parses stored items with (see indexed-article-schema);
 * the types are the schemas' outputs.
 *
 * The objects inside the article are defined in article-parts, and their types re-exported here.
 */
import * as z from '../validation';
import { bylineSchema, embeddedCommentSchema, embeddedPollSchema, photoSchema } from './article-parts';
import type { ArticleCounts } from './article-shapes';

export type { Byline, EmbeddedComment, EmbeddedPoll, Photo } from './article-parts';

const nullableString = z.nullable(z.string());

/** `ninjs`: an IPTC ninjs item; `rss-item` and `atom-item`: one item of a feed. */
export const SOURCE_FORMATS = ['text-page', 'html-page', 'json-article', 'ninjs', 'rss-item', 'atom-item'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** What a parser extracts from one input, before identity and hashing are assigned. */
export const parsedArticleSchema = z.object({
  format: z.enum(SOURCE_FORMATS),
  headline: z.string(),
  subheadline: nullableString,
  byline: bylineSchema,
  /** ISO-8601 UTC with milliseconds, e.g. `2014-03-14T17:34:00.000Z`. */
  publishedAt: z.string(),
  photo: z.nullable(photoSchema),
  /** Paragraphs of the story, without lead-in and page furniture. */
  body: z.array(z.string()),
  /** Outlets the story cites, in order of first mention, without duplicates. */
  sources: z.array(z.string()),
  poll: z.nullable(embeddedPollSchema),
  comments: z.array(embeddedCommentSchema),
  /** The total the page claims ("Showing 3 of 60 comments"), which may exceed the embedded ones. */
  commentTotal: z.nullable(z.number()),
  /** A canonical URL or id the input names, which then defines the story's identity. */
  canonicalUrl: nullableString,
  /**
   * The story's language as its source states it (BCP 47, e.g. `de`, `nb-NO`). Absent rather than
   * null when unstated, so the content hash of an input that never states one is what it was
   * before languages were read.
   */
  language: z.optional(z.string()),
});
export type ParsedArticle = z.output<typeof parsedArticleSchema>;

/** The parsed article with its identity and hash; its fields in the order `articles/<id>.json` lists them. */
export const normalizedArticleSchema = z.object({
  id: z.string(),
  slug: z.string(),
  /** SHA-256 of the parsed content: equal hashes mean nothing changed. */
  contentHash: z.string(),
  schemaVersion: z.literal(1),
  ...parsedArticleSchema.shape,
});
export type NormalizedArticle = z.output<typeof normalizedArticleSchema>;

export const ZERO_COUNTS: ArticleCounts = Object.freeze({ comments: 0, votes: 0, errorReports: 0 });
