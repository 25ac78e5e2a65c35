import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { correlateEvent } from './correlation';
import { logger } from './logger';
import { flushMetrics } from './metrics';

/**
 * How every handler attaches the Lambda context to its logs. `logEvent` is pinned off: events
 * carry reader input (comment bodies, report contacts), and POWERTOOLS_LOGGER_LOG_EVENT set by
 * mistake must not start writing it to the logs.
 */
export const LOG_CONTEXT_OPTIONS = { resetKeys: true, logEvent: false } as const;

/**
 * Wraps a non-HTTP handler (S3, stream, bus) in the middleware every such handler shares:
 * request-scoped structured logging with a correlation id derived from the event (see
 * `correlation.ts`), and the invocation's metrics flushed as EMF. HTTP handlers use
 * `httpHandler`, which adds the error mapping.
 */
export function eventHandler<TEvent, TResult>(handle: (event: TEvent, context: Context) => Promise<TResult>) {
  return middy<TEvent, TResult, Error, Context>()
    .use(injectLambdaContext(logger, LOG_CONTEXT_OPTIONS))
    .use(correlateEvent())
    .use(flushMetrics())
    .handler(handle);
}
