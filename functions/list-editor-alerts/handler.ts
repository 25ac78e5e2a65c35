import { DynamoEditorAlerts } from '../../shared/adapters/alerts/dynamo-editor-alerts';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { listEditorAlerts } from '../../shared/alerts/editor-alerts';
import { alertsQuerySchema } from '../../shared/alerts/input';
import { ENV, requireEnv } from '../../shared/config';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const deps = { alerts: new DynamoEditorAlerts(createDocumentClient(), requireEnv(ENV.tableName)), clock: systemClock };

/**
 * `GET /editor/alerts?since&limit&cursor` (editors): the alerts recorded since `since`, newest
 * first. Every editor reads the same list; what one has seen is theirs to remember (`since`).
 */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const query = parseInput(alertsQuerySchema, event.queryStringParameters ?? {}, 'query');
  const page = await listEditorAlerts(deps, {
    ...(query.since !== undefined ? { since: new Date(query.since) } : {}),
    limit: query.limit ?? LIMITS.pageSize.default,
    ...(query.cursor !== undefined ? { cursor: query.cursor } : {}),
  });
  return json(200, page);
});
