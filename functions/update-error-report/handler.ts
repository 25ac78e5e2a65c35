import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoErrorReports } from '../../shared/adapters/error-reports/dynamo-error-reports';
import { ENV, requireEnv } from '../../shared/config';
import { moveBodySchema, reportIdPathSchema } from '../../shared/error-reports/input';
import { moveErrorReport } from '../../shared/error-reports/move-report';
import { jsonBody } from '../../shared/http/body';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';

const deps = { reports: new DynamoErrorReports(createDocumentClient(), requireEnv(ENV.tableName)), clock: systemClock };

/**
 * `PATCH /error-reports/{reportId}` (editors): moves a report forward, with an optional note and,
 * when closing as corrected, the correction to publish on the story. 409 for any other move.
 */
export const handler = httpHandler(async (event) => {
  const editor = requireEditor(event);
  const { reportId } = parseInput(reportIdPathSchema, event.pathParameters ?? {}, 'path');
  const body = parseInput(moveBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const report = await moveErrorReport(deps, {
    reportId,
    status: body.status,
    note: body.note ?? null,
    correction: body.correction ?? null,
    editor: editor.subject,
  });
  return json(200, report);
});
