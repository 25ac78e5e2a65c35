/**
 * The reader authenticator and bans: once a token verifies, a reader an editor banned is refused
 * (403 `reader_banned`, with `until`), until the ban expires or is lifted; a ban on a signed-in
 * reader holds for every token the site signs for them. The list is read through the same cache
 * the reader routes use, so a change shows once the cached second has passed.
 */
import { SignJWT } from 'jose';
import { cachedActiveBans } from '../../../shared/identity/cached-active-bans';
import {
  banReader,
  unbanReader,
  ReaderBannedError,
  type BanList,
  type BanListStore,
} from '../../../shared/identity/reader-bans';
import { ReaderAuthenticator, ReaderCredentialError, siteReaderId } from '../../../shared/identity/reader-identity';
import { readerTokenKeysFrom } from '../../../shared/identity/reader-token';
import { createSiteTokenVerifier } from '../../../shared/identity/site-token';
import { ReaderHasher } from '../../../shared/privacy/reader-hasher';
import { readerAuthorization, UNIT_READER_TOKEN_KEY } from '../../support/reader-tokens';

const SITE = { issuer: 'https://www.example-news.test', audience: 'newsroom-api' };
const SITE_SECRET = new TextEncoder().encode('the site and the newsroom share these 48 bytes!!');
const hasher = new ReaderHasher(Buffer.from('unit-test-reader-hash-key-0123456789abcdef'));
const READER_ID = 'unit-reader-0001';
const SECOND = 1_000;

let now = new Date();
const later = (ms: number) => (now = new Date(now.getTime() + ms));
let list: BanList;
let reads: number;
const store: BanListStore = {
  read: async () => structuredClone(list),
  replace: async (entries, expectedVersion) => {
    if (list.version !== expectedVersion) return false;
    list = { entries: [...entries], version: expectedVersion + 1 };
    return true;
  },
};
const editors = { bans: store, clock: { now: () => now } };
let authenticator: ReaderAuthenticator;

beforeEach(() => {
  now = new Date();
  list = { entries: [], version: 0 };
  reads = 0;
  const site = createSiteTokenVerifier({ ...SITE, key: { kind: 'secret', secret: SITE_SECRET } });
  authenticator = new ReaderAuthenticator({
    readerTokenKeys: async () => readerTokenKeysFrom(UNIT_READER_TOKEN_KEY, now),
    siteTokens: { issuer: SITE.issuer, verify: (token, at) => site.verify(token, at) },
    siteReaderId: async (subject) => siteReaderId(hasher, subject),
    bans: cachedActiveBans(async () => {
      reads++;
      return (await store.read()).entries;
    }, SECOND),
  });
});

const siteToken = async (subject: string, issuedAt: Date) =>
  `Bearer ${await new SignJWT({ name: `Reader ${subject}` })
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer(SITE.issuer)
    .setAudience(SITE.audience)
    .setSubject(subject)
    .setIssuedAt(Math.floor(issuedAt.getTime() / 1000))
    .setExpirationTime(Math.floor(issuedAt.getTime() / 1000) + 3600)
    .sign(SITE_SECRET)}`;

/** What `authenticate` gives: the reader id, or the refusal's status, code and `until`. */
async function outcome(authorization: string) {
  try {
    return { readerId: (await authenticator.authenticate(authorization, now)).readerId };
  } catch (error) {
    if (!(error instanceof ReaderBannedError) && !(error instanceof ReaderCredentialError)) throw error;
    return { status: error.statusCode, code: error.code, ...error.bodyFields };
  }
}

describe('a banned reader', () => {
  it('is refused with 403 reader_banned and the ban’s end, once the cached second has passed, and accepted once it ends', async () => {
    const { authorization } = await readerAuthorization(READER_ID, now);
    expect(await outcome(authorization)).toEqual({ readerId: READER_ID });

    await banReader(editors, {
      readerId: READER_ID,
      until: new Date(now.getTime() + 60_000),
      reason: null,
      editor: 'e',
    });
    const until = new Date(now.getTime() + 60_000).toISOString();
    const withinTheSecond = await outcome(authorization);
    later(SECOND);
    const afterIt = await outcome(authorization);
    later(59_000);
    const atTheEnd = await outcome(authorization);

    expect(withinTheSecond).toEqual({ readerId: READER_ID });
    expect(afterIt).toEqual({ status: 403, code: 'reader_banned', until });
    expect(atTheEnd).toEqual({ readerId: READER_ID });
  });

  it('is refused until lifted when the ban has no end, and accepted again once an editor lifts it', async () => {
    // A token of the moment each time: tokens from readerAuthorization live a day.
    const token = async () => (await readerAuthorization(READER_ID, now)).authorization;
    await banReader(editors, { readerId: READER_ID, until: null, reason: 'Abuse', editor: 'e' });

    const banned = await outcome(await token());
    later(365 * 86_400_000);
    const aYearOn = await outcome(await token());
    await unbanReader(editors, { readerId: READER_ID, editor: 'e' });
    later(SECOND);
    const lifted = await outcome(await token());

    expect(banned).toEqual({ status: 403, code: 'reader_banned', until: null });
    expect(aYearOn).toEqual({ status: 403, code: 'reader_banned', until: null });
    expect(lifted).toEqual({ readerId: READER_ID });
  });

  it('with a bad token gets the 401 of the token, and the list is not read', async () => {
    await banReader(editors, { readerId: READER_ID, until: null, reason: null, editor: 'e' });
    const { authorization } = await readerAuthorization(READER_ID, new Date(now.getTime() - 2 * 86_400_000));

    expect(await outcome(authorization)).toEqual({ status: 401, code: 'unauthorized' });
    expect(await outcome('Bearer not.a.token')).toEqual({ status: 401, code: 'unauthorized' });
    expect(reads).toBe(0);
  });

  it('does not hold back other readers', async () => {
    await banReader(editors, { readerId: READER_ID, until: null, reason: null, editor: 'e' });

    expect(await outcome((await readerAuthorization('unit-reader-0002', now)).authorization)).toEqual({
      readerId: 'unit-reader-0002',
    });
  });
});

describe('a banned reader signed in on the site', () => {
  it('is refused with every token the site signs for them, on any device; another subject is not', async () => {
    const onThePhone = await siteToken('alice', now);
    await banReader(editors, { readerId: siteReaderId(hasher, 'alice'), until: null, reason: null, editor: 'e' });
    later(60_000);
    const onTheLaptop = await siteToken('alice', now);

    expect(await outcome(onThePhone)).toEqual({ status: 403, code: 'reader_banned', until: null });
    expect(await outcome(onTheLaptop)).toEqual({ status: 403, code: 'reader_banned', until: null });
    expect(await outcome(await siteToken('bob', now))).toEqual({ readerId: siteReaderId(hasher, 'bob') });
  });
});
