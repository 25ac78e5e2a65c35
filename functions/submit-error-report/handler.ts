import { rateLimitFromEnv } from '../../shared/abuse/rate-limit';
import { createDocumentClient } from '../../shared/adapters/aws/dynamodb-client';
import { DynamoArticleIndex } from '../../shared/adapters/articles/dynamo-article-index';
import { DynamoErrorReports } from '../../shared/adapters/error-reports/dynamo-error-reports';
import { createRateLimiter } from '../../shared/adapters/abuse/dynamo-rate-limiter';
import { readerHasherFromEnvironment } from '../../shared/adapters/aws/reader-hash-key';
import { articleIdPathSchema } from '../../shared/articles/article-schemas';
import { ENV, requireEnv } from '../../shared/config';
import { reportBodySchema } from '../../shared/error-reports/input';
import { submitErrorReport } from '../../shared/error-reports/submit-report';
import { jsonBody } from '../../shared/http/body';
import { httpHandler } from '../../shared/http/http-handler';
import { readerAuthenticatorFromEnvironment } from '../../shared/adapters/identity/reader-authenticator';
import { readerOf } from '../../shared/http/reader';
import { METRIC, countMetric } from '../../shared/observability/metrics';
import { json } from '../../shared/http/responses';
import { parseInput } from '../../shared/http/validate';
import { LIMITS } from '../../shared/limits';
import { systemClock } from '../../shared/ports';
import { RATE_LIMIT_ERROR_REPORT } from '../../shared/tunable-settings';

const db = createDocumentClient();
const tableName = requireEnv(ENV.tableName);
const readerHasher = readerHasherFromEnvironment();
const authenticator = readerAuthenticatorFromEnvironment(readerHasher);
const deps = {
  reports: new DynamoErrorReports(db, tableName),
  articles: new DynamoArticleIndex(db, tableName),
  limiter: createRateLimiter(db, tableName),
  limit: rateLimitFromEnv('error-report', RATE_LIMIT_ERROR_REPORT),
  hasher: readerHasher,
  clock: systemClock,
};

/**
 * `POST /articles/{articleId}/error-reports` (readers): files a report for the editors. 202:
 * the report is accepted, and the editors are alerted from the table stream. The contact is
 * never logged: only the validated body reaches the domain, and nothing here logs it.
 */
export const handler = httpHandler(async (event) => {
  await readerOf(authenticator, event, systemClock.now());
  const { articleId } = parseInput(articleIdPathSchema, event.pathParameters ?? {}, 'path');
  const body = parseInput(reportBodySchema, jsonBody(event, LIMITS.maxReaderBodyBytes), 'body');
  const result = await submitErrorReport(
    deps,
    {
      articleId,
      category: body.category,
      description: body.description,
      quote: body.quote ?? null,
      contact: body.contact ?? null,
    },
    event.requestContext.http.sourceIp,
  );
  if (result.created) countMetric(METRIC.errorReportsSubmitted);
  return json(202, { reportId: result.reportId, status: result.status });
});
