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
import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import * as z from '../validation';

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

/** HMAC keys shorter than the hash's output weaken HS256 (RFC 7518 §3.2). */
const MIN_KEY_BYTES = 32;

/**
 * The secret's value: `{ "current": "<key>", "previous"?: "<key>", "previousUntil"?: "<ISO time>" }`,
 * or a bare key (a secret written by hand). Keys are used as their UTF-8 bytes.
 */
const keySecretSchema = z.union([
  z.strictObject({
    current: z.string().check(z.minLength(MIN_KEY_BYTES)),
    previous: z.optional(z.string().check(z.minLength(MIN_KEY_BYTES))),
    previousUntil: z.optional(z.iso.datetime({ offset: true })),
  }),
  z.string().check(z.minLength(MIN_KEY_BYTES)),
]);

/**
 * The keys in a secret's value at `now`: the current key signs; it and the previous key (until
 * `previousUntil`, or indefinitely when the rotation set none) verify. Throws on a malformed
 * secret, naming what is wrong but never quoting it.
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
  const parsed = keySecretSchema.safeParse(value);
  if (!parsed.success) {
    const paths = parsed.error.issues.map((issue) => issue.path.join('.') || '(value)');
    throw new Error(`The reader token key secret is malformed at ${[...new Set(paths)].join(', ')}`);
  }
  const { current, previous, previousUntil } =
    typeof parsed.data === 'string'
      ? { current: parsed.data, previous: undefined, previousUntil: undefined }
      : parsed.data;
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
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: READER_TOKEN.algorithm, kid: keys.signing.kid, typ: 'JWT' })
    .setIssuer(READER_TOKEN.issuer)
    .setAudience(READER_TOKEN.audience)
    .setSubject(input.readerId)
    .setIssuedAt(issuedAt)
    .setExpirationTime(expiresAt)
    .sign(keys.signing.secret);
  return { token, readerId: input.readerId, expiresAt: new Date(expiresAt * 1000) };
}

/**
 * The reader a token names, once its signature (by a key it names and we still accept), issuer,
 * audience, algorithm and lifetime check out. Anything else is an {@link InvalidReaderTokenError}.
 */
export async function verifyReaderToken(keys: ReaderTokenKeys, token: string, now: Date): Promise<VerifiedReaderToken> {
  try {
    const { payload } = await jwtVerify(
      token,
      (header) => {
        const secret = header.kid === undefined ? undefined : keys.verifying.get(header.kid);
        if (!secret) throw new InvalidReaderTokenError('unknown-key');
        return secret;
      },
      {
        issuer: READER_TOKEN.issuer,
        audience: READER_TOKEN.audience,
        algorithms: [READER_TOKEN.algorithm],
        requiredClaims: ['sub', 'iat', 'exp'],
        clockTolerance: READER_TOKEN.clockToleranceSeconds,
        currentDate: now,
      },
    );
    const readerId = payload.sub!;
    if (!READER_ID_PATTERN.test(readerId)) throw new InvalidReaderTokenError('invalid-subject');
    if (payload.iat! > now.getTime() / 1000 + READER_TOKEN.clockToleranceSeconds) {
      throw new InvalidReaderTokenError('issued-in-the-future');
    }
    return { readerId, issuedAt: new Date(payload.iat! * 1000), expiresAt: new Date(payload.exp! * 1000) };
  } catch (error) {
    if (error instanceof InvalidReaderTokenError) throw error;
    throw new InvalidReaderTokenError(reasonOf(error));
  }
}

function reasonOf(error: unknown): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `claim-${error.claim}`;
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'algorithm-not-allowed';
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad-signature';
  return 'malformed';
}
