/**
 * The objects an article holds (byline, photo, embedded comments and poll), each defined once as
 * a schema; the types are the schemas' outputs. A module of their own, so that a reader of one
 * part (the comment stream reads the embedded comments) does not build the article's schemas.
 *
 * They are strict: they are only ever written from these very shapes, so an unknown field in one
 * is damage to report, and the responses that pass them on must not carry one. The article itself
 * is not (see `indexedArticleSchema`).
 */
import * as z from '../validation';

const nullableString = z.nullable(z.string());

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
