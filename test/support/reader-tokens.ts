/**
 * Reader identities for tests. Unit tests sign reader tokens with the key `setHandlerEnv` gives
 * the handlers (READER_TOKEN_KEY); end-to-end tests mint them through `POST /readers/anonymous`,
 * each reader from its own address when the stack trusts `X-Forwarded-For` (LOCAL_TRUST_FORWARDED_FOR).
 */
import { generateKeyPair, SignJWT } from 'jose';
import { issueReaderToken, readerTokenKeysFrom } from '../../shared/identity/reader-token';

/** The reader token key handler unit tests run with. */
export const UNIT_READER_TOKEN_KEY = 'unit-test-reader-token-key-0123456789abcdef';

/** `Authorization: Bearer …` for `readerId`, as `POST /readers/anonymous` would have issued it at `issuedAt`. */
export async function readerAuthorization(
  readerId = 'unit-reader-0001',
  issuedAt: Date = new Date(),
): Promise<{ authorization: string }> {
  const keys = readerTokenKeysFrom(UNIT_READER_TOKEN_KEY, issuedAt);
  const { token } = await issueReaderToken(keys, { readerId, now: issuedAt, ttlDays: 1 });
  return { authorization: `Bearer ${token}` };
}

export interface MintedReader {
  token: string;
  readerId: string;
  /** Headers that act as this reader (and, when the stack trusts it, from its address). */
  headers: Record<string, string>;
}

let addresses = 0;

/**
 * A new anonymous reader from the stack at `api`, minted from `sourceIp` (a fresh address unless
 * given: a test that needs several readers behind one address passes the same one).
 */
export async function mintReader(api: string, sourceIp = nextAddress()): Promise<MintedReader> {
  const reply = await fetch(`${api}/readers/anonymous`, { method: 'POST', headers: { 'x-forwarded-for': sourceIp } });
  if (reply.status !== 201) throw new Error(`POST /readers/anonymous answered ${reply.status}: ${await reply.text()}`);
  const { token, readerId } = (await reply.json()) as { token: string; readerId: string };
  return { token, readerId, headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': sourceIp } };
}

/** A documentation-range address (198.51.100.0/24, 203.0.113.0/24), new on each call. */
export function nextAddress(): string {
  addresses += 1;
  return `${addresses % 2 ? '198.51.100' : '203.0.113'}.${(Math.floor(addresses / 2) % 250) + 1}`;
}

/** The token with the first character of its signature changed: a different first byte, not only padding bits. */
const tampered = (authorization: string) => {
  const [header, payload, signature] = authorization.slice('Bearer '.length).split('.') as [string, string, string];
  return `Bearer ${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
};
/** Credentials a reader route must refuse with 401, each as the headers that carry it, for `readerId`. */
export function unusableReaderCredentials(readerId: string): Array<[string, () => Promise<Record<string, string>>]> {
  return [
    ['no Authorization header', async () => ({})],
    [
      'a token whose signature was altered',
      async () => ({ authorization: tampered((await readerAuthorization(readerId)).authorization) }),
    ],
    // Tokens from readerAuthorization live one day.
    ['an expired token', () => readerAuthorization(readerId, new Date(Date.now() - 2 * 86_400_000))],
    [
      "an editor's token, signed with another key",
      async () => {
        const { privateKey } = await generateKeyPair('ES256');
        const token = await new SignJWT({ 'cognito:groups': ['editors'], token_use: 'access' })
          .setProtectedHeader({ alg: 'ES256', kid: 'editor-key' })
          .setIssuer('urn:newsroom:local-stack')
          .setAudience('newsroom-local')
          .setSubject(readerId)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(privateKey);
        return { authorization: `Bearer ${token}` };
      },
    ],
    [
      'a reader token signed with another key',
      async () => {
        const now = new Date();
        const keys = readerTokenKeysFrom('another-reader-token-key-0123456789abcdef', now);
        const { token } = await issueReaderToken(keys, { readerId: readerId, now, ttlDays: 1 });
        return { authorization: `Bearer ${token}` };
      },
    ],
    [
      'a reader token naming our key but signed with another',
      async () => {
        const ours = readerTokenKeysFrom(UNIT_READER_TOKEN_KEY, new Date());
        const token = await new SignJWT({})
          .setProtectedHeader({ alg: 'HS256', kid: ours.signing.kid, typ: 'JWT' })
          .setIssuer('newsroom')
          .setAudience('newsroom:reader')
          .setSubject(readerId)
          .setIssuedAt()
          .setExpirationTime('1h')
          .sign(new TextEncoder().encode('another-reader-token-key-0123456789abcdef'));
        return { authorization: `Bearer ${token}` };
      },
    ],
    ['Bearer garbage', async () => ({ authorization: 'Bearer garbage' })],
    [
      'a valid token without the Bearer scheme',
      async () => ({ authorization: (await readerAuthorization(readerId)).authorization.slice('Bearer '.length) }),
    ],
  ];
}
