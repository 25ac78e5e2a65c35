/**
 * Who a reader is, as the backend vouches for it: from an anonymous reader token it signed
 * (`reader-token.ts`), or from the news site's own sign-in (a JWT the site signs for its logged-in
 * reader). Reader routes take the reader from here and never from the request body, and a reader
 * an editor banned gets no further (`reader-bans.ts`).
 */
import { UnauthorizedError } from '../errors';
import { parseJwt } from './jwt';
import type { ReaderHasher } from '../privacy/reader-hasher';
import { ReaderBannedError, type ActiveBans } from './reader-bans';
import { InvalidReaderTokenError, READER_TOKEN, verifyReaderToken, type ReaderTokenKeys } from './reader-token';
import { InvalidSiteTokenError } from './site-token';

export interface ReaderIdentity {
  /** Opaque and URL-safe; for a signed-in reader a keyed hash of `site:<sub>`, never the subject. */
  readerId: string;
  kind: 'anonymous' | 'site';
  /** When the token was issued: flags from brand-new identities count for nothing. */
  issuedAt: Date;
  /** The site's name for a signed-in reader; anonymous readers name themselves per comment. */
  displayName: string | null;
  /** Whether the site vouches for the reader (signed in). */
  verified: boolean;
}

/** A verifier of the site's reader JWTs, for one issuer (`site-token.ts`). */
export interface SiteTokens {
  issuer: string;
  verify(token: string, now?: Date): Promise<{ subject: string; displayName: string; issuedAt: Date }>;
}

export interface ReaderAuthenticatorDeps {
  readerTokenKeys: () => Promise<ReaderTokenKeys>;
  /** Absent when the deployment has no site sign-in. */
  siteTokens?: SiteTokens;
  /** The reader id of a site subject: a keyed hash, so the id never reveals the subject. */
  siteReaderId: (subject: string) => Promise<string>;
  /** The bans in force, consulted once a token verifies. */
  bans: ActiveBans;
}

/**
 * The reader id of the site's subject: a keyed hash of `site:<sub>`, the same for every token the
 * site signs for that reader (so a ban holds on all their devices), and never revealing the subject.
 */
export const siteReaderId = (hasher: ReaderHasher, subject: string): string =>
  hasher.hash('site-reader', `site:${subject}`);

/** The one 401 every unusable reader credential gets; why it failed goes to the logs, not the caller. */
export class ReaderCredentialError extends UnauthorizedError {
  /** RFC 6750: a 401 names the scheme it wants. */
  override readonly headers = { 'www-authenticate': 'Bearer realm="readers"' };
  constructor(readonly reason: string) {
    super('A valid reader token is required: Authorization: Bearer <token from POST /readers/anonymous>');
  }
}

export class ReaderAuthenticator {
  constructor(private readonly deps: ReaderAuthenticatorDeps) {}

  /**
   * The reader an `Authorization: Bearer …` header proves, or a {@link ReaderCredentialError};
   * a {@link ReaderBannedError} for a reader banned at `now`. Every reader write authenticates
   * its reader here, so this is the one place bans are enforced.
   */
  async authenticate(authorization: string | undefined, now: Date): Promise<ReaderIdentity> {
    const reader = await this.verify(authorization, now);
    const ban = await this.deps.bans.activeBan(reader.readerId, now);
    if (ban) throw new ReaderBannedError(ban.until);
    return reader;
  }

  /**
   * The token's unverified issuer only picks the verifier; each verifier then checks everything
   * (signature, algorithm, issuer, audience, lifetime), so an editor's token, another site's, or
   * a token of ours presented as the site's fails verification.
   */
  private async verify(authorization: string | undefined, now: Date): Promise<ReaderIdentity> {
    const token = /^Bearer ([A-Za-z0-9_.~+/-]+=*)$/.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw new ReaderCredentialError(authorization ? 'not-a-bearer-token' : 'missing');
    let issuer: unknown;
    try {
      issuer = parseJwt(token).payload.iss;
    } catch {
      throw new ReaderCredentialError('malformed');
    }
    try {
      if (issuer === READER_TOKEN.issuer) {
        const verified = await verifyReaderToken(await this.deps.readerTokenKeys(), token, now);
        return {
          readerId: verified.readerId,
          kind: 'anonymous',
          issuedAt: verified.issuedAt,
          displayName: null,
          verified: false,
        };
      }
      const site = this.deps.siteTokens;
      if (site && issuer === site.issuer) {
        const reader = await site.verify(token, now);
        return {
          readerId: await this.deps.siteReaderId(reader.subject),
          kind: 'site',
          issuedAt: reader.issuedAt,
          displayName: reader.displayName,
          verified: true,
        };
      }
    } catch (error) {
      // A refused token is the reader's 401; a key that could not be read (ours, or the site's key
      // set) is our failure, a 500.
      if (error instanceof InvalidReaderTokenError) throw new ReaderCredentialError(error.reason);
      if (error instanceof InvalidSiteTokenError && error.reason !== 'key-unavailable') {
        throw new ReaderCredentialError(error.reason);
      }
      throw error;
    }
    throw new ReaderCredentialError('unknown-issuer');
  }
}
