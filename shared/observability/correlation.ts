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
 * The item attribute under which a request stores its correlation id on the items that stream
 * consumers react to, so the events they cause carry the request's id (see `withCorrelationId`).
 * Written only with a write that happens anyway, and never mapped into a response.
 */
export const CORRELATION_ATTRIBUTE = 'correlationId';

/** `{ correlationId }` of the invocation in progress, or nothing: spread into an item being written. */
export function correlationAttribute(): { [CORRELATION_ATTRIBUTE]?: string } {
  return current === undefined ? {} : { [CORRELATION_ATTRIBUTE]: current };
}

/** The id a stream record's new image carries, if it is a valid one (items are ours, but stay wary). */
export function correlationIdOfStreamRecord(record: {
  dynamodb?: { NewImage?: Record<string, { S?: string }> };
}): string | undefined {
  const id = record.dynamodb?.NewImage?.[CORRELATION_ATTRIBUTE]?.S;
  return typeof id === 'string' && CORRELATION_ID_PATTERN.test(id) ? id : undefined;
}

/**
 * Runs one record's processing under the id of the request that caused it (logs and published
 * events), then restores the batch's id. Without an id, runs under the batch's. The id is
 * per module, so records must be processed one at a time, never concurrently.
 */
export async function withCorrelationId<T>(id: string | undefined, work: () => Promise<T>): Promise<T> {
  if (id === undefined) return work();
  const previous = current;
  adopt(id);
  try {
    return await work();
  } finally {
    current = previous;
    if (previous === undefined) logger.removeKeys([CORRELATION_LOG_KEY]);
    else logger.appendKeys({ [CORRELATION_LOG_KEY]: previous });
  }
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
