/**
 * The normalized article: what every input format is parsed into, what is stored at
 * `articles/<id>.json`, and (with `counts`) what `GET /articles/{id}` returns. Each shape is
 * defined once, as the schema the index parses stored items with (see indexed-article-schema);
 * the types are the schemas' outputs.
 *
 * Objects inside the article are strict: they are only ever written from these very shapes, so
 * an unknown field in one is damage to report, and the responses that pass them on must not carry
 * one. The article itself is not (see `indexedArticleSchema`).
 */
import * as z from '../validation';
import type { ArticleCounts } from './article-shapes';

const nullableString = z.nullable(z.string());

export const SOURCE_FORMATS = ['text-page', 'html-page', 'json-article'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

export const bylineSchema = z.strictObject({
  authors: z.array(z.string()),
  /** The publishing organization named in the byline (`Newser` in "Newser Staff"), if any. */
  organization: nullableString,
});
export type Byline = z.output<typeof bylineSchema>;

export const photoSchema = z.strictObject({
  caption: nullableString,
  /** Agency and photographer, e.g. `AP Photo/Teresa Vang, File`. */
  credit: nullableString,
});
export type Photo = z.output<typeof photoSchema>;

/** A reader comment embedded in a page, imported with its original time. */
export const embeddedCommentSchema = z.strictObject({
  /** ISO-8601 UTC. */
  postedAt: z.string(),
  body: z.string(),
  author: nullableString,
});
export type EmbeddedComment = z.output<typeof embeddedCommentSchema>;

export const embeddedPollSchema = z.strictObject({ question: z.string(), options: z.array(z.string()) });
export type EmbeddedPoll = z.output<typeof embeddedPollSchema>;

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
