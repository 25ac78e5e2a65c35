import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ErrorBody } from './route-contract';

export type HttpResult = APIGatewayProxyStructuredResultV2 & { statusCode: number; headers: Record<string, string> };

/**
 * Headers every response carries, set here once so no route can forget them. The API only
 * ever returns JSON, so browsers are told never to sniff, frame or render it as a page.
 */
export const BASE_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-type': 'application/json; charset=utf-8',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'cache-control': 'no-store',
});

export function json(statusCode: number, body: unknown, headers: Record<string, string> = {}): HttpResult {
  return { statusCode, headers: { ...BASE_HEADERS, ...headers }, body: JSON.stringify(body) };
}

/** 204: done, and nothing to say (no body, so no content type either). */
export function noContent(headers: Record<string, string> = {}): HttpResult {
  const { 'content-type': _json, ...base } = BASE_HEADERS;
  return { statusCode: 204, headers: { ...base, ...headers }, body: '' };
}

/** The API's one error shape; `bodyFields` go beside `error` (see `DomainError.bodyFields`). */
export function errorResponse(
  statusCode: number,
  error: ErrorBody['error'],
  headers: Record<string, string> = {},
  bodyFields: object = {},
): HttpResult {
  return json(statusCode, { error, ...bodyFields } satisfies ErrorBody, headers);
}
