import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  type CryptoKey,
  type GenerateKeyPairResult,
  type JWK,
  type JWTPayload,
} from 'jose';
import {
  createSiteTokenVerifier,
  InvalidSiteTokenError,
  type SiteTokenRejection,
  type SiteTokenVerifier,
} from '../../../shared/identity/site-token';

const ISSUER = 'https://www.example-news.test';
const AUDIENCE = 'newsroom-api';
const SECRET = new TextEncoder().encode('the site and the newsroom share these 48 bytes!!');
const NOW = new Date('2026-03-02T10:00:00Z');
const NOW_SECONDS = NOW.getTime() / 1000;

/** The claims a site issues, a minute old and valid for an hour; an override of undefined removes a claim. */
function claims(overrides: Record<string, unknown> = {}): JWTPayload {
  return {
    iss: ISSUER,
    aud: AUDIENCE,
    sub: 'reader-42',
    name: 'Ada Lovelace',
    email: 'ada@example.org',
    iat: NOW_SECONDS - 60,
    exp: NOW_SECONDS + 3600,
    ...overrides,
  };
}

async function signed(
  key: CryptoKey | Uint8Array,
  alg: string,
  overrides: Record<string, unknown> = {},
  kid?: string,
): Promise<string> {
  return new SignJWT(claims(overrides)).setProtectedHeader(kid ? { alg, kid } : { alg }).sign(key);
}

const part = (json: object): string => Buffer.from(JSON.stringify(json)).toString('base64url');

/** An HS256 token assembled without jose, for what jose refuses to sign (`exp: 1e400`). */
function hs256ByHand(payloadJson: string, secret: Uint8Array): string {
  const input = `${part({ alg: 'HS256' })}.${Buffer.from(payloadJson).toString('base64url')}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The refusal of `token`, checked to be ours and to keep the token out of its message. */
async function refusalOf(verifying: Promise<unknown>, token: string): Promise<InvalidSiteTokenError> {
  const error = await verifying.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidSiteTokenError);
  const refusal = error as InvalidSiteTokenError;
  for (const segment of token.split('.').filter((segment) => segment.length >= 8)) {
    expect(refusal.message).not.toContain(segment);
  }
  return refusal;
}

async function expectRefused(
  verifier: SiteTokenVerifier,
  token: string,
  reason: SiteTokenRejection,
  now: Date = NOW,
): Promise<InvalidSiteTokenError> {
  const refusal = await refusalOf(verifier.verify(token, now), token);
  expect(refusal.reason).toBe(reason);
  return refusal;
}

/** Replaces one character in the middle of a segment (never the last, whose spare bits may not count). */
function tampered(segment: string): string {
  const at = Math.floor(segment.length / 2);
  return `${segment.slice(0, at)}${segment[at] === 'A' ? 'B' : 'A'}${segment.slice(at + 1)}`;
}

describe('a site token verifier with a shared secret', () => {
  const verifier = createSiteTokenVerifier({
    issuer: ISSUER,
    audience: AUDIENCE,
    key: { kind: 'secret', secret: SECRET },
  });

  it('accepts an HS256 token signed with the secret and reads the reader from it', async () => {
    // Prepare
    const token = await signed(SECRET, 'HS256');

    // Act
    const reader = await verifier.verify(token, NOW);

    // Assess
    expect(reader).toEqual({
      subject: 'reader-42',
      displayName: 'Ada Lovelace',
      email: 'ada@example.org',
      issuedAt: new Date((NOW_SECONDS - 60) * 1000),
      expiresAt: new Date((NOW_SECONDS + 3600) * 1000),
    });
  });

  it('accepts a token that expired 30 s ago, within the clock tolerance', async () => {
    const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS - 3600, exp: NOW_SECONDS - 30 });

    await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42' });
  });

  it('accepts a token issued 30 s in the future, within the clock tolerance', async () => {
    const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS + 30 });

    await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42' });
  });

  it('checks against the clock when no date is given', async () => {
    const nowSeconds = Math.floor(Date.now() / 1000);
    const token = await signed(SECRET, 'HS256', { iat: nowSeconds - 10, exp: nowSeconds + 600 });

    await expect(verifier.verify(token)).resolves.toMatchObject({ subject: 'reader-42' });
  });

  it('refuses a token whose payload was changed after signing', async () => {
    // Prepare
    const [header, , signature] = (await signed(SECRET, 'HS256')).split('.');
    const token = `${header}.${part(claims({ sub: 'reader-1' }))}.${signature}`;

    // Act and assess
    await expectRefused(verifier, token, 'bad-signature');
  });

  it('refuses a token whose signature was changed', async () => {
    const [header, payload, signature] = (await signed(SECRET, 'HS256')).split('.');

    await expectRefused(verifier, `${header}.${payload}.${tampered(signature!)}`, 'bad-signature');
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signed(new TextEncoder().encode('another site signs with these 48 bytes instead!!'), 'HS256');

    await expectRefused(verifier, token, 'bad-signature');
  });

  it('refuses a token that expired more than the tolerance ago', async () => {
    const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS - 3600, exp: NOW_SECONDS - 61 });

    await expectRefused(verifier, token, 'expired');
  });

  it('refuses a token issued more than 60 s in the future', async () => {
    const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS + 61, exp: NOW_SECONDS + 3600 });

    await expectRefused(verifier, token, 'not-yet-valid');
  });

  it('refuses a token that is not valid before a later time (`nbf`)', async () => {
    const token = await signed(SECRET, 'HS256', { nbf: NOW_SECONDS + 120 });

    await expectRefused(verifier, token, 'not-yet-valid');
  });

  it('refuses a token issued by another issuer', async () => {
    const token = await signed(SECRET, 'HS256', { iss: 'https://other-news.test' });

    await expectRefused(verifier, token, 'wrong-issuer');
  });

  it.each([
    ['another audience', 'other-api'],
    ['a list of other audiences', ['other-api', 'newsroom']],
  ])('refuses a token meant for %s', async (_case, aud) => {
    const token = await signed(SECRET, 'HS256', { aud });

    await expectRefused(verifier, token, 'wrong-audience');
  });

  it('accepts a token whose audiences include ours', async () => {
    const token = await signed(SECRET, 'HS256', { aud: ['other-api', AUDIENCE] });

    await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42' });
  });

  it('refuses an unsigned token (`alg: none`)', async () => {
    const token = `${part({ alg: 'none' })}.${part(claims())}.`;

    await expectRefused(verifier, token, 'algorithm-not-allowed');
  });

  it('refuses an RS256 token, even one the site signed: its key is a secret', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await signed(privateKey, 'RS256');

    await expectRefused(verifier, token, 'algorithm-not-allowed');
  });

  it.each(['iss', 'aud', 'sub', 'iat', 'exp'])('refuses a token without `%s`', async (claim) => {
    const token = await signed(SECRET, 'HS256', { [claim]: undefined });

    await expectRefused(verifier, token, 'missing-claim');
  });

  it.each([
    ['empty', ''],
    ['a number', 42],
    ['longer than 255 characters', 'r'.repeat(256)],
    ['holding a control character', 'reader\u000042'],
    ['holding an unpaired surrogate', 'reader-\ud800'],
  ])('refuses a token whose `sub` is %s', async (_case, sub) => {
    const token = await signed(SECRET, 'HS256', { sub });

    await expectRefused(verifier, token, 'invalid-claim');
  });

  it('keeps a `sub` of 255 characters, multi-unit ones counted once, exactly as sent', async () => {
    const sub = `${'😀'.repeat(5)}${'r'.repeat(250)}`;
    const token = await signed(SECRET, 'HS256', { sub });

    await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ subject: sub });
  });

  it.each([
    ['`iat` is a string', { iat: String(NOW_SECONDS) }],
    ['`exp` is a string', { exp: String(NOW_SECONDS + 60) }],
  ])('refuses a token whose %s', async (_case, overrides) => {
    const token = await signed(SECRET, 'HS256', overrides);

    await expectRefused(verifier, token, 'invalid-claim');
  });

  it('refuses a token whose `exp` is too large to be a date (1e400 parses to Infinity)', async () => {
    const payload = JSON.stringify(claims({ exp: 0 })).replace('"exp":0', '"exp":1e400');
    const token = hs256ByHand(payload, SECRET);

    await expectRefused(verifier, token, 'invalid-claim');
  });

  it.each([
    ['garbage', 'not a token'],
    ['empty', ''],
    ['three dots of garbage', 'a.b.c'],
    ['two parts', `${part({ alg: 'HS256' })}.${part(claims())}`],
    ['a payload that is not JSON', hs256ByHand('not json', SECRET)],
    ['a payload that is a JSON array', hs256ByHand('[]', SECRET)],
  ])('refuses a token that is %s as malformed', async (_case, token) => {
    await expectRefused(verifier, token, 'malformed');
  });

  it('refuses a value that is not a string at all as malformed', async () => {
    const refusal = await refusalOf(verifier.verify(42 as unknown as string, NOW), '');

    expect(refusal.reason).toBe('malformed');
  });

  it('throws a TypeError, not a refusal, for an invalid date', async () => {
    const token = await signed(SECRET, 'HS256');

    await expect(verifier.verify(token, new Date(NaN))).rejects.toThrow(TypeError);
  });

  describe('the display name', () => {
    it.each([
      ['`name` first', { name: 'Ada Lovelace', preferred_username: 'ada', nickname: 'Countess' }, 'Ada Lovelace'],
      ['`preferred_username` without a name', { name: undefined, preferred_username: 'ada', nickname: 'C' }, 'ada'],
      ['`preferred_username` when the name is blank', { name: '  ', preferred_username: 'ada' }, 'ada'],
      ['`preferred_username` when the name is null', { name: null, preferred_username: 'ada' }, 'ada'],
      ['`nickname` last', { name: undefined, nickname: 'Countess' }, 'Countess'],
      ['NFC-normalized and trimmed', { name: '  Zoe\u0301 ' }, 'Zoé'],
      ['of 80 characters', { name: 'n'.repeat(80) }, 'n'.repeat(80)],
    ])('is %s', async (_case, overrides, displayName) => {
      const token = await signed(SECRET, 'HS256', overrides);

      await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ displayName });
    });

    it.each([
      ['none of the claims', { name: undefined }],
      ['only blank claims', { name: ' ', preferred_username: '', nickname: '\t' }],
    ])('is missing, and the token refused, with %s', async (_case, overrides) => {
      const token = await signed(SECRET, 'HS256', overrides);

      await expectRefused(verifier, token, 'missing-claim');
    });

    it.each([
      ['longer than 80 characters', { name: 'n'.repeat(81) }],
      ['holding a control character', { name: 'Ada\u0007 Lovelace' }],
      ['holding a line break', { name: 'Ada\nLovelace' }],
      ['a number', { name: 7, preferred_username: 'ada' }],
      ['an unusable name, not a fallback', { name: 'Ada\u0085', preferred_username: 'ada' }],
    ])('refuses a token whose name is %s', async (_case, overrides) => {
      const token = await signed(SECRET, 'HS256', overrides);

      await expectRefused(verifier, token, 'invalid-claim');
    });
  });

  describe('the e-mail address', () => {
    it.each(['ada@example.org', 'ada.lovelace+news@mail.example.co.uk'])('keeps %s', async (email) => {
      const token = await signed(SECRET, 'HS256', { email });

      await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ email });
    });

    it.each([
      ['absent', undefined],
      ['not a string', ['ada@example.org']],
      ['without an @', 'ada.example.org'],
      ['without a domain label', 'ada@localhost'],
      ['with two @', 'ada@lovelace@example.org'],
      ['with a space', 'ada lovelace@example.org'],
      ['with an empty label', 'ada@example..org'],
      ['with a control character', 'ada\u0000@example.org'],
      ['longer than 254 characters', `${'a'.repeat(243)}@example.org`],
    ])('is null when %s, and the token still accepted', async (_case, email) => {
      const token = await signed(SECRET, 'HS256', { email });

      await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42', email: null });
    });
  });

  describe('with a maximum token age', () => {
    const strict = createSiteTokenVerifier(
      { issuer: ISSUER, audience: AUDIENCE, key: { kind: 'secret', secret: SECRET } },
      { maxTokenAgeSeconds: 3600 },
    );

    it('refuses a token issued longer ago, though it has not expired', async () => {
      const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS - 3600 - 61, exp: NOW_SECONDS + 3600 });

      await expectRefused(strict, token, 'expired');
    });

    it('accepts a younger token', async () => {
      const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS - 3600, exp: NOW_SECONDS + 3600 });

      await expect(strict.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42' });
    });

    it('still refuses a token issued more than 60 s in the future', async () => {
      const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS + 61 });

      await expectRefused(strict, token, 'not-yet-valid');
    });
  });

  describe('with a smaller clock tolerance', () => {
    const strict = createSiteTokenVerifier(
      { issuer: ISSUER, audience: AUDIENCE, key: { kind: 'secret', secret: SECRET } },
      { clockToleranceSeconds: 5 },
    );

    it('refuses a token that expired 30 s ago', async () => {
      const token = await signed(SECRET, 'HS256', { iat: NOW_SECONDS - 3600, exp: NOW_SECONDS - 30 });

      await expectRefused(strict, token, 'expired');
    });
  });
});

/** A local key set server: `/jwks.json` and the other paths in `keySets`, `/broken.json` answering 500. */
interface KeySetServer {
  origin: string;
  requests: Map<string, number>;
  close(): Promise<void>;
}

async function startKeySetServer(keySets: Record<string, { keys: JWK[] }>): Promise<KeySetServer> {
  const requests = new Map<string, number>();
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '';
    requests.set(path, (requests.get(path) ?? 0) + 1);
    const keySet = keySets[path];
    if (!keySet) {
      response.writeHead(path === '/broken.json' ? 500 : 404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/jwk-set+json' }).end(JSON.stringify(keySet));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

describe('a site token verifier with a key set', () => {
  let rsa: GenerateKeyPairResult;
  let ec: GenerateKeyPairResult;
  let nextRsa: GenerateKeyPairResult;
  let rsaPublicJwk: JWK;
  let keySetServer: KeySetServer;
  let verifier: SiteTokenVerifier;

  const verifierFor = (path: string): SiteTokenVerifier =>
    createSiteTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      key: { kind: 'jwks', url: `${keySetServer.origin}${path}` },
    });

  beforeAll(async () => {
    [rsa, ec, nextRsa] = await Promise.all([
      generateKeyPair('RS256'),
      generateKeyPair('ES256'),
      generateKeyPair('RS256'),
    ]);
    rsaPublicJwk = { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256', use: 'sig' };
    const ecPublicJwk = { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256', use: 'sig' };
    const nextRsaPublicJwk = { ...(await exportJWK(nextRsa.publicKey)), kid: 'rsa-2', alg: 'RS256', use: 'sig' };
    keySetServer = await startKeySetServer({
      '/jwks.json': { keys: [rsaPublicJwk, ecPublicJwk] },
      '/counted.json': { keys: [rsaPublicJwk, ecPublicJwk] },
      '/rotating.json': { keys: [rsaPublicJwk, nextRsaPublicJwk] },
    });
    verifier = verifierFor('/jwks.json');
  });

  afterAll(async () => {
    await keySetServer.close();
  });

  it('accepts an RS256 token signed with the site key the token names', async () => {
    const token = await signed(rsa.privateKey, 'RS256', {}, 'rsa-1');

    await expect(verifier.verify(token, NOW)).resolves.toMatchObject({
      subject: 'reader-42',
      displayName: 'Ada Lovelace',
    });
  });

  it('accepts an ES256 token signed with the site key the token names', async () => {
    const token = await signed(ec.privateKey, 'ES256', { sub: 'reader-7' }, 'ec-1');

    await expect(verifier.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-7' });
  });

  it('fetches the key set once and keeps it for later calls', async () => {
    // Prepare
    const counted = verifierFor('/counted.json');
    const tokens = await Promise.all([
      signed(rsa.privateKey, 'RS256', {}, 'rsa-1'),
      signed(ec.privateKey, 'ES256', {}, 'ec-1'),
      signed(rsa.privateKey, 'RS256', { sub: 'reader-8' }, 'rsa-1'),
    ]);

    // Act
    for (const token of tokens) await counted.verify(token, NOW);

    // Assess
    expect(keySetServer.requests.get('/counted.json')).toBe(1);
  });

  it('accepts a token without `kid` signed by either of two keys of its type (a rotation)', async () => {
    const rotating = verifierFor('/rotating.json');
    const token = await signed(nextRsa.privateKey, 'RS256');

    await expect(rotating.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42' });
  });

  it('refuses a token without `kid` signed by neither of two keys of its type', async () => {
    const rotating = verifierFor('/rotating.json');
    const { privateKey } = await generateKeyPair('RS256');
    const token = await signed(privateKey, 'RS256');

    await expectRefused(rotating, token, 'bad-signature');
  });

  it.each([
    ['its PEM', async () => new TextEncoder().encode(await exportSPKI(rsa.publicKey))],
    ['its JWK', async () => new TextEncoder().encode(JSON.stringify(rsaPublicJwk))],
  ])('refuses an HS256 token whose secret is the site public key, as %s (key confusion)', async (_form, secretOf) => {
    // Prepare
    const publicKeyBytes = await secretOf();
    const token = await signed(publicKeyBytes, 'HS256', {}, 'rsa-1');

    // Act
    const refusal = await expectRefused(verifier, token, 'algorithm-not-allowed');

    // Assess
    expect(refusal.message).not.toContain(Buffer.from(publicKeyBytes).toString('utf8').slice(0, 40));
  });

  it('refuses an unsigned token (`alg: none`)', async () => {
    const token = `${part({ alg: 'none', kid: 'rsa-1' })}.${part(claims())}.`;

    await expectRefused(verifier, token, 'algorithm-not-allowed');
  });

  it('refuses an algorithm its keys could serve but the allow-list does not name (PS256)', async () => {
    const { privateKey } = await generateKeyPair('PS256');
    const token = await signed(privateKey, 'PS256', {}, 'rsa-1');

    await expectRefused(verifier, token, 'algorithm-not-allowed');
  });

  it('refuses a token signed with a key id the key set does not hold', async () => {
    const { privateKey } = await generateKeyPair('RS256');
    const token = await signed(privateKey, 'RS256', {}, 'unknown-key');

    await expectRefused(verifier, token, 'bad-signature');
  });

  it("refuses a token signed with another key under the site key's id", async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const token = await signed(privateKey, 'ES256', {}, 'ec-1');

    await expectRefused(verifier, token, 'bad-signature');
  });

  it('refuses an RS256 token whose payload was changed after signing', async () => {
    const [header, , signature] = (await signed(rsa.privateKey, 'RS256', {}, 'rsa-1')).split('.');
    const token = `${header}.${part(claims({ sub: 'reader-1' }))}.${signature}`;

    await expectRefused(verifier, token, 'bad-signature');
  });

  it('refuses an ES256 token whose signature was changed', async () => {
    const [header, payload, signature] = (await signed(ec.privateKey, 'ES256', {}, 'ec-1')).split('.');

    await expectRefused(verifier, `${header}.${payload}.${tampered(signature!)}`, 'bad-signature');
  });

  it('refuses a token from another issuer even when signed with the site key', async () => {
    const token = await signed(rsa.privateKey, 'RS256', { iss: 'https://other-news.test' }, 'rsa-1');

    await expectRefused(verifier, token, 'wrong-issuer');
  });

  it('reports a key set that answers with an error as unavailable', async () => {
    const token = await signed(rsa.privateKey, 'RS256', {}, 'rsa-1');

    const refusal = await expectRefused(verifierFor('/broken.json'), token, 'key-unavailable');

    expect(refusal.cause).toBeDefined();
  });

  it('reports a key set nobody answers for as unavailable', async () => {
    // Prepare: a port that was just free, and is closed again
    const closed = await startKeySetServer({});
    await closed.close();
    const unreachable = createSiteTokenVerifier({
      issuer: ISSUER,
      audience: AUDIENCE,
      key: { kind: 'jwks', url: `${closed.origin}/jwks.json` },
    });
    const token = await signed(rsa.privateKey, 'RS256', {}, 'rsa-1');

    // Act and assess
    await expectRefused(unreachable, token, 'key-unavailable');
  });
});

describe('createSiteTokenVerifier', () => {
  const secretKey = { kind: 'secret', secret: SECRET } as const;

  it.each([
    ['a clock tolerance above 60 s', { clockToleranceSeconds: 61 }],
    ['a negative clock tolerance', { clockToleranceSeconds: -1 }],
    ['a maximum token age of zero', { maxTokenAgeSeconds: 0 }],
    ['a maximum token age that is not a number', { maxTokenAgeSeconds: NaN }],
  ])('refuses %s', (_case, options) => {
    expect(() => createSiteTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, key: secretKey }, options)).toThrow(
      RangeError,
    );
  });

  it.each([
    [
      'a secret shorter than 32 bytes',
      { issuer: ISSUER, audience: AUDIENCE, key: { kind: 'secret', secret: SECRET.subarray(0, 31) } },
    ],
    [
      'a key set fetched over plain HTTP from another host',
      { issuer: ISSUER, audience: AUDIENCE, key: { kind: 'jwks', url: 'http://www.example-news.test/jwks.json' } },
    ],
    ['a key set URL that is not one', { issuer: ISSUER, audience: AUDIENCE, key: { kind: 'jwks', url: 'jwks.json' } }],
    ['an empty issuer', { issuer: '', audience: AUDIENCE, key: secretKey }],
    ['an empty audience', { issuer: ISSUER, audience: '', key: secretKey }],
  ] as const)('refuses %s', (_case, config) => {
    expect(() => createSiteTokenVerifier(config)).toThrow(TypeError);
  });

  it('accepts a key set fetched over HTTPS without fetching it yet', () => {
    expect(() =>
      createSiteTokenVerifier({
        issuer: ISSUER,
        audience: AUDIENCE,
        key: { kind: 'jwks', url: 'https://www.example-news.test/.well-known/jwks.json' },
      }),
    ).not.toThrow();
  });

  it('keeps its own copy of the secret', async () => {
    // Prepare
    const secret = new Uint8Array(SECRET);
    const copying = createSiteTokenVerifier({ issuer: ISSUER, audience: AUDIENCE, key: { kind: 'secret', secret } });
    const token = await signed(SECRET, 'HS256');

    // Act
    secret.fill(0);

    // Assess
    await expect(copying.verify(token, NOW)).resolves.toMatchObject({ subject: 'reader-42' });
  });
});
