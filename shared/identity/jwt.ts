/**
 * Compact JWS / JWT on `node:crypto` alone: sign HS256, verify HS256, RS256 and ES256, fetch a
 * remote key set, check the registered claims. It replaces `jose` in reader routes: jose cost
 * every reader route 15 to 19 KB minified, past their bundle size budget. Tests still check this
 * module against jose (test/unit/identity/jwt.test.ts); no Lambda code imports jose.
 *
 * What keeps it safe, and must stay so:
 * - The caller names the algorithms it accepts; the token's header only says which of those it
 *   used. `none` is never one, and an algorithm must also fit the key: HMAC only ever runs with a
 *   `Uint8Array` secret, RSA and ECDSA only with a public `KeyObject` of the right type, so a
 *   public key can never serve as an HMAC secret (algorithm confusion).
 * - Keys come from the caller or its key set URL only, never from the token (`jwk`, `jku`, `x5u`
 *   and `x5c` headers are ignored); `crit` and `b64` headers are refused.
 * - A token is parsed strictly before anything else: at most 8 KB, three segments of canonical
 *   unpadded base64url, a header and a payload that are JSON objects in valid UTF-8.
 * - Refusals are {@link JwtError}s: a reason and a claim name, never token or key material.
 */
import {
  constants,
  createHmac,
  createPublicKey,
  KeyObject,
  timingSafeEqual,
  verify,
  type JsonWebKey,
} from 'node:crypto';

export type JwtAlgorithm = 'HS256' | 'RS256' | 'ES256';

/** Why a token was refused. 'key-unavailable' is the only one that is not the token's fault. */
export type JwtRejection =
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'bad-signature'
  | 'key-unavailable'
  | 'missing-claim'
  | 'invalid-claim'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'expired'
  | 'not-yet-valid';

/**
 * Every refusal. `claim` names the registered claim a claim rule failed on, never its value; the
 * message is made of the two, so it cannot carry token or key material. `cause` is only ever set
 * for 'key-unavailable', to say why the key set could not be read.
 */
export class JwtError extends Error {
  constructor(
    readonly reason: JwtRejection,
    readonly claim?: string,
    options?: { cause?: unknown },
  ) {
    super(`JWT refused: ${reason}${claim ? ` (${claim})` : ''}`, options);
    this.name = 'JwtError';
  }
}

export interface JwtHeader {
  alg: string;
  kid?: string;
  [name: string]: unknown;
}

export type JwtPayload = Record<string, unknown>;

export interface ParsedJwt {
  header: JwtHeader;
  payload: JwtPayload;
}

/** A secret (HS256, at least 32 bytes) or a public key (RS256: RSA of 2048 bits or more; ES256: P-256). */
export type JwtKey = Uint8Array | KeyObject;

/** The keys that may have signed a token, given its (parsed, not yet verified) header. */
export type JwtKeyResolver = (header: JwtHeader) => readonly JwtKey[] | Promise<readonly JwtKey[]>;

/** Larger tokens are refused before any decoding; our own are a few hundred bytes. */
export const MAX_TOKEN_CHARS = 8192;
/** HS256 secrets shorter than its 256-bit output make the MAC weaker than it looks (RFC 7518, 3.2). */
export const MIN_SECRET_BYTES = 32;
export const MAX_CLOCK_TOLERANCE_SECONDS = 60;
const MIN_RSA_BITS = 2048;
/** The largest NumericDate a `Date` can hold (±8.64e15 ms), so every accepted date is a valid `Date`. */
const MAX_NUMERIC_DATE = 8.64e12;
const MAX_KEY_SET_CHARS = 65_536;
const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]'];
const BASE64URL = /^[A-Za-z0-9_-]*$/;
/** application/json, or any `+json` type such as application/jwk-set+json, with parameters. */
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Signs `claims` with HS256 under the header `{ alg: 'HS256', typ: 'JWT', kid? }`. */
export function signHs256(claims: object, header: { kid?: string }, secret: Uint8Array): string {
  if (!(secret instanceof Uint8Array) || secret.length < MIN_SECRET_BYTES) {
    throw new TypeError('HS256 secrets must be at least 32 bytes');
  }
  const { kid } = header;
  if (kid !== undefined && typeof kid !== 'string') throw new TypeError('kid must be a string');
  const payload = JSON.stringify(claims) as string | undefined;
  if (Array.isArray(claims) || !payload?.startsWith('{')) throw new TypeError('JWT claims must be an object');
  const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) }))}.${base64url(payload)}`;
  const token = `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
  if (token.length > MAX_TOKEN_CHARS) throw new RangeError('The claims make a JWT over 8 KB');
  return token;
}

/**
 * Header and payload of a well-formed token, NOT verified: only for choosing how to verify it.
 * Throws a 'malformed' {@link JwtError} for anything but a strict compact JWS.
 */
export function parseJwt(token: string): ParsedJwt {
  return parsed(token).jwt;
}

function parsed(token: string): { jwt: ParsedJwt; signingInput: string; signature: Buffer } {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_CHARS) throw malformed();
  const segments = token.split('.');
  if (segments.length !== 3) throw malformed();
  const [headerSegment, payloadSegment, signatureSegment] = segments as [string, string, string];
  const header = jsonObjectOf(headerSegment);
  const payload = jsonObjectOf(payloadSegment);
  const signature = bytesOf(signatureSegment);
  if (typeof header.alg !== 'string' || (header.kid !== undefined && typeof header.kid !== 'string')) {
    throw malformed();
  }
  // Extensions we do not implement: `crit` names headers a verifier must understand, and `b64:
  // false` (RFC 7797) changes what is signed. Refusing both beats half-understanding them.
  if (header.crit !== undefined || (header.b64 !== undefined && header.b64 !== true)) {
    throw malformed();
  }
  return {
    jwt: { header: header as JwtHeader, payload },
    signingInput: `${headerSegment}.${payloadSegment}`,
    signature,
  };
}

/**
 * A token's header and payload once its signature checks out with one of `keys`, by an algorithm
 * in `algorithms`. Claims are not checked here: see {@link claimChecker}. An empty key list is
 * 'unknown-key'; keys that do not fit the token's algorithm are 'algorithm-not-allowed'.
 */
export async function verifyJwt(
  token: string,
  keys: JwtKey | readonly JwtKey[] | JwtKeyResolver,
  algorithms: readonly JwtAlgorithm[],
): Promise<ParsedJwt> {
  const { jwt, signingInput, signature } = parsed(token);
  const { alg } = jwt.header;
  if (!(algorithms as readonly string[]).includes(alg)) {
    throw new JwtError('algorithm-not-allowed');
  }
  const candidates: readonly JwtKey[] =
    typeof keys === 'function'
      ? await keys(jwt.header)
      : keys instanceof Uint8Array || keys instanceof KeyObject
        ? [keys]
        : keys;
  if (candidates.length === 0) throw new JwtError('unknown-key');
  const usable = candidates.filter((key) => fits(key, alg));
  if (usable.length === 0) throw new JwtError('algorithm-not-allowed');
  const data = Buffer.from(signingInput);
  if (!usable.some((key) => signatureMatches(alg, key, data, signature))) {
    throw new JwtError('bad-signature');
  }
  return jwt;
}

/** Whether `key` may serve `alg`: the right type, public, and strong enough. */
function fits(key: JwtKey, alg: string): boolean {
  if (alg === 'HS256') return key instanceof Uint8Array && key.length >= MIN_SECRET_BYTES;
  if (!(key instanceof KeyObject) || key.type !== 'public') return false;
  const details = key.asymmetricKeyDetails;
  if (alg === 'RS256') return key.asymmetricKeyType === 'rsa' && (details?.modulusLength ?? 0) >= MIN_RSA_BITS;
  return alg === 'ES256' && key.asymmetricKeyType === 'ec' && details?.namedCurve === 'prime256v1';
}

/** Only called with a key that {@link fits} `alg`. */
function signatureMatches(alg: string, key: JwtKey, data: Buffer, signature: Buffer): boolean {
  if (alg === 'HS256') {
    const mac = createHmac('sha256', key).update(data).digest();
    return signature.length === mac.length && timingSafeEqual(signature, mac);
  }
  const publicKey = key as KeyObject;
  try {
    if (alg === 'ES256') {
      // JWS signs with the raw r||s form; DER is a different encoding and not accepted.
      return (
        signature.length === 64 && verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, signature)
      );
    }
    return (
      signature.length === Math.ceil(publicKey.asymmetricKeyDetails!.modulusLength! / 8) &&
      verify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature)
    );
  } catch {
    return false;
  }
}

export interface ClaimRules {
  issuer: string;
  audience: string;
  /** Allowed clock skew for `exp`, `nbf` and `iat`, 0 to 60 s. */
  clockToleranceSeconds: number;
  /** Refuse tokens issued longer ago than this ('expired', claim `iat`). */
  maxAgeSeconds?: number | undefined;
  /** Claims that must be present besides `iss`, `aud`, `exp` and `iat`; their values are the caller's to check. */
  required?: readonly string[];
}

export interface CheckedClaims extends JwtPayload {
  iss: string;
  exp: number;
  iat: number;
}

/**
 * The check of a verified payload's registered claims under `rules`, which are validated here,
 * once (a RangeError or TypeError: the caller's bug, not a refusal). The check requires `iss`,
 * `aud`, `exp` and `iat`; wants `iss` equal to the issuer and `aud` the audience or a list holding
 * it; and, within the tolerance, `exp` after now and `iat` and `nbf` (if present) not after now.
 * It throws a {@link JwtError} naming the claim, or a TypeError for a `now` that is not a date.
 */
export function claimChecker(rules: ClaimRules): (payload: JwtPayload, now: Date) => CheckedClaims {
  const { issuer, audience, clockToleranceSeconds: tolerance, maxAgeSeconds } = rules;
  if (!(tolerance >= 0 && tolerance <= MAX_CLOCK_TOLERANCE_SECONDS)) {
    throw new RangeError('The clock tolerance must be 0 to 60 s');
  }
  if (maxAgeSeconds !== undefined && !(maxAgeSeconds > 0 && maxAgeSeconds < Infinity)) {
    throw new RangeError('The maximum token age must be positive seconds');
  }
  if (typeof issuer !== 'string' || !issuer || typeof audience !== 'string' || !audience) {
    throw new TypeError('The issuer and audience must be non-empty strings');
  }
  const required = ['iss', 'aud', 'exp', 'iat', ...(rules.required ?? [])];

  return (payload, date) => {
    const time = date instanceof Date ? date.getTime() : NaN;
    if (Number.isNaN(time)) throw new TypeError('now must be a valid Date');
    const now = Math.floor(time / 1000);
    for (const claim of required) {
      if (!Object.hasOwn(payload, claim)) throw new JwtError('missing-claim', claim);
    }
    const exp = numericDateOf(payload, 'exp')!;
    const iat = numericDateOf(payload, 'iat')!;
    const nbf = numericDateOf(payload, 'nbf');
    if (payload.iss !== issuer) throw new JwtError('wrong-issuer', 'iss');
    const { aud } = payload;
    if (aud !== audience && !(Array.isArray(aud) && aud.includes(audience))) {
      throw new JwtError('wrong-audience', 'aud');
    }
    if (nbf !== undefined && nbf - tolerance > now) throw new JwtError('not-yet-valid', 'nbf');
    if (exp + tolerance <= now) throw new JwtError('expired', 'exp');
    if (iat - tolerance > now) throw new JwtError('not-yet-valid', 'iat');
    if (maxAgeSeconds !== undefined && now - iat - tolerance > maxAgeSeconds) throw new JwtError('expired', 'iat');
    return payload as CheckedClaims;
  };
}

/** A finite NumericDate in the range of `Date` (JSON's `1e400` parses to Infinity), or undefined when absent. */
function numericDateOf(payload: JwtPayload, claim: string): number | undefined {
  const value = payload[claim];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(Math.abs(value) <= MAX_NUMERIC_DATE)) {
    throw new JwtError('invalid-claim', claim);
  }
  return value;
}

/** A public key from a key set entry, with the one algorithm it serves. */
export interface JwkKey {
  alg: 'RS256' | 'ES256';
  kid: string | undefined;
  key: KeyObject;
}

/**
 * The key a JWK describes, or undefined for one we do not use: only `kty` RSA (2048 bits or more)
 * and EC on P-256, and none whose `use` (if present) is not 'sig', whose `alg` (if present) is not
 * the one its type serves, or whose `key_ops` (if present) leave out 'verify'.
 */
export function keyFromJwk(jwk: unknown): JwkKey | undefined {
  if (typeof jwk !== 'object' || jwk === null || Array.isArray(jwk)) return undefined;
  const { kty, crv, use, alg, kid, key_ops: operations } = jwk as Record<string, unknown>;
  const served = kty === 'RSA' ? 'RS256' : kty === 'EC' && crv === 'P-256' ? 'ES256' : undefined;
  if (
    !served ||
    (use !== undefined && use !== 'sig') ||
    (alg !== undefined && alg !== served) ||
    (kid !== undefined && typeof kid !== 'string') ||
    (operations !== undefined && !(Array.isArray(operations) && operations.includes('verify')))
  ) {
    return undefined;
  }
  try {
    const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    return fits(key, served) ? { alg: served, kid, key } : undefined;
  } catch {
    return undefined;
  }
}

export interface RemoteJwksOptions {
  /** How long a fetch may take: 5 s unless told. */
  timeoutMs?: number;
  /** How long a fetched key set is used: 10 min unless told. */
  cacheMs?: number;
  /** The least time between fetches for a key the set lacks: 30 s unless told. */
  cooldownMs?: number;
  fetch?: typeof fetch;
}

/**
 * The keys of a remote key set (JWKS) that may have signed a token: those of the token's `kid`
 * and algorithm, or all of its algorithm when it names no `kid`. The set is kept for `cacheMs`,
 * and fetched again for a key it lacks at most once per `cooldownMs`. A set that cannot be
 * fetched or read is a 'key-unavailable' {@link JwtError}; a missing key is an empty list.
 * Whoever can change the set in transit can sign, so it is fetched over HTTPS, or on this machine.
 */
export function remoteJwks(url: string, options: RemoteJwksOptions = {}): (header: JwtHeader) => Promise<KeyObject[]> {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new TypeError('The key set URL is not a URL');
  }
  if (target.protocol !== 'https:' && !(target.protocol === 'http:' && LOOPBACK_HOSTS.includes(target.hostname))) {
    throw new TypeError('The key set must be fetched over HTTPS');
  }
  const { timeoutMs = 5000, cacheMs = 600_000, cooldownMs = 30_000 } = options;
  if (![timeoutMs, cacheMs, cooldownMs].every((ms) => ms >= 0 && ms < Infinity)) {
    throw new RangeError('Key set timings must be milliseconds >= 0');
  }
  let cached: JwkKey[] | undefined;
  let fetchedAt = 0;
  let attemptedAt = 0;
  let loading: Promise<JwkKey[]> | undefined;
  // Concurrent callers share one fetch; a failed fetch is not kept, so the next call tries again.
  const load = (): Promise<JwkKey[]> => {
    if (loading) return loading;
    attemptedAt = Date.now();
    return (loading = fetchKeySet(target, timeoutMs, options.fetch ?? fetch)
      .then((keys) => {
        cached = keys;
        fetchedAt = Date.now();
        return keys;
      })
      .finally(() => {
        loading = undefined;
      }));
  };
  const select = (keys: JwkKey[], { alg, kid }: JwtHeader): KeyObject[] =>
    keys.filter((entry) => entry.alg === alg && (kid === undefined || entry.kid === kid)).map((entry) => entry.key);

  return async (header) => {
    const keys = cached && Date.now() - fetchedAt < cacheMs ? cached : await load();
    const selected = select(keys, header);
    // A key the set lacks may have been added since (a rotation): fetch again, but not for every such token.
    return selected.length === 0 && Date.now() - attemptedAt >= cooldownMs ? select(await load(), header) : selected;
  };
}

async function fetchKeySet(url: URL, timeoutMs: number, fetchKeys: typeof fetch): Promise<JwkKey[]> {
  let keys: unknown;
  try {
    // Redirects are not followed: the configured HTTPS address is the one trusted.
    const response = await fetchKeys(url, {
      headers: { accept: 'application/jwk-set+json, application/json' },
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
    if (!JSON_MEDIA_TYPE.test(response.headers.get('content-type') ?? '')) throw new Error('Not JSON');
    if (Number(response.headers.get('content-length')) > MAX_KEY_SET_CHARS) throw new Error('Too large');
    const text = await response.text();
    if (text.length > MAX_KEY_SET_CHARS) throw new Error('Too large');
    keys = (JSON.parse(text) as { keys?: unknown } | null)?.keys;
    if (!Array.isArray(keys)) throw new Error('No list of keys');
  } catch (error) {
    throw new JwtError('key-unavailable', undefined, { cause: error });
  }
  return (keys as unknown[]).flatMap((jwk) => keyFromJwk(jwk) ?? []);
}

function base64url(text: string): string {
  return Buffer.from(text).toString('base64url');
}

/** The bytes of a segment in canonical unpadded base64url: Node's decoder would skip stray characters and spare bits. */
function bytesOf(segment: string): Buffer {
  const bytes = Buffer.from(segment, 'base64url');
  if (!BASE64URL.test(segment) || bytes.toString('base64url') !== segment) throw malformed();
  return bytes;
}

function jsonObjectOf(segment: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(UTF8.decode(bytesOf(segment)));
  } catch {
    throw malformed();
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw malformed();
  return value as Record<string, unknown>;
}

function malformed(): JwtError {
  return new JwtError('malformed');
}
