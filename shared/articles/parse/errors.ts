/**
 * Why an input could not become an article. The code is what ingest records next to the
 * rejected input (and what an upload endpoint returns), so it must stay stable; the
 * message is for people and may change.
 */
export type RejectionCode =
  | 'empty-input'
  | 'too-large'
  | 'field-too-long'
  | 'not-utf8'
  | 'unrecognized-format'
  | 'invalid-json-article'
  | 'invalid-ninjs'
  | 'invalid-xml'
  | 'not-a-story'
  | 'empty-feed'
  | 'too-many-items'
  | 'missing-headline'
  | 'missing-published-at'
  | 'invalid-date'
  | 'empty-body'
  | 'nesting-too-deep';

/** One problem at one place in a structured input, e.g. a JSON article field. */
export interface RejectionIssue {
  /** Dotted path into the input, `''` for the input as a whole (e.g. `comments.2.postedAt`). */
  path: string;
  message: string;
}

/** Extra, JSON-serializable facts about a rejection: the issues found, or a few named values. */
export type RejectionDetails = readonly RejectionIssue[] | Readonly<Record<string, string | number | boolean | null>>;

/** Thrown by every parser for every input it cannot turn into an article; nothing else is thrown for bad input. */
export class ArticleRejectedError extends Error {
  readonly code: RejectionCode;
  readonly details?: RejectionDetails;

  constructor(code: RejectionCode, message: string, details?: RejectionDetails, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ArticleRejectedError';
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}
