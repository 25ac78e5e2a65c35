/**
 * Site tokens: JWTs a news site signs for its own signed-in readers, so that the backend can
 * recognize a reader who is logged in on the site without running accounts of its own. The site
 * holds the key; this module only checks that a token was signed by the site, is meant for us and
 * is current, and reads who the reader is from it. It knows nothing of how the token arrived.
 *
 * The algorithms a token may use follow from the configured key, never from the token's header:
 * a shared secret allows HS256 only, a key set (JWKS) RS256 and ES256 only. That is what defeats
 * algorithm confusion. A verifier that let the header choose would accept `alg: none` as needing
 * no signature, and would check an HS256 token with the site's RSA public key as the HMAC secret:
 * a key anyone can download, so anyone could sign.
 */
import {
  createRemoteJWKSet,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
} from 'jose';

/** Why a token was refused. Only 'key-unavailable' is not the token's fault: the key set could not be read. */
export type SiteTokenRejection =
  | 'malformed'
  | 'bad-signature'
  | 'algorithm-not-allowed'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'invalid-claim'
  | 'key-unavailable';

/**
 * Every refusal of a token. Messages name the rule that failed, never the token or a key. The
 * underlying error is kept as the cause only for 'key-unavailable': jose's claim errors carry the
 * token's payload, which should not reach a log by way of a cause.
 */
export class InvalidSiteTokenError extends Error {
  constructor(
    readonly reason: SiteTokenRejection,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'InvalidSiteTokenError';
  }
}

export type SiteKeySource = { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; url: string };

export interface SiteTokenConfig {
  issuer: string;
  audience: string;
  key: SiteKeySource;
}

export interface SiteTokenVerifierOptions {
  /** Allowed clock skew between the site and us, for `exp`, `nbf` and `iat`: 60 s unless told, never more. */
  clockToleranceSeconds?: number;
  /** Refuse tokens issued longer ago than this, whatever their `exp` says. */
  maxTokenAgeSeconds?: number;
}

export interface SiteReader {
  subject: string;
  displayName: string;
  /** Null when the token has none, or one that does not look like an address. */
  email: string | null;
  issuedAt: Date;
  expiresAt: Date;
}

export interface SiteTokenVerifier {
  /** The reader a valid token names; throws {@link InvalidSiteTokenError} otherwise. `now` defaults to the clock. */
  verify(token: string, now?: Date): Promise<SiteReader>;
}

const MAX_CLOCK_TOLERANCE_SECONDS = 60;
/** HS256 keys shorter than its 256-bit output make the MAC weaker than it looks (RFC 7518, 3.2). */
const MIN_SECRET_BYTES = 32;
const SUBJECT_MAX_CHARACTERS = 255;
const DISPLAY_NAME_MAX_CHARACTERS = 80;
const EMAIL_MAX_CHARACTERS = 254;
/** Where a site puts the reader's name, most specific first (OpenID Connect standard claims). */
const DISPLAY_NAME_CLAIMS = ['name', 'preferred_username', 'nickname'] as const;
/** Hosts a key set may be fetched from over plain HTTP: only this machine, where no one sits in between. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

export function createSiteTokenVerifier(
  config: SiteTokenConfig,
  options: SiteTokenVerifierOptions = {},
): SiteTokenVerifier {
  const clockTolerance = clockToleranceOf(options.clockToleranceSeconds);
  const maxTokenAge = maxTokenAgeOf(options.maxTokenAgeSeconds);
  requireNonEmpty(config.issuer, 'issuer');
  requireNonEmpty(config.audience, 'audience');
  const { key, algorithms } = verificationKeyOf(config.key);
  const { issuer, audience } = config;

  return {
    async verify(token, now = new Date()) {
      // A bad date is the caller's bug, not the token's fault, so it is not a refusal.
      if (!(now instanceof Date) || Number.isNaN(now.getTime())) throw new TypeError('now must be a valid Date');
      if (typeof token !== 'string') throw refused('malformed', 'The site token is not a string');
      const payload = await verifiedPayload(token, key, {
        algorithms,
        issuer,
        audience,
        requiredClaims: ['exp', 'iat', 'sub'],
        clockTolerance,
        currentDate: now,
        ...(maxTokenAge === undefined ? {} : { maxTokenAge }),
      });
      return readerOf(payload, now, clockTolerance);
    },
  };
}

function clockToleranceOf(seconds: number | undefined): number {
  if (seconds === undefined) return MAX_CLOCK_TOLERANCE_SECONDS;
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_CLOCK_TOLERANCE_SECONDS) {
    throw new RangeError(`clockToleranceSeconds must be between 0 and ${MAX_CLOCK_TOLERANCE_SECONDS}`);
  }
  return seconds;
}

function maxTokenAgeOf(seconds: number | undefined): number | undefined {
  if (seconds !== undefined && !(Number.isFinite(seconds) && seconds > 0)) {
    throw new RangeError('maxTokenAgeSeconds must be a positive number of seconds');
  }
  return seconds;
}

function requireNonEmpty(value: unknown, name: string): void {
  if (typeof value !== 'string' || value === '')
    throw new TypeError(`The site token ${name} must be a non-empty string`);
}

function verificationKeyOf(source: SiteKeySource): { key: Uint8Array | JWTVerifyGetKey; algorithms: string[] } {
  switch (source.kind) {
    case 'secret':
      if (!(source.secret instanceof Uint8Array) || source.secret.length < MIN_SECRET_BYTES) {
        throw new TypeError(`The site token secret must be at least ${MIN_SECRET_BYTES} bytes`);
      }
      // A copy, so a caller reusing its buffer cannot change the key under a running verifier.
      return { key: new Uint8Array(source.secret), algorithms: ['HS256'] };
    case 'jwks':
      return { key: keySetResolver(keySetUrlOf(source.url)), algorithms: ['RS256', 'ES256'] };
    default:
      throw new TypeError(`Unknown site key kind: ${String((source as { kind: unknown }).kind)}`);
  }
}

/** Whoever can change the key set in transit can sign as the site, so it is fetched over HTTPS (or on this machine). */
function keySetUrlOf(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TypeError('The site key set URL is not a URL');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && LOOPBACK_HOSTS.has(parsed.hostname))) {
    throw new TypeError('The site key set must be fetched over HTTPS');
  }
  return parsed;
}

/**
 * One remote key set per verifier, so its cache (and jose's refetch on an unknown `kid`, at most
 * every 30 s) serves every call. A key set that cannot be fetched or read is reported as such
 * here, where it happens, rather than guessed from the error's type afterwards.
 */
function keySetResolver(url: URL): JWTVerifyGetKey {
  const keySet = createRemoteJWKSet(url);
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) throw error;
      throw refused('key-unavailable', "The site's key set could not be read", { cause: error });
    }
  };
}

async function verifiedPayload(
  token: string,
  key: Uint8Array | JWTVerifyGetKey,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  try {
    return (await jwtVerify(token, key, options)).payload;
  } catch (error) {
    if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw rejectionOf(error);
    // A token without `kid` while the key set holds several keys of its type (as during a key
    // rotation): any of them may have signed it, so each is tried, as jose documents.
    for await (const candidate of error) {
      try {
        return (await jwtVerify(token, candidate, options)).payload;
      } catch (candidateError) {
        if (!(candidateError instanceof errors.JWSSignatureVerificationFailed)) throw rejectionOf(candidateError);
      }
    }
    throw refused('bad-signature', "The site token's signature matches none of the site's keys");
  }
}

/** jose's error, as one of our reasons. Anything jose does not blame on the token is the key's fault. */
function rejectionOf(error: unknown): InvalidSiteTokenError {
  if (error instanceof InvalidSiteTokenError) return error;
  if (error instanceof errors.JWTExpired) {
    return error.claim === 'iat'
      ? refused('expired', 'The site token was issued longer ago than allowed')
      : refused('expired', 'The site token has expired');
  }
  if (error instanceof errors.JWTClaimValidationFailed) return claimRejectionOf(error.claim, error.reason);
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return refused('algorithm-not-allowed', "The site token's algorithm is not one the site's key allows");
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refused('bad-signature', "The site token's signature does not match the site's key");
  }
  if (error instanceof errors.JWKSNoMatchingKey) {
    // Not 'key-unavailable': the key set was read, and the site publishes no key the token names.
    return refused('bad-signature', "The site token names a key the site's key set does not hold");
  }
  if (
    error instanceof errors.JWSInvalid ||
    error instanceof errors.JWTInvalid ||
    error instanceof errors.JOSENotSupported
  ) {
    return refused('malformed', 'The site token is not a well-formed signed JWT');
  }
  return refused('key-unavailable', "The site token could not be checked against the site's key", { cause: error });
}

/** `claim` is one of the registered claim names jose checks, never a value from the token. */
function claimRejectionOf(claim: string, reason: string): InvalidSiteTokenError {
  if (reason === 'missing') return refused('missing-claim', `The site token has no "${claim}" claim`);
  if (reason === 'check_failed') {
    if (claim === 'iss') return refused('wrong-issuer', 'The site token was issued by someone else');
    if (claim === 'aud') return refused('wrong-audience', 'The site token is meant for someone else');
    if (claim === 'nbf' || claim === 'iat') return refused('not-yet-valid', 'The site token is not valid yet');
  }
  return refused('invalid-claim', `The site token's "${claim}" claim is not valid`);
}

function readerOf(payload: JWTPayload, now: Date, clockTolerance: number): SiteReader {
  const issuedAt = numericDateOf(payload, 'iat');
  const expiresAt = numericDateOf(payload, 'exp');
  // jose checks `iat` against the clock only with a maximum age; a token from the future is refused either way.
  if (Math.floor(issuedAt.getTime() / 1000) > Math.floor(now.getTime() / 1000) + clockTolerance) {
    throw refused('not-yet-valid', 'The site token was issued in the future');
  }
  return {
    subject: subjectOf(payload.sub),
    displayName: displayNameOf(payload),
    email: emailOf(payload['email']),
    issuedAt,
    expiresAt,
  };
}

/** jose has checked the claim is a number; JSON still allows `1e400`, which parses to Infinity and never expires. */
function numericDateOf(payload: JWTPayload, claim: 'iat' | 'exp'): Date {
  const seconds = payload[claim];
  const date = new Date(typeof seconds === 'number' ? seconds * 1000 : NaN);
  if (Number.isNaN(date.getTime())) throw refused('invalid-claim', `The site token's "${claim}" claim is not a date`);
  return date;
}

/** The site's own identifier for the reader, kept exactly as sent. */
function subjectOf(sub: unknown): string {
  if (typeof sub !== 'string' || sub === '' || characterCount(sub) > SUBJECT_MAX_CHARACTERS || !isPrintable(sub)) {
    throw refused(
      'invalid-claim',
      `The site token's "sub" claim must be 1 to ${SUBJECT_MAX_CHARACTERS} printable characters`,
    );
  }
  return sub;
}

/**
 * The first name claim the token fills. An absent, null or blank claim gives way to the next, as a
 * site may send an empty `name` for a reader who only chose a username; one that is there but
 * unusable refuses the token rather than falling back to a name the reader did not choose to show.
 */
function displayNameOf(payload: JWTPayload): string {
  for (const claim of DISPLAY_NAME_CLAIMS) {
    const value = payload[claim];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string') throw refused('invalid-claim', `The site token's "${claim}" claim is not text`);
    // NFC first, so visually identical names compare equal and are measured as stored.
    const name = value.normalize('NFC').trim();
    if (name === '') continue;
    if (characterCount(name) > DISPLAY_NAME_MAX_CHARACTERS || !isPrintable(name)) {
      throw refused(
        'invalid-claim',
        `The site token's "${claim}" claim must be at most ${DISPLAY_NAME_MAX_CHARACTERS} printable characters`,
      );
    }
    return name;
  }
  throw refused('missing-claim', `The site token names no reader: it has none of ${DISPLAY_NAME_CLAIMS.join(', ')}`);
}

/** Local part, `@`, and a domain of at least two dot-separated labels; anything stricter belongs to whoever mails. */
const LOOKS_LIKE_EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/u;

/** The address is a convenience, not an identity: a missing or odd one is dropped, never a reason to refuse. */
function emailOf(email: unknown): string | null {
  if (typeof email !== 'string' || characterCount(email) > EMAIL_MAX_CHARACTERS) return null;
  return LOOKS_LIKE_EMAIL.test(email) && isPrintable(email) ? email : null;
}

/** Length in code points, as a reader counts characters, not UTF-16 units. */
function characterCount(text: string): number {
  let count = 0;
  for (const _ of text) count++;
  return count;
}

/** No C0 or C1 control character or DEL, and no unpaired surrogate (JSON allows `"\ud800"`; it is not a character). */
function isPrintable(text: string): boolean {
  return !/[\p{Cc}\p{Cs}]/u.test(text);
}

function refused(reason: SiteTokenRejection, message: string, options?: { cause?: unknown }): InvalidSiteTokenError {
  return new InvalidSiteTokenError(reason, message, options);
}
