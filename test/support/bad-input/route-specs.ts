/**
 * What the bad-input suite knows about each route beyond its topology entry: one valid request
 * (which must succeed, so every case one defect away from it is a near miss) and, per query
 * parameter and body field, the values the route must refuse. Routes are keyed
 * `METHOD /path` as in the topology; path parameters are known by name (see PATH_PARAMETERS).
 */
import * as fc from 'fast-check';
import { INGEST_MEDIA_TYPES } from '../../../shared/articles/article-schemas';
import { ARTICLE_ID_PATTERN } from '../../../shared/articles/identity';
import { COMMENT_ID_PATTERN, EDITOR_DECISIONS, FLAG_REASONS, QUEUE_STATUSES } from '../../../shared/comments/comment';
import { COMMENT_TEXT_LIMITS } from '../../../shared/comments/text';
import { REPORT_TEXT_LIMITS } from '../../../shared/error-reports/input';
import { ERROR_REPORT_CATEGORIES, ERROR_REPORT_STATUSES } from '../../../shared/error-reports/report';
import { REPORT_ID_PATTERN } from '../../../shared/error-reports/report-id';
import { BAN_REASON_LIMITS } from '../../../shared/identity/ban-schemas';
import { READER_ID_PATTERN } from '../../../shared/identity/reader-token';
import { LIMITS } from '../../../shared/limits';
import type { FieldSpec } from './hostile-bodies';
import { badCleanedText, badCommentText, badEmail, notMatching } from './hostile-text';
import { badLimit, badSince, badUntil, notOneOf } from './hostile-values';

/** Ids and cursors the suite's setup created, so cases can be one defect from a real request. */
export interface Fixtures {
  articleId: string;
  commentId: string;
  /** Comments the suite's own reader posted: theirs to change and to delete. */
  ownCommentIds: { edit: string; remove: string };
  reportId: string;
  /** Every article id that exists, so "unknown" ids never collide with one. */
  articleIds: readonly string[];
  pollOptions: readonly string[];
  /** The reader the ban routes act on: not the suite's own, whose writes must keep succeeding. */
  readerId: string;
  /** Real cursors by route key, to be tampered with. */
  cursors: Readonly<Record<string, readonly string[]>>;
}

export interface PathParameter {
  pattern: RegExp;
  existing(f: Fixtures): string;
  /**
   * Well-formed ids of nothing: the route must answer 404. Absent where every well-formed id names
   * something: any reader id can be banned (anonymous readers are stored nowhere).
   */
  unknown?(f: Fixtures): fc.Arbitrary<string>;
}

/** Path parameters by name; a route with a parameter not listed here fails the suite. */
export const PATH_PARAMETERS: Record<string, PathParameter> = {
  articleId: {
    pattern: ARTICLE_ID_PATTERN,
    existing: (f) => f.articleId,
    unknown: (f) => fc.stringMatching(ARTICLE_ID_PATTERN).filter((id) => !f.articleIds.includes(id)),
  },
  commentId: {
    pattern: COMMENT_ID_PATTERN,
    existing: (f) => f.commentId,
    unknown: (f) =>
      fc.oneof(
        fc.stringMatching(COMMENT_ID_PATTERN),
        // Another comment on a story that exists: the comment id names its story.
        fc.stringMatching(/^[0-9a-f]{24}$/).map((suffix) => `${f.articleId}.${suffix}`),
      ),
  },
  reportId: {
    pattern: REPORT_ID_PATTERN,
    existing: (f) => f.reportId,
    unknown: () => fc.stringMatching(REPORT_ID_PATTERN),
  },
  readerId: { pattern: READER_ID_PATTERN, existing: (f) => f.readerId },
};

export interface JsonBodySpec {
  kind: 'json';
  valid: Record<string, unknown>;
  fields: Record<string, FieldSpec>;
}

/** A route that takes a document (page or article) of one of `accepted` media types. */
export interface DocumentBodySpec {
  kind: 'document';
  valid: Buffer;
  contentType: string;
  accepted: readonly string[];
  capBytes: number;
}

export interface RouteSpec {
  /** The route reads nothing from the request (a static document): there is nothing to make malformed. */
  takesNoInput?: true;
  query?: { valid: Record<string, string>; invalid: Record<string, fc.Arbitrary<string>> };
  body?: JsonBodySpec | DocumentBodySpec;
  /** Headers the route reads, with the values it must refuse. */
  headers?: Record<string, fc.Arbitrary<string>>;
  /** Path parameters of the valid request that differ from the fixtures' defaults. */
  params?: Record<string, string>;
}

const text = (invalid: fc.Arbitrary<unknown>, required = true, nullable = false): FieldSpec => ({
  type: 'string',
  required,
  nullable,
  invalid,
});

const page = (max: number = LIMITS.pageSize.max) => ({ limit: badLimit(max), cursor: fc.constant('') });

/** Visible ASCII is all an idempotency key may hold; Node's client can send Latin-1 too, which must be refused. */
const badIdempotencyKey = fc.oneof(
  fc.constant(''),
  fc.integer({ min: 256, max: 2000 }).map((n) => 'k'.repeat(n)),
  fc.constantFrom('a b', 'a\tb', 'caf\u00e9', '\u00ff\u00fe', 'key\u00a0value'),
);

export function routeSpecs(f: Fixtures, sample: { storyText: string }): Record<string, RouteSpec> {
  return {
    'GET /articles': {
      query: { valid: { limit: '1' }, invalid: { ...page(), sort: notOneOf(['newest', 'votes']) } },
    },
    'GET /articles/{articleId}': {},
    'POST /articles/{articleId}/error-reports': {
      body: {
        kind: 'json',
        valid: {
          category: 'typo',
          description: "The second paragraph misspells the archivist's name.",
          quote: 'Okafor',
          contact: 'bad-input-suite@example.org',
        },
        fields: {
          category: text(notOneOf(ERROR_REPORT_CATEGORIES)),
          description: text(badCleanedText(REPORT_TEXT_LIMITS.description.min, REPORT_TEXT_LIMITS.description.max)),
          quote: text(badCleanedText(REPORT_TEXT_LIMITS.quote.min, REPORT_TEXT_LIMITS.quote.max), false, true),
          contact: text(badEmail(), false, true),
        },
      },
    },
    'POST /articles/{articleId}/comments': {
      headers: { 'idempotency-key': badIdempotencyKey },
      body: {
        kind: 'json',
        valid: {
          author: 'Bad Input Suite',
          body: 'A reply that the suite posts only once, at the end.',
          parentId: f.commentId,
        },
        fields: {
          author: text(badCommentText(COMMENT_TEXT_LIMITS.author.max, false)),
          body: text(badCommentText(COMMENT_TEXT_LIMITS.body.max, true)),
          parentId: text(notMatching(COMMENT_ID_PATTERN, f.commentId), false, true),
        },
      },
    },
    'GET /articles/{articleId}/comments': {
      query: { valid: { limit: '1' }, invalid: { ...page(), sort: notOneOf(['newest', 'oldest', 'top']) } },
    },
    'GET /comments/{commentId}/replies': { query: { valid: { limit: '1' }, invalid: page() } },
    'POST /comments/{commentId}/votes': {
      body: {
        kind: 'json',
        valid: { value: 1 },
        fields: {
          value: {
            type: 'number',
            required: true,
            invalid: fc.oneof(
              fc.integer().filter((n) => n !== 1 && n !== -1),
              fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => n !== 1 && n !== -1),
              fc.constantFrom(0, 2, -2, 1.0000001, 1e308),
            ),
          },
        },
      },
    },
    'POST /comments/{commentId}/flags': {
      body: {
        kind: 'json',
        valid: { reason: 'spam' },
        fields: {
          reason: text(notOneOf(FLAG_REASONS)),
        },
      },
    },
    'GET /articles/{articleId}/poll': {},
    'POST /articles/{articleId}/poll/votes': {
      body: {
        kind: 'json',
        valid: { option: f.pollOptions[0]! },
        fields: {
          option: text(
            fc.oneof(
              notOneOf(f.pollOptions),
              fc.integer({ min: 65, max: 300 }).map((n) => 'o'.repeat(n)),
            ),
          ),
        },
      },
    },
    'GET /polls/top': { query: { valid: { limit: '5' }, invalid: { since: badSince(), limit: badLimit(50) } } },
    'POST /articles': {
      body: {
        kind: 'document',
        valid: Buffer.from(sample.storyText, 'utf8'),
        contentType: 'text/plain',
        accepted: INGEST_MEDIA_TYPES,
        capBytes: LIMITS.maxIngestBytes,
      },
    },
    'GET /error-reports': {
      query: {
        valid: { limit: '1' },
        invalid: {
          ...page(),
          status: notOneOf(ERROR_REPORT_STATUSES),
          articleId: notMatching(ARTICLE_ID_PATTERN, f.articleId),
        },
      },
    },
    'GET /error-reports/{reportId}': {},
    'PATCH /error-reports/{reportId}': {
      body: {
        kind: 'json',
        valid: { status: 'reviewing', note: 'Checking with the desk.' },
        fields: {
          status: text(notOneOf(ERROR_REPORT_STATUSES)),
          note: text(badCleanedText(REPORT_TEXT_LIMITS.note.min, REPORT_TEXT_LIMITS.note.max), false, true),
          correction: text(
            badCleanedText(REPORT_TEXT_LIMITS.correction.min, REPORT_TEXT_LIMITS.correction.max),
            false,
            true,
          ),
        },
      },
    },
    'GET /editor/alerts': {
      query: {
        valid: { limit: '5', since: '2026-01-01T00:00:00.000Z' },
        invalid: {
          ...page(),
          since: fc.constantFrom(
            '',
            'yesterday',
            'now',
            '1767225600',
            '2026-01-01',
            '2026-01-01T10:00:00',
            '2026-13-01T00:00:00Z',
            '2026-01-01T25:00:00Z',
            '2026-01-01 10:00:00Z',
            '\uff12\uff10\uff12\uff16-01-01T00:00:00Z',
          ),
        },
      },
    },
    'GET /moderation/comments': {
      query: { valid: { limit: '1' }, invalid: { ...page(), status: notOneOf(QUEUE_STATUSES) } },
    },
    'PUT /comments/{commentId}/text': {
      params: { commentId: f.ownCommentIds.edit },
      body: {
        kind: 'json',
        valid: { body: 'The fixture comment, as its author changed it.' },
        fields: { body: text(badCommentText(COMMENT_TEXT_LIMITS.body.max, true)) },
      },
    },
    'DELETE /comments/{commentId}': { params: { commentId: f.ownCommentIds.remove } },
    'PATCH /comments/{commentId}': {
      body: { kind: 'json', valid: { status: 'approved' }, fields: { status: text(notOneOf(EDITOR_DECISIONS)) } },
    },
    'GET /openapi.json': { takesNoInput: true },
    'POST /readers/anonymous': { takesNoInput: true },
    'PUT /readers/{readerId}/ban': {
      body: {
        kind: 'json',
        valid: { until: new Date(Date.now() + 86_400_000).toISOString(), reason: 'Bad input suite' },
        fields: {
          until: text(badUntil(), false, true),
          reason: text(badCommentText(BAN_REASON_LIMITS.max, true), false, true),
        },
      },
    },
    'DELETE /readers/{readerId}/ban': {},
    'GET /moderation/readers/{readerId}': {
      query: {
        valid: { limit: '5' },
        invalid: {
          limit: badLimit(LIMITS.pageSize.max),
          commentsCursor: fc.constant(''),
          flagsCursor: fc.constant(''),
        },
      },
    },
    'PATCH /articles/{articleId}/comment-settings': {
      body: {
        kind: 'json',
        valid: { commentsOpen: true },
        fields: { commentsOpen: { type: 'boolean', required: true, invalid: fc.constant('true') } },
      },
    },
  };
}
