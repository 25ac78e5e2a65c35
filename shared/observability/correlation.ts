import type middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { logger } from './logger';

/**
 * Correlation ids: one id per unit of work, logged as `correlation_id` on every line and carried
 * on the events that work publishes, so an operator can follow one request or one batch across
 * functions with a single Logs Insights filter.
 */

/** The header a caller may send (and always gets back) to tie its request to our logs. */
export const CORRELATION_HEADER = 'x-correlation-id';

/** The log key, as Powertools' own correlation ids name it. */
export const CORRELATION_LOG_KEY = 'correlation_id';

/**
 * What an incoming id must look like to be adopted: short, and nothing that could forge a log
 * line or a header. Anything else is ignored (not rejected) and the gateway's request id used.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9-]{8,64}$/;

/**
 * Published events carry the id as one of the entry's `resources`, under this prefix: the only
 * free field of an EventBridge entry that is neither the detail (whose schemas stay as they are)
 * nor `TraceHeader` (which belongs to X-Ray). Consumers read it back with `correlationIdOfBusEvent`.
 */
export const CORRELATION_RESOURCE_PREFIX = 'newsroom:correlation-id/';

let current: string | undefined;

/** The correlation id of the invocation in progress, if the middleware set one. */
export function currentCorrelationId(): string | undefined {
  return current;
}

/** HTTP: a valid `x-correlation-id` from the caller, else the API Gateway request id. */
export function correlationIdOfHttpRequest(event: {
  headers?: Record<string, string | undefined>;
  requestContext?: { requestId?: string };
}): string | undefined {
  const offered = event.headers?.[CORRELATION_HEADER];
  if (offered !== undefined && CORRELATION_ID_PATTERN.test(offered)) return offered;
  return event.requestContext?.requestId;
}

/** A bus event: the id its publisher attached, else the event's own id. */
export function correlationIdOfBusEvent(event: { id?: string; resources?: unknown }): string | undefined {
  const resources = Array.isArray(event.resources) ? event.resources : [];
  for (const resource of resources) {
    if (typeof resource !== 'string' || !resource.startsWith(CORRELATION_RESOURCE_PREFIX)) continue;
    const id = resource.slice(CORRELATION_RESOURCE_PREFIX.length);
    if (CORRELATION_ID_PATTERN.test(id)) return id;
  }
  return typeof event.id === 'string' ? event.id : undefined;
}

/**
 * A non-HTTP trigger: bus events as above; stream and queue batches by their first record's
 * `eventID` / `messageId`; S3 notifications by the request id of the upload that caused them.
 */
export function correlationIdOfEvent(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const candidate = event as {
    'detail-type'?: unknown;
    id?: string;
    resources?: unknown;
    Records?: Array<{
      eventID?: string;
      messageId?: string;
      responseElements?: Record<string, string | undefined>;
      s3?: { object?: { sequencer?: string } };
    }>;
  };
  if (typeof candidate['detail-type'] === 'string') return correlationIdOfBusEvent(candidate);
  const first = Array.isArray(candidate.Records) ? candidate.Records[0] : undefined;
  if (!first) return undefined;
  return (
    first.eventID ?? first.messageId ?? first.responseElements?.['x-amz-request-id'] ?? first.s3?.object?.sequencer
  );
}

/** Sets the id for this invocation: on every log line, and for the publisher to attach. */
function adopt(id: string | undefined): void {
  current = id;
  if (id !== undefined) logger.appendKeys({ [CORRELATION_LOG_KEY]: id });
}

/**
 * Middleware: derives the correlation id of the invocation from its event. Runs after the
 * logger's context injection (which resets keys per invocation) and before the handler.
 */
export function correlateEvent(): middy.MiddlewareObj<unknown, unknown, Error, Context> {
  return {
    before: (request) => adopt(correlationIdOfEvent(request.event)),
    after: () => void (current = undefined),
    onError: () => void (current = undefined),
  };
}

type HttpRequestEvent = Parameters<typeof correlationIdOfHttpRequest>[0];
type HttpResponse = { headers?: Record<string, string | number | boolean> } | undefined;

/**
 * Middleware for HTTP handlers: adopts the request's correlation id and echoes it in the
 * `x-correlation-id` response header, on errors too (registered before the error mapping, its
 * `onError` runs after the mapping has set the response).
 */
export function correlateHttpRequest(): middy.MiddlewareObj<HttpRequestEvent, HttpResponse, Error, Context> {
  const echo = (request: { response: HttpResponse | null }) => {
    const id = current;
    current = undefined;
    if (id !== undefined && request.response) {
      request.response.headers = { ...request.response.headers, [CORRELATION_HEADER]: id };
    }
  };
  return {
    before: (request) => adopt(correlationIdOfHttpRequest(request.event)),
    after: echo,
    onError: echo,
  };
}
