import { SignJWT } from 'jose';
import {
  InvalidReaderTokenError,
  issueReaderToken,
  newReaderId,
  READER_ID_PATTERN,
  readerTokenKeysFrom,
  verifyReaderToken,
} from '../../../shared/identity/reader-token';

const KEY_A = 'a'.repeat(20) + 'key-one-for-reader-tokens-0001';
const KEY_B = 'b'.repeat(20) + 'key-two-for-reader-tokens-0002';
const NOW = new Date('2026-11-30T12:00:00Z');
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const failureOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(InvalidReaderTokenError);
  return (error as InvalidReaderTokenError).reason;
};

describe('reader ids', () => {
  it('are random, opaque and URL-safe', () => {
    const ids = new Set(Array.from({ length: 100 }, newReaderId));

    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(READER_ID_PATTERN);
  });
});

describe('reader tokens', () => {
  const keys = readerTokenKeysFrom(JSON.stringify({ current: KEY_A }), NOW);

  it('name the reader they were issued for, and when they expire', async () => {
    const issued = await issueReaderToken(keys, { readerId: 'reader-0001', now: NOW, ttlDays: 365 });

    expect(issued.expiresAt).toEqual(new Date('2027-11-30T12:00:00Z'));
    await expect(verifyReaderToken(keys, issued.token, later(3600))).resolves.toEqual({
      readerId: 'reader-0001',
      issuedAt: NOW,
      expiresAt: issued.expiresAt,
    });
  });

  it('never carry the key: the header names it by a digest', async () => {
    const { token } = await issueReaderToken(keys, { readerId: 'reader-0001', now: NOW, ttlDays: 1 });
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as Record<string, unknown>;

    expect(header).toEqual({ alg: 'HS256', kid: keys.signing.kid, typ: 'JWT' });
    expect(token).not.toContain(Buffer.from(KEY_A).toString('base64url'));
  });

  it('expire, with a minute of tolerance for clocks', async () => {
    const { token } = await issueReaderToken(keys, { readerId: 'reader-0001', now: NOW, ttlDays: 1 });

    await expect(verifyReaderToken(keys, token, later(86_400 + 30))).resolves.toBeDefined();
    expect(await failureOf(verifyReaderToken(keys, token, later(86_400 + 61)))).toBe('expired');
  });

  it('are refused when tampered with', async () => {
    const { token } = await issueReaderToken(keys, { readerId: 'reader-0001', now: NOW, ttlDays: 1 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const forged = Buffer.from(JSON.stringify({ ...claims, sub: 'reader-0002' })).toString('base64url');
    const flipped = signature.slice(0, -2) + (signature.endsWith('AA') ? 'BB' : 'AA');

    expect(await failureOf(verifyReaderToken(keys, `${header}.${forged}.${signature}`, NOW))).toBe('bad-signature');
    expect(await failureOf(verifyReaderToken(keys, `${header}.${payload}.${flipped}`, NOW))).toBe('bad-signature');
    expect(await failureOf(verifyReaderToken(keys, 'not a token', NOW))).toBe('malformed');
  });

  it('are refused unsigned (alg none), from another issuer or audience, or without a subject', async () => {
    const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const iat = Math.floor(NOW.getTime() / 1000);
    const unsigned = `${encode({ alg: 'none', kid: keys.signing.kid })}.${encode({
      iss: 'newsroom',
      aud: 'newsroom:reader',
      sub: 'reader-0001',
      iat,
      exp: iat + 60,
    })}.`;
    const signed = (claims: Record<string, unknown>) =>
      new SignJWT({ iss: 'newsroom', aud: 'newsroom:reader', sub: 'reader-0001', iat, exp: iat + 60, ...claims })
        .setProtectedHeader({ alg: 'HS256', kid: keys.signing.kid })
        .sign(keys.signing.secret);

    expect(await failureOf(verifyReaderToken(keys, unsigned, NOW))).toBe('algorithm-not-allowed');
    expect(await failureOf(verifyReaderToken(keys, await signed({ iss: 'someone-else' }), NOW))).toBe('claim-iss');
    expect(await failureOf(verifyReaderToken(keys, await signed({ aud: 'newsroom-local' }), NOW))).toBe('claim-aud');
    expect(await failureOf(verifyReaderToken(keys, await signed({ sub: undefined }), NOW))).toBe('claim-sub');
    expect(await failureOf(verifyReaderToken(keys, await signed({ sub: 'has spaces in it' }), NOW))).toBe(
      'invalid-subject',
    );
    expect(await failureOf(verifyReaderToken(keys, await signed({ iat: iat + 3600 }), NOW))).toBe(
      'issued-in-the-future',
    );
  });

  it('are refused when signed by a key the secret does not hold', async () => {
    const other = readerTokenKeysFrom(KEY_B, NOW);
    const { token } = await issueReaderToken(other, { readerId: 'reader-0001', now: NOW, ttlDays: 1 });

    expect(await failureOf(verifyReaderToken(keys, token, NOW))).toBe('unknown-key');
  });
});

describe('key rotation', () => {
  it('signs with the current key and accepts the previous one until its grace period ends', async () => {
    const before = readerTokenKeysFrom(JSON.stringify({ current: KEY_A }), NOW);
    const { token: old } = await issueReaderToken(before, { readerId: 'reader-0001', now: NOW, ttlDays: 30 });
    const rotated = JSON.stringify({ current: KEY_B, previous: KEY_A, previousUntil: later(7 * 86_400).toISOString() });

    const during = readerTokenKeysFrom(rotated, later(86_400));
    const { token: fresh } = await issueReaderToken(during, {
      readerId: 'reader-0002',
      now: later(86_400),
      ttlDays: 30,
    });
    const after = readerTokenKeysFrom(rotated, later(8 * 86_400));

    expect(during.signing.kid).not.toBe(before.signing.kid);
    await expect(verifyReaderToken(during, old, later(86_400))).resolves.toMatchObject({ readerId: 'reader-0001' });
    expect(await failureOf(verifyReaderToken(after, old, later(8 * 86_400)))).toBe('unknown-key');
    await expect(verifyReaderToken(after, fresh, later(8 * 86_400))).resolves.toMatchObject({
      readerId: 'reader-0002',
    });
  });

  it('reads a bare key as the only key, and refuses a malformed secret without quoting it', () => {
    expect(readerTokenKeysFrom(KEY_A, NOW).verifying.size).toBe(1);
    expect(() => readerTokenKeysFrom(JSON.stringify({ current: 'short' }), NOW)).toThrow(
      /^The reader token key secret is malformed at current$/,
    );
    expect(() => readerTokenKeysFrom('{"current": oops', NOW)).toThrow(/not valid JSON/);
    expect(() => readerTokenKeysFrom(JSON.stringify({ current: KEY_A, previousUntil: 'soon' }), NOW)).toThrow(
      /previousUntil/,
    );
  });

  it.each([
    ['a short previous key', { current: KEY_A, previous: 'short' }, 'previous'],
    ['a previousUntil that is not text', { current: KEY_A, previous: KEY_B, previousUntil: 1 }, 'previousUntil'],
    ['a day that does not exist', { current: KEY_A, previousUntil: '2025-02-30T00:00:00Z' }, 'previousUntil'],
    ['a field it does not know', { current: KEY_A, next: KEY_B }, 'next'],
    ['a current key that is not text', { current: 42 }, 'current'],
    ['JSON null', null, 'current'],
  ])('refuses a secret with %s, naming the field', (_case, secret, field) => {
    expect(() => readerTokenKeysFrom(JSON.stringify(secret), NOW)).toThrow(
      new RegExp(`^The reader token key secret is malformed at ${field}$`),
    );
  });
});
