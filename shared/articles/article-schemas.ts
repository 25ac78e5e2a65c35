/**
 * The request shapes of the article routes (and of every route under `/articles/{articleId}`),
 * validated at the edge. Kept apart from the handlers so the API contract can use them too.
 */
import { cursorParameter, limitParameter } from '../query-schemas';
import * as z from '../validation';
import { ARTICLE_ID_PATTERN } from './identity';

export const articleIdPathSchema = z.object({
  articleId: z.string().check(z.regex(ARTICLE_ID_PATTERN, 'Must be 16 hexadecimal digits')),
});

export const listArticlesQuerySchema = z.strictObject({
  limit: limitParameter(),
  cursor: cursorParameter,
  /** `votes`: most votes first, from the poll ranking index (stories with votes only). */
  sort: z.optional(z.enum(['newest', 'votes'])),
});

/**
 * What `POST /articles` takes, as the S3 drop zone does: a story page as text or HTML, a JSON
 * article or an IPTC ninjs item (JSON), or an RSS or Atom feed (XML). The content decides the
 * format; the type only has to be one of these.
 */
export const INGEST_MEDIA_TYPES = [
  'text/plain',
  'text/html',
  'application/json',
  'application/rss+xml',
  'application/atom+xml',
  'application/xml',
  'text/xml',
] as const;
