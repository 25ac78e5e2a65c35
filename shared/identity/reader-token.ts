/**
 * Anonymous reader tokens: what makes "one vote per reader" mean one per identity the backend
 * vouches for, not one per string a client makes up. `POST /readers/anonymous` mints a random
 * reader id and signs it (HS256, with a key only the backend holds); reader routes take the id
 * from a verified token and never from the body. Minting is what is rate limited per source, so
 * a source cannot cheaply mint an army of readers, and no reader action pays a write for it.
 *
 * The key lives in a secret (`ReaderTokenKey` in the stack). It rotates with a grace period: the
 * secret holds the current key, and optionally the previous one with the time until which tokens
 * it signed are still accepted. Each token names the key that signed it (`kid`, a digest of the
 * key, never the key itself).
 */
import { createHash, randomBytes } from 'node:crypto';
import { claimChecker, JwtError, MIN_SECRET_BYTES, signHs256, verifyJwt } from './jwt';

/** What every reader token says of itself; a token with other values is not ours. */
export const READER_TOKEN = {
  issuer: 'newsroom',
  audience: 'newsroom:reader',
  algorithm: 'HS256',
  /** Lambda and the local stack agree on time only so far; editors' tokens allow the same. */
  clockToleranceSeconds: 60,
} as const;

/** Opaque and URL-safe, so it can stand in paths (`/moderation/readers/{readerId}`). */
export const READER_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

/** The keys a process signs and verifies with, as read from the secret at one moment. */
export interface ReaderTokenKeys {
  signing: { kid: string; secret: Uint8Array };
  /** Every key a token may name, the signing key included, by `kid`. */
  verifying: ReadonlyMap<string, Uint8Array>;
}

export interface IssuedReaderToken {
  token: string;
  readerId: string;
  expiresAt: Date;
}

export interface VerifiedReaderToken {
  readerId: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** A token that is not a valid reader token, for whatever reason; the reason is for logs, never the token. */
export class InvalidReaderTokenError extends Error {
  constructor(readonly reason: string) {
    super(`Invalid reader token: ${reason}`);
    this.name = 'InvalidReaderTokenError';
  }
}

/**
 * An RFC 3339 date and time with seconds and an offset (`date -u +%FT%TZ`, `toISOString()`), on
 * a day that exists. Checked by hand: zod's `iso.datetime` costs reader routes over 2 KB of bundle.
 */
const DATE_TIME =
  /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?(?:Z|[+-](?:[01]\d|2[0-3]):[0-5]\d)$/;

export function isDateTime(value: string): boolean {
  const [, year, month, day] = DATE_TIME.exec(value) ?? [];
  return (
    day !== undefined && new Date(Date.UTC(Number(year), Number(month) - 1, Number(day))).getUTCDate() === Number(day)
  );
}

/**
 * The secret's value: `{ "current": "<key>", "previous"?: "<key>", "previousUntil"?: "<ISO time>" }`,
 * or a bare key (a secret written by hand). Keys are used as their UTF-8 bytes.
 */
interface KeySecret {
  current: string;
  previous?: string;
  previousUntil?: string;
}

const isKey = (value: unknown): value is string => typeof value === 'string' && value.length >= MIN_SECRET_BYTES;

/**
 * The keys in a secret's value at `now`: the current key signs; it and the previous key (until
 * `previousUntil`, or indefinitely when the rotation set none) verify. Throws on a malformed
 * secret, naming what is wrong but never quoting it. Checked by hand rather than with a schema:
 * every reader route holds this, and its bundle's bytes are budgeted.
 */
export function readerTokenKeysFrom(secretString: string, now: Date): ReaderTokenKeys {
  let value: unknown = secretString;
  if (secretString.trimStart().startsWith('{')) {
    try {
      value = JSON.parse(secretString);
    } catch {
      throw new Error('The reader token key secret is not valid JSON');
    }
  }
  const secret = (typeof value === 'string' ? { current: value } : value) as KeySecret;
  const { current, previous, previousUntil, ...unknown } =
    typeof secret === 'object' && secret !== null && !Array.isArray(secret) ? secret : ({} as KeySecret);
  const malformed = [
    ...(isKey(current) ? [] : ['current']),
    ...(previous === undefined || isKey(previous) ? [] : ['previous']),
    ...(previousUntil === undefined || (typeof previousUntil === 'string' && isDateTime(previousUntil))
      ? []
      : ['previousUntil']),
    ...Object.keys(unknown),
  ];
  if (malformed.length > 0) throw new Error(`The reader token key secret is malformed at ${malformed.join(', ')}`);
  const signing = keyOf(current);
  const verifying = new Map([[signing.kid, signing.secret]]);
  if (previous !== undefined && (previousUntil === undefined || Date.parse(previousUntil) > now.getTime())) {
    const old = keyOf(previous);
    verifying.set(old.kid, old.secret);
  }
  return { signing, verifying };
}

function keyOf(key: string): { kid: string; secret: Uint8Array } {
  const secret = new TextEncoder().encode(key);
  // A digest names the key in the token without revealing it.
  return { kid: createHash('sha256').update(secret).digest('base64url').slice(0, 12), secret };
}

/** A new reader id: 128 random bits, URL-safe. */
export function newReaderId(): string {
  return randomBytes(16).toString('base64url');
}

/** Signs a token for `readerId` that expires `ttlDays` after `now`. */
export async function issueReaderToken(
  keys: ReaderTokenKeys,
  input: { readerId: string; now: Date; ttlDays: number },
): Promise<IssuedReaderToken> {
  const issuedAt = Math.floor(input.now.getTime() / 1000);
  const expiresAt = issuedAt + Math.round(input.ttlDays * 24 * 3600);
  const token = signHs256(
    {
      iss: READER_TOKEN.issuer,
      aud: READER_TOKEN.audience,
      sub: input.readerId,
      iat: issuedAt,
      exp: expiresAt,
    },
    { kid: keys.signing.kid },
    keys.signing.secret,
  );
  return { token, readerId: input.readerId, expiresAt: new Date(expiresAt * 1000) };
}

const checkReaderClaims = claimChecker({
  issuer: READER_TOKEN.issuer,
  audience: READER_TOKEN.audience,
  clockToleranceSeconds: READER_TOKEN.clockToleranceSeconds,
  required: ['sub'],
});

/**
 * The reader a token names, once its signature (by a key it names and we still accept), issuer,
 * audience, algorithm and lifetime check out. Anything else is an {@link InvalidReaderTokenError}.
 */
export async function verifyReaderToken(keys: ReaderTokenKeys, token: string, now: Date): Promise<VerifiedReaderToken> {
  try {
    const { payload } = await verifyJwt(
      token,
      (header) => {
        const secret = header.kid === undefined ? undefined : keys.verifying.get(header.kid);
        return secret ? [secret] : [];
      },
      [READER_TOKEN.algorithm],
    );
    const claims = checkReaderClaims(payload, now);
    const readerId = claims.sub;
    if (typeof readerId !== 'string' || !READER_ID_PATTERN.test(readerId)) {
      throw new InvalidReaderTokenError('invalid-subject');
    }
    return { readerId, issuedAt: new Date(claims.iat * 1000), expiresAt: new Date(claims.exp * 1000) };
  } catch (error) {
    if (error instanceof JwtError) throw new InvalidReaderTokenError(reasonOf(error));
    throw error;
  }
}

/** The reasons this module has always logged: `claim-<name>` for a claim rule, and a future `iat` by name. */
function reasonOf({ reason, claim }: JwtError): string {
  if (reason === 'not-yet-valid' && claim === 'iat') return 'issued-in-the-future';
  if (reason === 'expired' || claim === undefined) return reason;
  return `claim-${claim}`;
}
