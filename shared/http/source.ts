import type { ReaderHasher } from '../privacy/reader-hasher';
import type { HttpEvent } from './http-handler';

/**
 * The caller's network address as a keyed hash: what per-source limits and duplicate checks
 * key on. The raw address is never stored or logged.
 */
export function sourceHashOf(hasher: ReaderHasher, event: Pick<HttpEvent, 'requestContext'>): string {
  return hasher.hash('source', event.requestContext.http.sourceIp);
}
