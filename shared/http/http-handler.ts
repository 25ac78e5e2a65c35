import middy from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { LOG_CONTEXT_OPTIONS } from '../observability/event-handler';
import { correlateHttpRequest } from '../observability/correlation';
import { logger } from '../observability/logger';
import { flushMetrics } from '../observability/metrics';
import type { EventWithClaims } from './caller';
import { jsonErrors } from './json-errors';
import type { HttpResult } from './responses';

export type HttpEvent = APIGatewayProxyEventV2 & EventWithClaims;

/**
 * Wraps a route's function in the middleware every HTTP handler shares: request-scoped
 * structured logging, lower-cased headers, the correlation id (logged, and echoed in
 * `x-correlation-id`), the invocation's metrics flushed as EMF, and the one error mapping.
 * The route function stays a plain async function of the event. Order matters: middy runs
 * `onError` in reverse, so the correlation header is added after the error mapping made the
 * response.
 */
export function httpHandler(handle: (event: HttpEvent, context: Context) => Promise<HttpResult>) {
  return middy<HttpEvent, HttpResult, Error, Context>()
    .use(injectLambdaContext(logger, LOG_CONTEXT_OPTIONS))
    .use(httpHeaderNormalizer())
    .use(correlateHttpRequest())
    .use(flushMetrics())
    .use(jsonErrors({ logger }))
    .handler(handle);
}
