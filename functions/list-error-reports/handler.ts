import { createDocumentClient } from '../../shared/adapters/dynamodb-client';
import { DynamoErrorReports } from '../../shared/adapters/dynamo-error-reports';
import { ARTICLE_ID_PATTERN } from '../../shared/articles/identity';
import { ENV, requireEnv } from '../../shared/config';
import { ERROR_REPORT_STATUSES } from '../../shared/error-reports/report';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import * as z from '../../shared/validation';

const reports = new DynamoErrorReports(createDocumentClient(), requireEnv(ENV.tableName));

const querySchema = z.strictObject({
  status: z.optional(z.enum(ERROR_REPORT_STATUSES)),
  articleId: z.optional(z.string().check(z.regex(ARTICLE_ID_PATTERN, 'Must be 16 hexadecimal digits'))),
  limit: z.optional(
    z.pipe(
      z.string().check(z.regex(/^\d{1,3}$/, 'Must be a whole number')),
      z.pipe(z.transform(Number), z.number().check(z.minimum(1), z.maximum(LIMITS.pageSize.max))),
    ),
  ),
  cursor: z.optional(z.string().check(z.minLength(1))),
});

/**
 * `GET /error-reports` (editors): the triage list, newest first. `status` defaults to `received`
 * (the reports nobody has looked at yet); `articleId` narrows it to one story. No contacts here.
 */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const query = parseInput(querySchema, event.queryStringParameters ?? {}, 'query');
  const page = await reports.list({
    status: query.status ?? 'received',
    ...(query.articleId ? { articleId: query.articleId } : {}),
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return json(200, page);
});
