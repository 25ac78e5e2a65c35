/**
 * The JWT module reader routes verify tokens with (shared/identity/jwt.ts): every rule on its own,
 * then against jose, the library it replaces, which stays a dev dependency for exactly this: what
 * jose signs we verify, what we sign jose verifies, and what jose refuses for a signature or
 * algorithm reason we refuse too. Properties close: random claims round-trip, and no single
 * character of a valid token can be changed, dropped or added without the token being refused.
 */
import {
  createHmac,
  createSecretKey,
  generateKeyPairSync,
  sign as cryptoSign,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';
import * as fc from 'fast-check';
import { compactVerify, jwtVerify, SignJWT } from 'jose';
import {
  claimChecker,
  JwtError,
  keyFromJwk,
  MAX_TOKEN_CHARS,
  parseJwt,
  remoteJwks,
  signHs256,
  verifyJwt,
  type ClaimRules,
  type JwtAlgorithm,
  type JwtKey,
  type JwtRejection,
} from '../../../shared/identity/jwt';
import { readerTokenKeysFrom } from '../../../shared/identity/reader-token';

const ISSUER = 'https://www.example-news.test';
const AUDIENCE = 'newsroom-api';
const SECRET = new TextEncoder().encode('the site and the newsroom share these 48 bytes!!');
const OTHER_SECRET = new TextEncoder().encode('another site signs with these 48 bytes instead!!');
const NOW = new Date('2026-03-02T10:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;
const CLAIMS = { iss: ISSUER, aud: AUDIENCE, sub: 'reader-42', iat: NOW_SECONDS - 60, exp: NOW_SECONDS + 3600 };
const RULES: ClaimRules = { issuer: ISSUER, audience: AUDIENCE, clockToleranceSeconds: 60 };
const checkClaims = (payload: Record<string, unknown>, now: Date = NOW) => claimChecker(RULES)(payload, now);
const ALL_ALGORITHMS: JwtAlgorithm[] = ['HS256', 'RS256', 'ES256'];

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const nextRsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const weakRsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const rsaPss = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const attackerEc = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' });
const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const ed25519 = generateKeyPairSync('ed25519');

const base64url = (bytes: string | Uint8Array): string => Buffer.from(bytes).toString('base64url');
const part = (value: unknown): string => base64url(JSON.stringify(value));
const jwkOf = (key: KeyObject, extra: Record<string, unknown> = {}): JsonWebKey => ({
  ...key.export({ format: 'jwk' }),
  ...extra,
});

/** A token whose segments are given as they are, HS256-signed over exactly that text. */
function hs256Raw(headerSegment: string, payloadSegment: string, secret: Uint8Array = SECRET): string {
  const input = `${headerSegment}.${payloadSegment}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** A token signed by hand with node:crypto, for what jose will not sign (weak keys, wrong curves, DER). */
function signedByHand(
  alg: string,
  key: KeyObject,
  options: { header?: Record<string, unknown>; claims?: object; dsaEncoding?: 'ieee-p1363' | 'der' } = {},
): string {
  const { header = {}, claims = CLAIMS, dsaEncoding = 'ieee-p1363' } = options;
  const input = `${part({ alg, ...header })}.${part(claims)}`;
  const signature =
    key.asymmetricKeyType === 'ec'
      ? cryptoSign('sha256', Buffer.from(input), { key, dsaEncoding })
      : cryptoSign('sha256', Buffer.from(input), key);
  return `${input}.${base64url(signature)}`;
}

function joseSigned(alg: string, key: KeyObject | Uint8Array, kid?: string, claims: object = CLAIMS) {
  return new SignJWT({ ...claims }).setProtectedHeader(kid === undefined ? { alg } : { alg, kid }).sign(key);
}

/** The same token with one character of a segment replaced, never the last (whose spare bits may not count). */
function tampered(token: string, segmentIndex: number): string {
  const segments = token.split('.');
  const segment = segments[segmentIndex]!;
  const at = Math.floor(segment.length / 2);
  segments[segmentIndex] = `${segment.slice(0, at)}${segment[at] === 'A' ? 'B' : 'A'}${segment.slice(at + 1)}`;
  return segments.join('.');
}

const BASE64URL_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** Another spelling of a segment that Node decodes to the same bytes: a spare bit of its last character set. */
function withSpareBitSet(segment: string): string {
  if (segment.length % 4 < 2) throw new Error('This segment has no spare bits');
  const last = BASE64URL_ALPHABET.indexOf(segment.at(-1)!);
  const variant = `${segment.slice(0, -1)}${BASE64URL_ALPHABET[last + 1]}`;
  if (!Buffer.from(variant, 'base64url').equals(Buffer.from(segment, 'base64url')))
    throw new Error('Not the same bytes');
  return variant;
}

/** `part(value)` spelled with a spare bit set, padding `value` until its encoding has spare bits. */
function nonCanonicalPart(value: Record<string, unknown>): string {
  const [padded] = ['', 'x', 'xx'].map((pad) => part({ ...value, pad })).filter((segment) => segment.length % 4 >= 2);
  return withSpareBitSet(padded!);
}

function syncRefusal(act: () => unknown): JwtError {
  let thrown: unknown;
  try {
    act();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(JwtError);
  return thrown as JwtError;
}

async function refusal(acting: Promise<unknown>): Promise<JwtError> {
  const thrown = await acting.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(thrown).toBeInstanceOf(JwtError);
  return thrown as JwtError;
}

async function expectRefused(acting: Promise<unknown>, reason: JwtRejection): Promise<JwtError> {
  const error = await refusal(acting);
  expect(error.reason).toBe(reason);
  return error;
}

afterEach(() => {
  jest.restoreAllMocks();
});

describe('signHs256', () => {
  it('signs the claims under the header { alg: HS256, typ: JWT, kid }, with HMAC-SHA256 over the first two segments', () => {
    const token = signHs256(CLAIMS, { kid: 'key-1' }, SECRET);
    const [header, payload, signature] = token.split('.') as [string, string, string];

    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT', kid: 'key-1' });
    expect(JSON.parse(Buffer.from(payload, 'base64url').toString())).toEqual(CLAIMS);
    expect(signature).toBe(createHmac('sha256', SECRET).update(`${header}.${payload}`).digest('base64url'));
  });

  it('leaves `kid` out of the header when none is given', () => {
    const { header } = parseJwt(signHs256(CLAIMS, {}, SECRET));

    expect(header).toStrictEqual({ alg: 'HS256', typ: 'JWT' });
  });

  it.each([
    ['a secret shorter than 32 bytes', () => signHs256(CLAIMS, {}, SECRET.subarray(0, 31)), TypeError],
    ['a secret that is a string', () => signHs256(CLAIMS, {}, 'x'.repeat(40) as unknown as Uint8Array), TypeError],
    ['claims that are an array', () => signHs256([1, 2], {}, SECRET), TypeError],
    ['claims that are null', () => signHs256(null as unknown as object, {}, SECRET), TypeError],
    ['claims that are a string', () => signHs256('claims' as unknown as object, {}, SECRET), TypeError],
    ['a `kid` that is not a string', () => signHs256(CLAIMS, { kid: 7 as unknown as string }, SECRET), TypeError],
    ['claims too large for a token', () => signHs256({ pad: 'x'.repeat(MAX_TOKEN_CHARS) }, {}, SECRET), RangeError],
  ])('refuses %s', (_case, act, errorType) => {
    expect(act).toThrow(errorType);
  });

  it('signs a 32-byte secret, the shortest allowed', async () => {
    const secret = SECRET.subarray(0, 32);

    await expect(verifyJwt(signHs256(CLAIMS, {}, secret), secret, ['HS256'])).resolves.toMatchObject({
      payload: CLAIMS,
    });
  });
});

describe('parseJwt', () => {
  it('reads the header and payload of a well-formed token, without verifying it', () => {
    const token = signHs256(CLAIMS, { kid: 'key-1' }, OTHER_SECRET);

    expect(parseJwt(token)).toEqual({ header: { alg: 'HS256', typ: 'JWT', kid: 'key-1' }, payload: CLAIMS });
  });

  it('accepts a token of exactly 8192 characters and refuses one of 8193, before any decoding', () => {
    const sized = (length: number) => {
      for (let pad = ''; ; pad += 'x') {
        const token = hs256Raw(part({ alg: 'HS256' }), part({ pad }));
        if (token.length >= length) return token;
      }
    };
    const longest = sized(MAX_TOKEN_CHARS);
    const tooLong = `${longest}A`;

    expect(longest.length).toBe(MAX_TOKEN_CHARS);
    expect(parseJwt(longest).payload).toHaveProperty('pad');
    expect(syncRefusal(() => parseJwt(tooLong)).reason).toBe('malformed');
    expect(syncRefusal(() => parseJwt('x'.repeat(1_000_000))).reason).toBe('malformed');
  });

  const header = part({ alg: 'HS256' });
  const payload = part(CLAIMS);
  const utf8 = (text: string) => base64url(Buffer.from(text));
  // Each token but the first few carries a valid HS256 signature over its own text, so the format
  // alone is what refuses it.
  it.each<[string, unknown]>([
    ['not a string', 42],
    ['undefined', undefined],
    ['empty', ''],
    ['one segment', 'abcdef'],
    ['two segments', `${header}.${payload}`],
    ['four segments', `${hs256Raw(header, payload)}.${header}`],
    ['three dots of garbage', 'a.b.c'],
    ['padded with =', `${hs256Raw(header, payload)}=`],
    ['holding a + (standard base64)', hs256Raw(header, `${payload.slice(0, 8)}+${payload.slice(9)}`)],
    ['holding a / (standard base64)', hs256Raw(header, `${payload.slice(0, 8)}/${payload.slice(9)}`)],
    ['led by a space', ` ${hs256Raw(header, payload)}`],
    ['followed by a line break', `${hs256Raw(header, payload)}\n`],
    ['with a header that is not canonical base64url', hs256Raw(nonCanonicalPart({ alg: 'HS256' }), payload)],
    ['with a payload that is not canonical base64url', hs256Raw(header, nonCanonicalPart(CLAIMS))],
    [
      'with a signature that is not canonical base64url',
      (() => {
        const [h, p, s] = hs256Raw(header, payload).split('.') as [string, string, string];
        return `${h}.${p}.${withSpareBitSet(s)}`;
      })(),
    ],
    ['with an empty header', hs256Raw('', payload)],
    ['with an empty payload', hs256Raw(header, '')],
    ['with a header that is not JSON', hs256Raw(utf8('{alg: HS256}'), payload)],
    ['with a header that is an array', hs256Raw(part(['HS256']), payload)],
    ['with a header that is null', hs256Raw(part(null), payload)],
    ['with a header that is a string', hs256Raw(part('HS256'), payload)],
    ['with a payload that is not JSON', hs256Raw(header, utf8('not json'))],
    ['with a payload that is an array', hs256Raw(header, part([CLAIMS]))],
    ['with a payload that is null', hs256Raw(header, part(null))],
    ['with a payload that is a number', hs256Raw(header, part(42))],
    [
      'with a payload that is not UTF-8',
      hs256Raw(header, base64url(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]))),
    ],
    ['with a header led by a byte order mark', hs256Raw(utf8('\ufeff{"alg":"HS256"}'), payload)],
    ['without `alg`', hs256Raw(part({ typ: 'JWT' }), payload)],
    ['with an `alg` that is not a string', hs256Raw(part({ alg: ['HS256'] }), payload)],
    ['with a `kid` that is not a string', hs256Raw(part({ alg: 'HS256', kid: 1 }), payload)],
    ['with a `kid` that is null', hs256Raw(part({ alg: 'HS256', kid: null }), payload)],
    ['with a `crit` header', hs256Raw(part({ alg: 'HS256', crit: ['exp'], exp: 1 }), payload)],
    ['with an empty `crit` header', hs256Raw(part({ alg: 'HS256', crit: [] }), payload)],
    ['with `b64: false` (unencoded payload)', hs256Raw(part({ alg: 'HS256', b64: false, crit: ['b64'] }), payload)],
    ['with `b64: false` and no `crit`', hs256Raw(part({ alg: 'HS256', b64: false }), payload)],
    ['with `b64` that is not a boolean', hs256Raw(part({ alg: 'HS256', b64: 'false' }), payload)],
  ])('refuses a token %s as malformed, in parsing and in verifying', async (_case, token) => {
    expect(syncRefusal(() => parseJwt(token as string)).reason).toBe('malformed');
    await expectRefused(verifyJwt(token as string, SECRET, ['HS256']), 'malformed');
  });

  it('accepts `b64: true`, which changes nothing', async () => {
    const token = hs256Raw(part({ alg: 'HS256', b64: true }), part(CLAIMS));

    await expect(verifyJwt(token, SECRET, ['HS256'])).resolves.toMatchObject({ payload: CLAIMS });
  });

  it('keeps a `__proto__` claim as data, not as the payload prototype', () => {
    const token = hs256Raw(part({ alg: 'HS256' }), utf8('{"__proto__":{"exp":1},"sub":"x"}'));
    const { payload } = parseJwt(token);

    expect(Object.getPrototypeOf(payload)).toBe(Object.prototype);
    expect(payload.exp).toBeUndefined();
  });
});

describe('verifyJwt', () => {
  it('returns the header and payload of an HS256 token signed with the key', async () => {
    const token = signHs256(CLAIMS, { kid: 'k' }, SECRET);

    await expect(verifyJwt(token, SECRET, ['HS256'])).resolves.toEqual({
      header: { alg: 'HS256', typ: 'JWT', kid: 'k' },
      payload: CLAIMS,
    });
  });

  it('verifies RS256 with a 2048-bit RSA key and ES256 with a P-256 key', async () => {
    await expect(verifyJwt(signedByHand('RS256', rsa.privateKey), rsa.publicKey, ['RS256'])).resolves.toBeDefined();
    await expect(verifyJwt(signedByHand('ES256', ec.privateKey), ec.publicKey, ['ES256'])).resolves.toBeDefined();
  });

  it('does not check claims: an expired token with a good signature verifies', async () => {
    const token = signHs256({ ...CLAIMS, exp: 1 }, {}, SECRET);

    await expect(verifyJwt(token, SECRET, ['HS256'])).resolves.toMatchObject({ payload: { exp: 1 } });
  });

  describe('takes the algorithms from the caller, never from the header', () => {
    it.each<[string, string, JwtKey, JwtAlgorithm[]]>([
      ['an HS256 token when only RS256 is allowed', signHs256(CLAIMS, {}, SECRET), SECRET, ['RS256']],
      ['an RS256 token when only HS256 is allowed', signedByHand('RS256', rsa.privateKey), rsa.publicKey, ['HS256']],
      ['an ES256 token when only RS256 is allowed', signedByHand('ES256', ec.privateKey), ec.publicKey, ['RS256']],
      ['an unsigned token (alg none)', `${part({ alg: 'none' })}.${part(CLAIMS)}.`, SECRET, ALL_ALGORITHMS],
      ['an unsigned token (alg None)', `${part({ alg: 'None' })}.${part(CLAIMS)}.`, SECRET, ALL_ALGORITHMS],
      ['an algorithm in other case (hs256)', hs256Raw(part({ alg: 'hs256' }), part(CLAIMS)), SECRET, ALL_ALGORITHMS],
      ['an unsupported algorithm (HS512)', hs256Raw(part({ alg: 'HS512' }), part(CLAIMS)), SECRET, ALL_ALGORITHMS],
      [
        'alg none, even when a caller names it',
        `${part({ alg: 'none' })}.${part(CLAIMS)}.`,
        SECRET,
        ['none' as JwtAlgorithm],
      ],
      [
        'HS512 even when a caller names it',
        hs256Raw(part({ alg: 'HS512' }), part(CLAIMS)),
        SECRET,
        ['HS512' as JwtAlgorithm],
      ],
    ])('refuses %s', async (_case, token, key, algorithms) => {
      await expectRefused(verifyJwt(token, key, algorithms), 'algorithm-not-allowed');
    });

    it('refuses before looking up a key', async () => {
      const resolver = jest.fn(() => [SECRET]);

      await expectRefused(verifyJwt(signHs256(CLAIMS, {}, SECRET), resolver, ['RS256']), 'algorithm-not-allowed');
      expect(resolver).not.toHaveBeenCalled();
    });
  });

  describe('uses a key only for the algorithm it fits', () => {
    const pem = new TextEncoder().encode(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    it.each<[string, string, JwtKey, JwtAlgorithm[]]>([
      [
        'HMAC with an RSA public key, its PEM the secret (key confusion)',
        hs256Raw(part({ alg: 'HS256' }), part(CLAIMS), pem),
        rsa.publicKey,
        ['HS256', 'RS256'],
      ],
      ['HMAC with a secret KeyObject', signHs256(CLAIMS, {}, SECRET), createSecretKey(SECRET), ['HS256']],
      [
        'HMAC with a secret under 32 bytes',
        hs256Raw(part({ alg: 'HS256' }), part(CLAIMS), SECRET.subarray(0, 16)),
        SECRET.subarray(0, 16),
        ['HS256'],
      ],
      ['RS256 with a secret', signedByHand('RS256', rsa.privateKey), SECRET, ['HS256', 'RS256']],
      ['RS256 with an EC key', signedByHand('RS256', rsa.privateKey), ec.publicKey, ALL_ALGORITHMS],
      [
        'RS256 with an RSA key under 2048 bits',
        signedByHand('RS256', weakRsa.privateKey),
        weakRsa.publicKey,
        ['RS256'],
      ],
      ['RS256 with an RSA-PSS key', signedByHand('RS256', rsaPss.privateKey), rsaPss.publicKey, ['RS256']],
      ['RS256 with a private key', signedByHand('RS256', rsa.privateKey), rsa.privateKey, ['RS256']],
      ['ES256 with an RSA key', signedByHand('ES256', ec.privateKey), rsa.publicKey, ALL_ALGORITHMS],
      ['ES256 with a P-384 key', signedByHand('ES256', p384.privateKey), p384.publicKey, ['ES256']],
      ['ES256 with a secp256k1 key', signedByHand('ES256', secp256k1.privateKey), secp256k1.publicKey, ['ES256']],
      ['ES256 with an Ed25519 key', signedByHand('ES256', ec.privateKey), ed25519.publicKey, ['ES256']],
      ['ES256 with a private key', signedByHand('ES256', ec.privateKey), ec.privateKey, ['ES256']],
    ])('refuses %s', async (_case, token, key, algorithms) => {
      await expectRefused(verifyJwt(token, key, algorithms), 'algorithm-not-allowed');
    });
  });

  describe('checks the signature', () => {
    const hs = signHs256(CLAIMS, {}, SECRET);
    const rs = signedByHand('RS256', rsa.privateKey);
    const es = signedByHand('ES256', ec.privateKey);
    const [hsHeader, hsPayload, hsSignature] = hs.split('.') as [string, string, string];
    const [esHeader, esPayload] = es.split('.') as [string, string];
    const hsWithSignature = (bytes: Buffer) => `${hsHeader}.${hsPayload}.${base64url(bytes)}`;
    const mac = Buffer.from(hsSignature, 'base64url');

    it.each<[string, string, JwtKey, JwtAlgorithm]>([
      ['HS256 signed with another secret', signHs256(CLAIMS, {}, OTHER_SECRET), SECRET, 'HS256'],
      [
        'HS256 with its payload changed',
        `${hsHeader}.${part({ ...CLAIMS, sub: 'reader-1' })}.${hsSignature}`,
        SECRET,
        'HS256',
      ],
      ['HS256 with its signature changed', tampered(hs, 2), SECRET, 'HS256'],
      ['HS256 with no signature', `${hsHeader}.${hsPayload}.`, SECRET, 'HS256'],
      ['HS256 with the signature cut to 31 bytes', hsWithSignature(mac.subarray(0, 31)), SECRET, 'HS256'],
      [
        'HS256 with a byte added to the signature',
        hsWithSignature(Buffer.concat([mac, Buffer.of(0)])),
        SECRET,
        'HS256',
      ],
      ['HS256 with the signature twice', hsWithSignature(Buffer.concat([mac, mac])), SECRET, 'HS256'],
      ['RS256 with its payload changed', tampered(rs, 1), rsa.publicKey, 'RS256'],
      ['RS256 with its signature changed', tampered(rs, 2), rsa.publicKey, 'RS256'],
      ['RS256 signed by another key', signedByHand('RS256', nextRsa.privateKey), rsa.publicKey, 'RS256'],
      [
        'RS256 with a signature one byte short',
        `${rs.split('.').slice(0, 2).join('.')}.${base64url(Buffer.from(rs.split('.')[2]!, 'base64url').subarray(1))}`,
        rsa.publicKey,
        'RS256',
      ],
      ['ES256 with its payload changed', tampered(es, 1), ec.publicKey, 'ES256'],
      ['ES256 with its signature changed', tampered(es, 2), ec.publicKey, 'ES256'],
      ['ES256 signed by another key', signedByHand('ES256', attackerEc.privateKey), ec.publicKey, 'ES256'],
      [
        'ES256 with a DER signature',
        signedByHand('ES256', ec.privateKey, { dsaEncoding: 'der' }),
        ec.publicKey,
        'ES256',
      ],
      [
        'ES256 with a signature of zeros',
        `${esHeader}.${esPayload}.${base64url(Buffer.alloc(64))}`,
        ec.publicKey,
        'ES256',
      ],
      [
        'ES256 with a 63-byte signature',
        `${esHeader}.${esPayload}.${base64url(Buffer.alloc(63, 1))}`,
        ec.publicKey,
        'ES256',
      ],
      [
        'ES256 with a 65-byte signature',
        `${esHeader}.${esPayload}.${base64url(Buffer.alloc(65, 1))}`,
        ec.publicKey,
        'ES256',
      ],
    ])('refuses %s', async (_case, token, key, alg) => {
      await expectRefused(verifyJwt(token, key, [alg]), 'bad-signature');
    });

    it('ignores a key the token carries in its header (`jwk`) and keys it points to (`jku`, `x5u`)', async () => {
      const fetchSpy = jest.spyOn(globalThis, 'fetch');
      const token = signedByHand('ES256', attackerEc.privateKey, {
        header: {
          jwk: jwkOf(attackerEc.publicKey),
          jku: 'https://attacker.test/jwks.json',
          x5u: 'https://attacker.test/cert.pem',
        },
      });

      await expectRefused(verifyJwt(token, ec.publicKey, ['ES256']), 'bad-signature');
      expect(fetchSpy).not.toHaveBeenCalled();
    });
  });

  describe('with several keys', () => {
    it('accepts a token any one of them signed, from a list or from a resolver given the header', async () => {
      const token = signHs256(CLAIMS, { kid: 'second' }, OTHER_SECRET);
      const resolver = jest.fn(() => Promise.resolve([SECRET, OTHER_SECRET]));

      await expect(verifyJwt(token, [SECRET, OTHER_SECRET], ['HS256'])).resolves.toBeDefined();
      await expect(verifyJwt(token, resolver, ['HS256'])).resolves.toBeDefined();
      expect(resolver).toHaveBeenCalledWith({ alg: 'HS256', typ: 'JWT', kid: 'second' });
    });

    it('tries only the keys that fit the algorithm', async () => {
      const token = signedByHand('RS256', nextRsa.privateKey);

      await expect(
        verifyJwt(token, [SECRET, ec.publicKey, rsa.publicKey, nextRsa.publicKey], ALL_ALGORITHMS),
      ).resolves.toBeDefined();
    });

    it('refuses a token none of them signed', async () => {
      const token = signHs256(CLAIMS, {}, new TextEncoder().encode('z'.repeat(32)));

      await expectRefused(verifyJwt(token, [SECRET, OTHER_SECRET], ['HS256']), 'bad-signature');
    });

    it('refuses a token for which there is no key at all as an unknown key', async () => {
      await expectRefused(verifyJwt(signHs256(CLAIMS, { kid: 'gone' }, SECRET), [], ['HS256']), 'unknown-key');
      await expectRefused(
        verifyJwt(signHs256(CLAIMS, {}, SECRET), () => [], ['HS256']),
        'unknown-key',
      );
    });

    it("passes on the resolver's own error", async () => {
      const unavailable = new JwtError('key-unavailable', 'down');

      await expect(verifyJwt(signHs256(CLAIMS, {}, SECRET), () => Promise.reject(unavailable), ['HS256'])).rejects.toBe(
        unavailable,
      );
    });
  });
});

describe('claimChecker', () => {
  const check = (overrides: Record<string, unknown>, rules: Partial<ClaimRules> = {}, now: Date = NOW) =>
    claimChecker({ ...RULES, ...rules })(
      JSON.parse(JSON.stringify({ ...CLAIMS, ...overrides })) as Record<string, unknown>,
      now,
    );

  it('returns the payload when every claim checks out', () => {
    const payload = { ...CLAIMS, nbf: NOW_SECONDS - 60, extra: true };

    expect(checkClaims(payload)).toBe(payload);
  });

  it.each<[string, Record<string, unknown>, Partial<ClaimRules>, JwtRejection, string]>([
    ['no `iss`', { iss: undefined }, {}, 'missing-claim', 'iss'],
    ['no `aud`', { aud: undefined }, {}, 'missing-claim', 'aud'],
    ['no `exp`', { exp: undefined }, {}, 'missing-claim', 'exp'],
    ['no `iat`', { iat: undefined }, {}, 'missing-claim', 'iat'],
    ['no `sub` when required', { sub: undefined }, { required: ['sub'] }, 'missing-claim', 'sub'],
    ['an `exp` that is a string', { exp: String(NOW_SECONDS + 60) }, {}, 'invalid-claim', 'exp'],
    ['an `exp` that is null', { exp: null }, {}, 'invalid-claim', 'exp'],
    ['an `exp` beyond the range of Date', { exp: 8.64e12 + 1 }, {}, 'invalid-claim', 'exp'],
    ['an `iat` that is a string', { iat: String(NOW_SECONDS) }, {}, 'invalid-claim', 'iat'],
    ['an `iat` that is an array', { iat: [NOW_SECONDS] }, {}, 'invalid-claim', 'iat'],
    ['an `nbf` that is a string', { nbf: 'soon' }, {}, 'invalid-claim', 'nbf'],
    ['an `nbf` that is null', { nbf: null }, {}, 'invalid-claim', 'nbf'],
    ['another issuer', { iss: 'https://other-news.test' }, {}, 'wrong-issuer', 'iss'],
    ['an issuer of another case', { iss: ISSUER.toUpperCase() }, {}, 'wrong-issuer', 'iss'],
    ['an issuer in a list', { iss: [ISSUER] }, {}, 'wrong-issuer', 'iss'],
    ['another audience', { aud: 'other-api' }, {}, 'wrong-audience', 'aud'],
    ['a list of other audiences', { aud: ['other-api', 'newsroom'] }, {}, 'wrong-audience', 'aud'],
    ['an empty list of audiences', { aud: [] }, {}, 'wrong-audience', 'aud'],
    ['an audience that is an object', { aud: { [AUDIENCE]: true } }, {}, 'wrong-audience', 'aud'],
    ['an audience with a prefix of ours', { aud: `${AUDIENCE}-2` }, {}, 'wrong-audience', 'aud'],
    ['an `exp` 60 s ago, at the tolerance', { exp: NOW_SECONDS - 60 }, {}, 'expired', 'exp'],
    ['an `exp` now, without tolerance', { exp: NOW_SECONDS }, { clockToleranceSeconds: 0 }, 'expired', 'exp'],
    ['an `nbf` 61 s ahead', { nbf: NOW_SECONDS + 61 }, {}, 'not-yet-valid', 'nbf'],
    ['an `iat` 61 s ahead', { iat: NOW_SECONDS + 61 }, {}, 'not-yet-valid', 'iat'],
    [
      'an `iat` 1 s ahead, without tolerance',
      { iat: NOW_SECONDS + 1 },
      { clockToleranceSeconds: 0 },
      'not-yet-valid',
      'iat',
    ],
    ['an `iat` older than the maximum age', { iat: NOW_SECONDS - 3661 }, { maxAgeSeconds: 3600 }, 'expired', 'iat'],
  ])('refuses %s', (_case, overrides, rules, reason, claim) => {
    const error = syncRefusal(() => check(overrides, rules));

    expect({ reason: error.reason, claim: error.claim }).toEqual({ reason, claim });
  });

  it.each<[string, Record<string, unknown>, Partial<ClaimRules>]>([
    ['an `exp` 59 s ago, within the tolerance', { exp: NOW_SECONDS - 59 }, {}],
    ['an `exp` 1 s ahead, without tolerance', { exp: NOW_SECONDS + 1 }, { clockToleranceSeconds: 0 }],
    ['an `iat` 60 s ahead, at the tolerance', { iat: NOW_SECONDS + 60 }, {}],
    ['an `nbf` 60 s ahead, at the tolerance', { nbf: NOW_SECONDS + 60 }, {}],
    ['a list of audiences holding ours', { aud: ['other-api', AUDIENCE] }, {}],
    ['an `iat` as old as the maximum age allows', { iat: NOW_SECONDS - 3660 }, { maxAgeSeconds: 3600 }],
    ['fractional dates', { iat: NOW_SECONDS - 0.5, exp: NOW_SECONDS + 0.5 }, { clockToleranceSeconds: 0 }],
    ['a `sub` of any type when required: its value is the caller’s to check', { sub: 0 }, { required: ['sub'] }],
  ])('accepts %s', (_case, overrides, rules) => {
    expect(() => check(overrides, rules)).not.toThrow();
  });

  it('compares whole seconds: a token expiring at second S is valid throughout second S - 1', () => {
    const lateInSecond = new Date(NOW.getTime() + 999);

    expect(() => check({ exp: NOW_SECONDS + 1 }, { clockToleranceSeconds: 0 }, lateInSecond)).not.toThrow();
  });

  it('refuses an `exp` of Infinity (JSON `1e400`) as not a date', () => {
    const payload = JSON.parse(JSON.stringify(CLAIMS).replace(/"exp":\d+/, '"exp":1e400')) as Record<string, unknown>;

    expect(payload.exp).toBe(Infinity);
    expect(syncRefusal(() => checkClaims(payload)).reason).toBe('invalid-claim');
  });

  it('counts only own claims, never inherited ones', () => {
    const payload = Object.assign(Object.create({ exp: NOW_SECONDS + 3600 }) as Record<string, unknown>, {
      ...CLAIMS,
      exp: undefined,
    });
    delete payload.exp;

    expect(syncRefusal(() => checkClaims(payload)).reason).toBe('missing-claim');
  });

  it.each<[string, Partial<ClaimRules>, ErrorConstructor]>([
    ['a clock tolerance above 60 s', { clockToleranceSeconds: 61 }, RangeError],
    ['a negative clock tolerance', { clockToleranceSeconds: -1 }, RangeError],
    ['a clock tolerance that is not a number', { clockToleranceSeconds: NaN }, RangeError],
    ['a maximum age of zero', { maxAgeSeconds: 0 }, RangeError],
    ['an infinite maximum age', { maxAgeSeconds: Infinity }, RangeError],
    ['an empty issuer', { issuer: '' }, TypeError],
    ['an empty audience', { audience: '' }, TypeError],
  ])('throws for %s when made, a bug of the caller rather than a refusal', (_case, rules, errorType) => {
    expect(() => claimChecker({ ...RULES, ...rules })).toThrow(errorType);
  });

  it.each([
    ['an invalid date', new Date(NaN)],
    ['a number', NOW.getTime() as unknown as Date],
  ])('throws a TypeError for a `now` that is %s', (_case, now) => {
    expect(() => check({}, {}, now)).toThrow(TypeError);
  });
});

describe('keyFromJwk', () => {
  it('reads an RSA key of 2048 bits for RS256 and an EC P-256 key for ES256, with their kid', () => {
    const rsaKey = keyFromJwk(jwkOf(rsa.publicKey, { kid: 'rsa-1', use: 'sig', alg: 'RS256', key_ops: ['verify'] }));
    const ecKey = keyFromJwk(jwkOf(ec.publicKey, { kid: 'ec-1' }));

    expect(rsaKey).toMatchObject({ alg: 'RS256', kid: 'rsa-1' });
    expect(rsaKey!.key.equals(rsa.publicKey)).toBe(true);
    expect(ecKey).toMatchObject({ alg: 'ES256', kid: 'ec-1' });
    expect(ecKey!.key.equals(ec.publicKey)).toBe(true);
  });

  it('reads only the public half of a key published with its private part', () => {
    const read = keyFromJwk(jwkOf(ec.privateKey));

    expect(read!.key.type).toBe('public');
  });

  it.each<[string, unknown]>([
    ['one for encryption', jwkOf(rsa.publicKey, { use: 'enc' })],
    ['one for another algorithm (PS256)', jwkOf(rsa.publicKey, { alg: 'PS256' })],
    ['an RSA key marked ES256', jwkOf(rsa.publicKey, { alg: 'ES256' })],
    ['an EC key marked RS256', jwkOf(ec.publicKey, { alg: 'RS256' })],
    ['an EC key marked HS256', jwkOf(ec.publicKey, { alg: 'HS256' })],
    ['one whose operations leave out verify', jwkOf(rsa.publicKey, { key_ops: ['encrypt'] })],
    ['one whose operations are not a list', jwkOf(rsa.publicKey, { key_ops: 'verify' })],
    ['one whose kid is not a string', jwkOf(rsa.publicKey, { kid: 1 })],
    ['an RSA key under 2048 bits', jwkOf(weakRsa.publicKey)],
    ['an EC key on P-384', jwkOf(p384.publicKey)],
    ['an EC key on secp256k1', jwkOf(secp256k1.publicKey)],
    ['an EC key claiming P-256 with P-384 coordinates', { ...jwkOf(p384.publicKey), crv: 'P-256' }],
    ['an EC key whose point is not on the curve', { ...jwkOf(ec.publicKey), y: jwkOf(attackerEc.publicKey).y }],
    ['an Ed25519 key', jwkOf(ed25519.publicKey)],
    ['a symmetric key', { kty: 'oct', k: base64url(SECRET) }],
    ['an RSA key without a modulus', { kty: 'RSA', e: 'AQAB' }],
    ['null', null],
    ['an array', [jwkOf(rsa.publicKey)]],
    ['a string', JSON.stringify(jwkOf(rsa.publicKey))],
  ])('ignores %s', (_case, jwk) => {
    expect(keyFromJwk(jwk)).toBeUndefined();
  });
});

/** A fetch that answers with the current key set (or whatever `answer` makes), counting calls. */
function keySetFetch(answer: () => Response | Promise<Response>) {
  return jest.fn((_url: string | URL | Request, _init?: RequestInit) => Promise.resolve(answer()));
}

const jsonResponse = (body: unknown, contentType = 'application/jwk-set+json', status = 200) =>
  new Response(typeof body === 'string' ? body : JSON.stringify(body), {
    status,
    headers: { 'content-type': contentType },
  });

describe('remoteJwks', () => {
  const URL_ = 'https://www.example-news.test/.well-known/jwks.json';
  const rsaJwk = jwkOf(rsa.publicKey, { kid: 'rsa-1', use: 'sig', alg: 'RS256' });
  const nextRsaJwk = jwkOf(nextRsa.publicKey, { kid: 'rsa-2' });
  const ecJwk = jwkOf(ec.publicKey, { kid: 'ec-1' });
  const keysOf = async (found: Promise<KeyObject[]>) =>
    (await found).map((key) =>
      [rsa, nextRsa, ec].findIndex((pair) => pair.publicKey.equals(key)) === -1 ? 'other' : key,
    );
  let clock: number;
  beforeEach(() => {
    clock = NOW.getTime();
    jest.spyOn(Date, 'now').mockImplementation(() => clock);
  });

  it.each([
    'http://www.example-news.test/jwks.json',
    'ftp://www.example-news.test/jwks.json',
    'http://127.0.0.2/jwks.json',
    'http://localhost.example-news.test/jwks.json',
    'jwks.json',
    '',
  ])('refuses the key set URL %j', (url) => {
    expect(() => remoteJwks(url, { fetch: keySetFetch(() => jsonResponse({ keys: [] })) })).toThrow(TypeError);
  });

  it.each([URL_, 'http://localhost:8080/jwks.json', 'http://127.0.0.1:8080/jwks.json', 'http://[::1]:8080/jwks.json'])(
    'accepts the key set URL %s, without fetching it yet',
    (url) => {
      const fetchKeys = keySetFetch(() => jsonResponse({ keys: [] }));

      expect(() => remoteJwks(url, { fetch: fetchKeys })).not.toThrow();
      expect(fetchKeys).not.toHaveBeenCalled();
    },
  );

  it('refuses negative timings', () => {
    expect(() => remoteJwks(URL_, { timeoutMs: -1 })).toThrow(RangeError);
    expect(() => remoteJwks(URL_, { cooldownMs: NaN })).toThrow(RangeError);
  });

  it('asks for JSON with a timeout, and does not follow redirects', async () => {
    const fetchKeys = keySetFetch(() => jsonResponse({ keys: [rsaJwk] }));

    await remoteJwks(URL_, { fetch: fetchKeys })({ alg: 'RS256' });

    const [url, init] = fetchKeys.mock.calls[0]!;
    expect(url).toEqual(new URL(URL_));
    expect(init).toMatchObject({ redirect: 'manual', headers: { accept: expect.stringContaining('json') } });
    expect(init!.signal).toBeInstanceOf(AbortSignal);
  });

  it("selects the keys of the token's kid and algorithm, or all of its algorithm without a kid", async () => {
    const keys = remoteJwks(URL_, { fetch: keySetFetch(() => jsonResponse({ keys: [rsaJwk, nextRsaJwk, ecJwk] })) });

    expect(await keysOf(keys({ alg: 'RS256', kid: 'rsa-2' }))).toEqual([nextRsa.publicKey]);
    expect(await keysOf(keys({ alg: 'ES256', kid: 'ec-1' }))).toEqual([ec.publicKey]);
    expect(await keysOf(keys({ alg: 'RS256' }))).toEqual([rsa.publicKey, nextRsa.publicKey]);
    expect(await keysOf(keys({ alg: 'ES256' }))).toEqual([ec.publicKey]);
    expect(await keys({ alg: 'ES256', kid: 'rsa-1' })).toEqual([]);
    expect(await keys({ alg: 'HS256', kid: 'rsa-1' })).toEqual([]);
  });

  it('ignores keys it cannot use and keeps the others', async () => {
    const keySet = {
      keys: [
        jwkOf(weakRsa.publicKey, { kid: 'weak' }),
        jwkOf(p384.publicKey, { kid: 'p384' }),
        jwkOf(rsa.publicKey, { kid: 'enc', use: 'enc' }),
        { kty: 'oct', k: base64url(SECRET), kid: 'oct' },
        'garbage',
        null,
        rsaJwk,
      ],
    };
    const keys = remoteJwks(URL_, { fetch: keySetFetch(() => jsonResponse(keySet)) });

    expect(await keysOf(keys({ alg: 'RS256' }))).toEqual([rsa.publicKey]);
    expect(await keys({ alg: 'ES256' })).toEqual([]);
  });

  it('keeps the key set for 10 minutes', async () => {
    const fetchKeys = keySetFetch(() => jsonResponse({ keys: [rsaJwk] }));
    const keys = remoteJwks(URL_, { fetch: fetchKeys });

    await keys({ alg: 'RS256', kid: 'rsa-1' });
    clock += 600_000 - 1;
    await keys({ alg: 'RS256', kid: 'rsa-1' });
    expect(fetchKeys).toHaveBeenCalledTimes(1);

    clock += 1;
    await keys({ alg: 'RS256', kid: 'rsa-1' });
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it('fetches again for a kid it lacks, at most once per 30 s', async () => {
    let keySet = { keys: [rsaJwk] };
    const fetchKeys = keySetFetch(() => jsonResponse(keySet));
    const keys = remoteJwks(URL_, { fetch: fetchKeys });

    expect(await keys({ alg: 'RS256', kid: 'rsa-2' })).toEqual([]); // just fetched: no second fetch
    keySet = { keys: [rsaJwk, nextRsaJwk] };
    clock += 29_999;
    expect(await keys({ alg: 'RS256', kid: 'rsa-2' })).toEqual([]);
    expect(fetchKeys).toHaveBeenCalledTimes(1);

    clock += 1;
    expect(await keysOf(keys({ alg: 'RS256', kid: 'rsa-2' }))).toEqual([nextRsa.publicKey]);
    expect(fetchKeys).toHaveBeenCalledTimes(2);

    clock += 1000;
    expect(await keys({ alg: 'RS256', kid: 'rsa-3' })).toEqual([]);
    expect(await keys({ alg: 'ES256' })).toEqual([]);
    expect(fetchKeys).toHaveBeenCalledTimes(2);
  });

  it('takes its cache time and cooldown from the options', async () => {
    const fetchKeys = keySetFetch(() => jsonResponse({ keys: [rsaJwk] }));
    const keys = remoteJwks(URL_, { fetch: fetchKeys, cacheMs: 1000, cooldownMs: 0 });

    await keys({ alg: 'RS256', kid: 'unknown' }); // fetched, then fetched again for the kid
    clock += 999;
    await keys({ alg: 'RS256', kid: 'rsa-1' });
    clock += 1;
    await keys({ alg: 'RS256', kid: 'rsa-1' });

    expect(fetchKeys).toHaveBeenCalledTimes(3);
  });

  it('fetches once for concurrent callers', async () => {
    const fetchKeys = keySetFetch(() => jsonResponse({ keys: [rsaJwk] }));
    const keys = remoteJwks(URL_, { fetch: fetchKeys });

    await Promise.all(Array.from({ length: 5 }, () => keys({ alg: 'RS256', kid: 'rsa-1' })));

    expect(fetchKeys).toHaveBeenCalledTimes(1);
  });

  it('does not keep a failed fetch: the next call tries again', async () => {
    let status = 503;
    const fetchKeys = keySetFetch(() => jsonResponse({ keys: [rsaJwk] }, 'application/json', status));
    const keys = remoteJwks(URL_, { fetch: fetchKeys });

    await expectRefused(keys({ alg: 'RS256', kid: 'rsa-1' }), 'key-unavailable');
    status = 200;

    expect(await keysOf(keys({ alg: 'RS256', kid: 'rsa-1' }))).toEqual([rsa.publicKey]);
  });

  it('gives up on a key set that takes longer than the timeout', async () => {
    jest.restoreAllMocks(); // real time, for AbortSignal.timeout
    const hanging = jest.fn(
      (_url: string | URL | Request, init?: RequestInit) =>
        new Promise<Response>((_resolve, reject) => {
          init!.signal!.addEventListener('abort', () => reject(init!.signal!.reason as Error));
        }),
    );

    const error = await expectRefused(
      remoteJwks(URL_, { fetch: hanging, timeoutMs: 20 })({ alg: 'RS256' }),
      'key-unavailable',
    );

    expect((error.cause as Error).name).toBe('TimeoutError');
  });

  it.each<[string, () => Response | Promise<Response>]>([
    ['answers with an error', () => new Response('', { status: 500 })],
    ['redirects', () => new Response('', { status: 302, headers: { location: 'http://attacker.test/jwks.json' } })],
    ['answers 204', () => new Response(null, { status: 204 })],
    ['answers HTML', () => jsonResponse({ keys: [rsaJwk] }, 'text/html')],
    ['answers text', () => jsonResponse({ keys: [rsaJwk] }, 'text/plain; charset=utf-8')],
    ['answers with a type that only looks like JSON', () => jsonResponse({ keys: [rsaJwk] }, 'application/jsonp')],
    ['answers without a type', () => new Response(JSON.stringify({ keys: [rsaJwk] }))],
    ['answers something that is not JSON', () => jsonResponse('{"keys": [')],
    [
      'announces more than 64 KB',
      () => new Response('{}', { headers: { 'content-type': 'application/json', 'content-length': '70000' } }),
    ],
    ['sends more than 64 KB', () => jsonResponse({ keys: [rsaJwk], pad: 'x'.repeat(65_536) })],
    ['cannot be reached', () => Promise.reject(new TypeError('fetch failed'))],
  ])('reports a key set that %s as unavailable, with the cause', async (_case, answer) => {
    const error = await expectRefused(
      remoteJwks(URL_, { fetch: keySetFetch(answer) })({ alg: 'RS256' }),
      'key-unavailable',
    );

    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).not.toContain('example-news');
  });

  it.each<[string, unknown]>([
    ['a list', [rsaJwk]],
    ['null', null],
    ['an object without keys', { key: rsaJwk }],
    ['keys that are not a list', { keys: { 'rsa-1': rsaJwk } }],
  ])('reports a key set that is %s as unavailable', async (_case, body) => {
    await expectRefused(
      remoteJwks(URL_, { fetch: keySetFetch(() => jsonResponse(body)) })({ alg: 'RS256' }),
      'key-unavailable',
    );
  });

  it.each(['application/json', 'application/json; charset=utf-8', 'Application/JSON', 'application/jwk-set+json'])(
    'reads a key set of type %s',
    async (contentType) => {
      const keys = remoteJwks(URL_, { fetch: keySetFetch(() => jsonResponse({ keys: [rsaJwk] }, contentType)) });

      expect(await keysOf(keys({ alg: 'RS256' }))).toEqual([rsa.publicKey]);
    },
  );
});

describe('refusals', () => {
  it('never carry the token, its claims or a key in their message, and keep nothing of them', async () => {
    const leaky = { ...CLAIMS, iss: 'https://secret-issuer.test', sub: 'secret-subject-0001' };
    const tokens = [
      signHs256(leaky, { kid: 'secret-kid-0001' }, OTHER_SECRET),
      `${part({ alg: 'none', kid: 'secret-kid-0001' })}.${part(leaky)}.`,
      hs256Raw(part({ alg: 'HS256', crit: ['secret-kid-0001'] }), part(leaky)),
      hs256Raw(part({ alg: 'HS256' }), base64url('not json: secret-subject-0001')),
    ];
    const errors = [
      ...(await Promise.all(tokens.map((token) => refusal(verifyJwt(token, SECRET, ['HS256']))))),
      syncRefusal(() => checkClaims(leaky)),
      syncRefusal(() => checkClaims({ ...leaky, iss: ISSUER, exp: 'secret-exp-0001' })),
    ];

    for (const error of errors) {
      for (const secret of [
        ...tokens.flatMap((token) => token.split('.')),
        'secret',
        Buffer.from(SECRET).toString(),
        Buffer.from(OTHER_SECRET).toString(),
      ].filter((text) => text.length >= 6)) {
        expect(error.message).not.toContain(secret);
      }
      expect(error.message).toMatch(/^JWT refused: [a-z-]+(?: \((?:iss|aud|exp|iat|nbf)\))?$/);
      expect(Object.keys(error).sort()).toEqual(['claim', 'name', 'reason']);
      expect(error.cause).toBeUndefined();
    }
  });
});

describe('against jose', () => {
  const rsaJwk = jwkOf(rsa.publicKey, { kid: 'rsa-1', alg: 'RS256', use: 'sig' });
  const ecJwk = jwkOf(ec.publicKey, { kid: 'ec-1' });
  const keySet = () =>
    remoteJwks('https://site.test/jwks.json', { fetch: keySetFetch(() => jsonResponse({ keys: [rsaJwk, ecJwk] })) });

  describe('what jose signs, we verify', () => {
    it.each<[JwtAlgorithm, string | undefined]>([
      ['HS256', 'key-1'],
      ['HS256', undefined],
      ['RS256', 'rsa-1'],
      ['RS256', undefined],
      ['ES256', 'ec-1'],
      ['ES256', undefined],
    ])('%s, kid %s', async (alg, kid) => {
      const signing = alg === 'HS256' ? SECRET : alg === 'RS256' ? rsa.privateKey : ec.privateKey;
      const token = await joseSigned(alg, signing, kid);
      const keys = alg === 'HS256' ? SECRET : keySet();

      const { header, payload } = await verifyJwt(token, keys, ALL_ALGORITHMS);

      expect(header).toEqual(kid === undefined ? { alg } : { alg, kid });
      expect(checkClaims(payload)).toEqual(CLAIMS);
    });
  });

  describe('what we sign, jose verifies', () => {
    it.each([['key-1'], [undefined]])('HS256, kid %s', async (kid) => {
      const token = signHs256({ ...CLAIMS, name: 'Zoë 😀' }, kid === undefined ? {} : { kid }, SECRET);

      const { payload, protectedHeader } = await jwtVerify(token, SECRET, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: NOW,
        requiredClaims: ['sub', 'iat', 'exp'],
      });

      expect(payload).toEqual({ ...CLAIMS, name: 'Zoë 😀' });
      expect(protectedHeader).toEqual({ alg: 'HS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) });
    });
  });

  describe('what jose refuses for its signature or algorithm, we refuse', () => {
    const hs = signHs256(CLAIMS, {}, SECRET);
    const rs = signedByHand('RS256', rsa.privateKey);
    const es = signedByHand('ES256', ec.privateKey);
    const pem = new TextEncoder().encode(rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string);
    const jwkBytes = new TextEncoder().encode(JSON.stringify(rsaJwk));

    it.each<[string, string, JwtKey, JwtAlgorithm[], JwtRejection]>([
      [
        'alg none against HS256',
        `${part({ alg: 'none' })}.${part(CLAIMS)}.`,
        SECRET,
        ['HS256'],
        'algorithm-not-allowed',
      ],
      [
        'alg none against RS256',
        `${part({ alg: 'none' })}.${part(CLAIMS)}.`,
        rsa.publicKey,
        ['RS256'],
        'algorithm-not-allowed',
      ],
      [
        'HS256 signed with the RSA public key PEM, against RS256',
        hs256Raw(part({ alg: 'HS256' }), part(CLAIMS), pem),
        rsa.publicKey,
        ['RS256'],
        'algorithm-not-allowed',
      ],
      [
        'HS256 signed with the RSA public key JWK, against RS256',
        hs256Raw(part({ alg: 'HS256', kid: 'rsa-1' }), part(CLAIMS), jwkBytes),
        rsa.publicKey,
        ['RS256'],
        'algorithm-not-allowed',
      ],
      ['HS256 with its payload changed', tampered(hs, 1), SECRET, ['HS256'], 'bad-signature'],
      ['HS256 with its signature changed', tampered(hs, 2), SECRET, ['HS256'], 'bad-signature'],
      ['RS256 with its payload changed', tampered(rs, 1), rsa.publicKey, ['RS256'], 'bad-signature'],
      ['RS256 with its signature changed', tampered(rs, 2), rsa.publicKey, ['RS256'], 'bad-signature'],
      ['ES256 with its payload changed', tampered(es, 1), ec.publicKey, ['ES256'], 'bad-signature'],
      ['ES256 with its signature changed', tampered(es, 2), ec.publicKey, ['ES256'], 'bad-signature'],
      [
        'ES256 signed and checked with a P-384 key',
        signedByHand('ES256', p384.privateKey),
        p384.publicKey,
        ['ES256'],
        'algorithm-not-allowed',
      ],
      [
        'RS256 signed and checked with a 1024-bit RSA key',
        signedByHand('RS256', weakRsa.privateKey),
        weakRsa.publicKey,
        ['RS256'],
        'algorithm-not-allowed',
      ],
      [
        'ES256 with its signature in DER form',
        signedByHand('ES256', ec.privateKey, { dsaEncoding: 'der' }),
        ec.publicKey,
        ['ES256'],
        'bad-signature',
      ],
    ])('%s', async (_case, token, key, algorithms, reason) => {
      await expect(jwtVerify(token, key, { algorithms })).rejects.toThrow();
      await expectRefused(verifyJwt(token, key, algorithms), reason);
    });

    it('a P-384 or 1024-bit RSA key in a key set is never used at all', async () => {
      const keys = remoteJwks('https://site.test/jwks.json', {
        fetch: keySetFetch(() =>
          jsonResponse({ keys: [jwkOf(p384.publicKey, { kid: 'p384' }), jwkOf(weakRsa.publicKey, { kid: 'weak' })] }),
        ),
      });

      await expectRefused(
        verifyJwt(signedByHand('ES256', p384.privateKey, { header: { kid: 'p384' } }), keys, ALL_ALGORITHMS),
        'unknown-key',
      );
      await expectRefused(
        verifyJwt(signedByHand('RS256', weakRsa.privateKey, { header: { kid: 'weak' } }), keys, ALL_ALGORITHMS),
        'unknown-key',
      );
    });
  });

  describe('where we are stricter than jose', () => {
    it('refuses a signature spelled with a spare bit set, which jose reads as the same bytes', async () => {
      const [header, payload, signature] = signHs256(CLAIMS, {}, SECRET).split('.') as [string, string, string];
      const token = `${header}.${payload}.${withSpareBitSet(signature)}`;

      await expect(compactVerify(token, SECRET)).resolves.toBeDefined();
      await expectRefused(verifyJwt(token, SECRET, ['HS256']), 'malformed');
    });

    it('refuses a payload that is not valid UTF-8', async () => {
      const token = hs256Raw(
        part({ alg: 'HS256' }),
        base64url(Buffer.concat([Buffer.from('{"sub":"'), Buffer.of(0xc3), Buffer.from('"}')])),
      );

      await expectRefused(verifyJwt(token, SECRET, ['HS256']), 'malformed');
    });
  });
});

describe('properties', () => {
  const claimsArbitrary = fc.dictionary(fc.string({ unit: 'binary', maxLength: 12 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 8,
  });
  const secretArbitrary = fc.uint8Array({ minLength: 32, maxLength: 64 });
  const kidArbitrary = fc.option(fc.string({ unit: 'binary', maxLength: 16 }), { nil: undefined });

  it('random claims round-trip through signHs256 and verifyJwt, and jose verifies the same bytes', async () => {
    await fc.assert(
      fc.asyncProperty(claimsArbitrary, kidArbitrary, secretArbitrary, async (claims, kid, secret) => {
        fc.pre(JSON.stringify(claims).length < 4000);
        const token = signHs256(claims, kid === undefined ? {} : { kid }, secret);
        const expected = JSON.parse(JSON.stringify(claims)) as unknown;

        const { header, payload } = await verifyJwt(token, secret, ['HS256']);
        const jose = await compactVerify(token, secret);

        expect(payload).toEqual(expected);
        expect(header).toEqual({ alg: 'HS256', typ: 'JWT', ...(kid === undefined ? {} : { kid }) });
        expect(JSON.parse(new TextDecoder().decode(jose.payload))).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  /** A token with one character replaced, removed or inserted at `at`. */
  const mutated = (token: string, kind: 'replace' | 'remove' | 'insert', at: number, character: string) =>
    kind === 'insert'
      ? `${token.slice(0, at)}${character}${token.slice(at)}`
      : `${token.slice(0, at)}${kind === 'replace' ? character : ''}${token.slice(at + 1)}`;
  const MUTATION_CHARACTERS = `${BASE64URL_ALPHABET}.=+/ \n\u00e9\u0000`;
  const everyKey: JwtKey[] = [SECRET, rsa.publicKey, ec.publicKey];

  it('no single-character change of a valid HS256 token, RS256 or ES256 token is accepted', async () => {
    const tokens = [
      signHs256(CLAIMS, { kid: 'k' }, SECRET),
      signedByHand('RS256', rsa.privateKey, { header: { kid: 'k' } }),
      signedByHand('ES256', ec.privateKey),
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...tokens),
        fc.constantFrom('replace' as const, 'remove' as const, 'insert' as const),
        fc.nat(),
        fc.constantFrom(...MUTATION_CHARACTERS),
        async (token, kind, position, character) => {
          const changed = mutated(token, kind, position % (token.length + 1), character);
          fc.pre(changed !== token);

          // The most permissive caller: every algorithm, every key.
          await refusal(verifyJwt(changed, everyKey, ALL_ALGORITHMS));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('no single-character change of a token signed with random claims and secret is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(
        claimsArbitrary,
        kidArbitrary,
        secretArbitrary,
        fc.nat(),
        fc.constantFrom(...MUTATION_CHARACTERS),
        async (claims, kid, secret, position, character) => {
          fc.pre(JSON.stringify(claims).length < 4000);
          const token = signHs256(claims, kid === undefined ? {} : { kid }, secret);
          const changed = mutated(token, 'replace', position % token.length, character);
          fc.pre(changed !== token);

          await refusal(verifyJwt(changed, secret, ['HS256']));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('exhaustively: every character of an HS256 token, replaced by every other base64url character or a dot, is refused', async () => {
    const token = signHs256(CLAIMS, { kid: 'key-1' }, SECRET);
    let accepted = 0;
    for (let at = 0; at < token.length; at++) {
      for (const character of `${BASE64URL_ALPHABET}.`) {
        if (character === token[at]) continue;
        const outcome = await verifyJwt(mutated(token, 'replace', at, character), SECRET, ['HS256']).then(
          () => 'accepted',
          (error: unknown) => (error instanceof JwtError ? 'refused' : 'threw'),
        );
        if (outcome !== 'refused') accepted++;
      }
    }

    expect(accepted).toBe(0);
  });
});

/**
 * reader-token.ts checks the `previousUntil` of its key secret by hand rather than with zod's
 * `iso.datetime`, which cost reader routes over 2 KB of bundle; its own tests cover the rest.
 */
describe('the grace period end of a reader token key rotation', () => {
  const secretWith = (previousUntil: string) =>
    JSON.stringify({ current: 'c'.repeat(40), previous: 'p'.repeat(40), previousUntil });

  it.each([
    '2026-12-07T12:00:00Z',
    '2026-12-07T12:00:00.123Z',
    '2026-12-07T12:00:00+01:00',
    '2026-12-07T12:00:00-05:30',
    '2028-02-29T00:00:00Z',
  ])('accepts %s', (previousUntil) => {
    expect(readerTokenKeysFrom(secretWith(previousUntil), NOW).verifying.size).toBe(2);
  });

  it.each([
    'soon',
    '',
    '2026-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-12-01T24:00:00Z',
    '2026-12-01T23:60:00Z',
    '2026-12-07T12:00Z',
    '2026-12-07 12:00:00Z',
    '2026-12-07T12:00:00',
    '2026-12-07T12:00:00+24:00',
    '2026-12-07T12:00:00Z\n',
    '1796644800000',
  ])('refuses %j, naming the field', (previousUntil) => {
    expect(() => readerTokenKeysFrom(secretWith(previousUntil), NOW)).toThrow(
      /^The reader token key secret is malformed at previousUntil$/,
    );
  });
});
