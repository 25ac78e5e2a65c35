import type { ReaderAuthenticator, ReaderIdentity } from '../identity/reader-identity';
import type { HttpEvent } from './http-handler';

/**
 * The reader a reader route acts for, from `Authorization: Bearer <token>` (a reader token from
 * `POST /readers/anonymous`, or the site's own token for a signed-in reader); 401 otherwise.
 * Never from the body: a client cannot name someone else.
 */
export function readerOf(
  authenticator: ReaderAuthenticator,
  event: Pick<HttpEvent, 'headers'>,
  now: Date,
): Promise<ReaderIdentity> {
  return authenticator.authenticate(event.headers?.authorization, now);
}
