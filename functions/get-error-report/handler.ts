import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoErrorReports } from '../../shared/adapters/error-reports/dynamo-error-reports';
import { ENV, requireEnv } from '../../shared/config';
import { reportIdPathSchema } from '../../shared/error-reports/input';
import { NotFoundError } from '../../shared/errors';
import { requireEditor } from '../../shared/http/caller';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';

const reports = new DynamoErrorReports(createDocumentClient(), requireEnv(ENV.tableName));

/** `GET /error-reports/{reportId}` (editors): one report with its history and, until erased, the reader's contact. */
export const handler = httpHandler(async (event) => {
  requireEditor(event);
  const { reportId } = parseInput(reportIdPathSchema, event.pathParameters ?? {}, 'path');
  const report = await reports.getWithContact(reportId, new Date());
  if (!report) throw new NotFoundError(`No error report ${reportId}`);
  return json(200, report);
});
