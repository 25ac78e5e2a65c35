import { PayloadTooLargeError, UnsupportedMediaTypeError } from '../errors';
import type { HttpEvent } from './http-handler';
import { parseStrictJson } from './strict-json';

/** The request body as bytes; API Gateway base64-encodes bodies it does not take for text. */
export function bodyBytes(event: Pick<HttpEvent, 'body' | 'isBase64Encoded'>, maxBytes: number): Buffer {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > maxBytes) throw new PayloadTooLargeError(`The body is larger than ${maxBytes} bytes`);
  return bytes;
}

/** The media type without parameters, lower-cased: `Text/HTML; charset=utf-8` → `text/html`. */
export function mediaType(event: Pick<HttpEvent, 'headers'>): string | undefined {
  const value = event.headers?.['content-type'];
  return value?.split(';')[0]?.trim().toLowerCase() || undefined;
}

export function requireMediaType(event: Pick<HttpEvent, 'headers'>, accepted: readonly string[]): string {
  const type = mediaType(event);
  if (!type || !accepted.includes(type)) {
    throw new UnsupportedMediaTypeError(`Content-Type must be one of: ${accepted.join(', ')}`);
  }
  return type;
}

/**
 * Parses a JSON request body, answering 400 (naming the body) when it is not strict JSON:
 * malformed, not UTF-8, with a repeated field, an unpaired surrogate or deep nesting.
 */
export function jsonBody(event: HttpEvent, maxBytes: number): unknown {
  requireMediaType(event, ['application/json']);
  return parseStrictJson(bodyBytes(event, maxBytes));
}
