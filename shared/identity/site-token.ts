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
  claimChecker,
  JwtError,
  MAX_CLOCK_TOLERANCE_SECONDS,
  MIN_SECRET_BYTES,
  remoteJwks,
  verifyJwt,
  type CheckedClaims,
  type JwtAlgorithm,
  type JwtKey,
  type JwtKeyResolver,
  type JwtPayload,
} from './jwt';

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
 * underlying error is kept as the cause only for 'key-unavailable', where it says why the key set
 * could not be read.
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

const SUBJECT_MAX_CHARACTERS = 255;
const DISPLAY_NAME_MAX_CHARACTERS = 80;
const EMAIL_MAX_CHARACTERS = 254;
/** Where a site puts the reader's name, most specific first (OpenID Connect standard claims). */
const DISPLAY_NAME_CLAIMS = ['name', 'preferred_username', 'nickname'] as const;

export function createSiteTokenVerifier(
  config: SiteTokenConfig,
  options: SiteTokenVerifierOptions = {},
): SiteTokenVerifier {
  // Checks the options (a RangeError or TypeError) when the verifier is made, not on first use.
  const checkClaims = claimChecker({
    issuer: config.issuer,
    audience: config.audience,
    clockToleranceSeconds: options.clockToleranceSeconds ?? MAX_CLOCK_TOLERANCE_SECONDS,
    maxAgeSeconds: options.maxTokenAgeSeconds,
    required: ['sub'],
  });
  const { keys, algorithms } = verificationKeyOf(config.key);

  return {
    async verify(token, now = new Date()) {
      let claims: CheckedClaims;
      try {
        // A bad `now` is the caller's bug, not the token's fault: a TypeError, not a refusal.
        claims = checkClaims((await verifyJwt(token, keys, algorithms)).payload, now);
      } catch (error) {
        if (!(error instanceof JwtError)) throw error;
        // Not 'key-unavailable' for a key the set lacks: the set was read, and holds no key the token names.
        const reason = error.reason === 'unknown-key' ? 'bad-signature' : error.reason;
        throw refused(reason, error.message, reason === 'key-unavailable' ? { cause: error } : {});
      }
      return readerOf(claims);
    },
  };
}

function verificationKeyOf(source: SiteKeySource): {
  keys: JwtKey | JwtKeyResolver;
  algorithms: JwtAlgorithm[];
} {
  switch (source.kind) {
    case 'secret':
      if (!(source.secret instanceof Uint8Array) || source.secret.length < MIN_SECRET_BYTES) {
        throw new TypeError(`The site token secret must be at least ${MIN_SECRET_BYTES} bytes`);
      }
      // A copy, so a caller reusing its buffer cannot change the key under a running verifier.
      return { keys: new Uint8Array(source.secret), algorithms: ['HS256'] };
    case 'jwks':
      // One key set per verifier, so its cache serves every call. A token without `kid` while the
      // set holds several keys of its type (as during a rotation) is checked against each.
      return { keys: remoteJwks(source.url), algorithms: ['RS256', 'ES256'] };
    default:
      throw new TypeError(`Unknown site key kind: ${String((source as { kind: unknown }).kind)}`);
  }
}

function readerOf(claims: CheckedClaims): SiteReader {
  return {
    subject: subjectOf(claims.sub),
    displayName: displayNameOf(claims),
    email: emailOf(claims['email']),
    issuedAt: new Date(claims.iat * 1000),
    expiresAt: new Date(claims.exp * 1000),
  };
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
function displayNameOf(payload: JwtPayload): string {
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
