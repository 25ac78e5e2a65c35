import { LIMITS } from '../../limits';
import { ArticleRejectedError } from './errors';

/**
 * Story pages are tens of kilobytes; anything over this is not a story and would only cost
 * memory. Defined once in shared/limits, where POST /articles reads it too.
 */
export const MAX_INPUT_BYTES = LIMITS.maxIngestBytes;

/** C0 controls other than tab, line feed, vertical tab, form feed and carriage return, and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000e-\u001f\u007f]/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Turns raw input into text, enforcing what every format needs: at most `MAX_INPUT_BYTES`,
 * valid UTF-8 (decoded strictly, so mojibake is refused rather than stored), no binary
 * control characters, something besides whitespace. A leading byte-order mark is dropped.
 *
 * @throws ArticleRejectedError `too-large`, `not-utf8`, `empty-input`
 */
export function decodeInput(body: Uint8Array | string): string {
  const size = typeof body === 'string' ? Buffer.byteLength(body, 'utf8') : body.byteLength;
  if (size > MAX_INPUT_BYTES) throw inputTooLarge(size);
  const text = typeof body === 'string' ? fromString(body) : fromBytes(body);
  if (CONTROL_CHARACTER.test(text)) {
    // NUL and friends never occur in a story; UTF-16 text or binary data read as UTF-8 is full of them.
    throw new ArticleRejectedError(
      'not-utf8',
      'The input contains control characters: it is binary or in another encoding (UTF-16?), not UTF-8 text',
    );
  }
  if (text.trim() === '') throw new ArticleRejectedError('empty-input', 'The input is empty');
  return text;
}

/** The rejection of an input of `size` bytes, over `MAX_INPUT_BYTES`; also for one refused unread. */
export function inputTooLarge(size: number): ArticleRejectedError {
  return new ArticleRejectedError('too-large', `The input is ${size} bytes; the limit is ${MAX_INPUT_BYTES}`, {
    bytes: size,
    limit: MAX_INPUT_BYTES,
  });
}

function fromBytes(bytes: Uint8Array): string {
  try {
    // `fatal` makes malformed sequences throw instead of becoming U+FFFD; the BOM is dropped by default.
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (error) {
    throw new ArticleRejectedError('not-utf8', 'The input is not valid UTF-8', undefined, { cause: error });
  }
}

function fromString(text: string): string {
  if (LONE_SURROGATE.test(text)) {
    throw new ArticleRejectedError('not-utf8', 'The input contains unpaired surrogates and has no UTF-8 form');
  }
  return text.startsWith('\ufeff') ? text.slice(1) : text;
}
