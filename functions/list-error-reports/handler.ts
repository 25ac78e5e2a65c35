import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoErrorReports } from '../../shared/adapters/error-reports/dynamo-error-reports';
import { ENV, requireEnv } from '../../shared/config';
import { listReportsQuerySchema } from '../../shared/error-reports/input';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';

const reports = new DynamoErrorReports(createDocumentClient(), requireEnv(ENV.tableName));

/**
 * `GET /error-reports` (editors): the triage list, newest first. `status` defaults to `received`
 * (the reports nobody has looked at yet); `articleId` narrows it to one story. No contacts here.
 */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const query = parseInput(listReportsQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await reports.list({
    status: query.status ?? 'received',
    ...(query.articleId ? { articleId: query.articleId } : {}),
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return json(200, page);
});
