/**
 * Reader identities for tests. Unit tests sign reader tokens with the key `setHandlerEnv` gives
 * the handlers (READER_TOKEN_KEY); end-to-end tests mint them through `POST /readers/anonymous`,
 * each reader from its own address when the stack trusts `X-Forwarded-For` (LOCAL_TRUST_FORWARDED_FOR).
 */
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
