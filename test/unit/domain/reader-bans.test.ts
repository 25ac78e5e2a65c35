/**
 * Reader bans in the domain: what banning and lifting do to the list of bans in force (replace,
 * prune, cap, retry on another editor's write), what they record, and the cache every reader
 * route reads the list through.
 */
import { ConflictError, ValidationError } from '../../../shared/errors';
import { cachedActiveBans } from '../../../shared/identity/cached-active-bans';
import {
  BAN_RULES,
  BanListFullError,
  banReader,
  unbanReader,
  type BanEntry,
  type BanList,
  type BanListStore,
  type BanRecord,
} from '../../../shared/identity/reader-bans';

const NOW = new Date('2026-03-02T10:00:00.000Z');
const at = (offsetMs: number) => new Date(NOW.getTime() + offsetMs);
const HOUR = 3_600_000;

/**
 * A list store in memory, versioned as the table's. `racing`: that many writes find that another
 * editor banned someone (`racer-<n>`) since they read the list.
 */
function memoryStore(entries: BanEntry[] = [], options: { racing?: number } = {}) {
  let list: BanList = { entries, version: entries.length > 0 ? 1 : 0 };
  let racing = options.racing ?? 0;
  const records: BanRecord[] = [];
  const writes: number[] = [];
  const store: BanListStore = {
    read: async () => structuredClone(list),
    replace: async (next, expectedVersion, record) => {
      if (racing > 0) {
        racing--;
        list = { entries: [...list.entries, { readerId: `racer-${racing}`, until: null }], version: list.version + 1 };
      }
      if (list.version !== expectedVersion) return false;
      list = { entries: structuredClone([...next]), version: expectedVersion + 1 };
      records.push(record);
      writes.push(list.version);
      return true;
    },
  };
  return { store, records, writes, list: () => list };
}

const clockAt = (date: Date) => ({ now: () => date });

describe('banReader', () => {
  it('adds the ban, records it with the editor and the reason, and answers as PUT does', async () => {
    const { store, records, list } = memoryStore();

    const ban = await banReader(
      { bans: store, clock: clockAt(NOW) },
      { readerId: 'reader-0001', until: at(HOUR), reason: 'Spam', editor: 'editor-1' },
    );

    expect(ban).toEqual({
      readerId: 'reader-0001',
      until: at(HOUR).toISOString(),
      reason: 'Spam',
      bannedBy: 'editor-1',
      bannedAt: NOW.toISOString(),
    });
    expect(list()).toEqual({ entries: [{ readerId: 'reader-0001', until: at(HOUR).getTime() }], version: 1 });
    expect(records).toEqual([
      {
        readerId: 'reader-0001',
        action: 'banned',
        until: at(HOUR).toISOString(),
        reason: 'Spam',
        by: 'editor-1',
        at: NOW.toISOString(),
      },
    ]);
  });

  it('replaces a reader’s ban with the new one, and records the new one too', async () => {
    const { store, records, list } = memoryStore([{ readerId: 'reader-0001', until: at(HOUR).getTime() }]);

    await banReader(
      { bans: store, clock: clockAt(NOW) },
      { readerId: 'reader-0001', until: null, reason: null, editor: 'editor-2' },
    );

    expect(list().entries).toEqual([{ readerId: 'reader-0001', until: null }]);
    expect(records.map((record) => [record.action, record.until, record.by])).toEqual([['banned', null, 'editor-2']]);
  });

  it('drops the bans that have expired whenever it writes the list', async () => {
    const { store, list } = memoryStore([
      { readerId: 'expired-0001', until: at(-1).getTime() },
      { readerId: 'expires-now', until: NOW.getTime() },
      { readerId: 'lasting-0001', until: at(HOUR).getTime() },
      { readerId: 'forever-0001', until: null },
    ]);

    await banReader(
      { bans: store, clock: clockAt(NOW) },
      { readerId: 'reader-0001', until: null, reason: null, editor: 'e' },
    );

    expect(list().entries.map((entry) => entry.readerId)).toEqual(['lasting-0001', 'forever-0001', 'reader-0001']);
  });

  it('refuses a ban beyond the cap with 409 ban_list_full, unless expired bans make room or it replaces one', async () => {
    const full = Array.from({ length: BAN_RULES.maxActiveBans }, (_, i) => ({
      readerId: `reader-${String(i).padStart(6, '0')}`,
      until: null,
    }));
    const deps = (entries: BanEntry[]) => ({ bans: memoryStore(entries).store, clock: clockAt(NOW) });
    const input = { readerId: 'one-too-many', until: null, reason: null, editor: 'e' };

    const refusal = await banReader(deps(full), input).catch((error: unknown) => error);
    const withExpired = [...full.slice(1), { readerId: 'expired-0001', until: at(-1).getTime() }];

    expect(refusal).toBeInstanceOf(BanListFullError);
    expect(refusal).toMatchObject({ statusCode: 409, code: 'ban_list_full' });
    expect((refusal as Error).message).toMatch(/give bans an expiry/);
    await expect(banReader(deps(withExpired), input)).resolves.toMatchObject({ readerId: 'one-too-many' });
    await expect(banReader(deps(full), { ...input, readerId: full[0]!.readerId })).resolves.toBeDefined();
  });

  it.each([
    ['now', at(0), 'Must be in the future'],
    ['in the past', at(-HOUR), 'Must be in the future'],
    ['more than ten years ahead', new Date('2036-03-02T10:00:00.001Z'), 'Must be at most 10 years ahead'],
  ])('refuses an until %s with 400 naming body.until, writing nothing', async (_case, until, message) => {
    const { store, writes } = memoryStore();

    const refusal = await banReader(
      { bans: store, clock: clockAt(NOW) },
      { readerId: 'reader-0001', until, reason: null, editor: 'e' },
    ).catch((error: unknown) => error);

    expect(refusal).toBeInstanceOf(ValidationError);
    expect((refusal as ValidationError).details).toEqual([{ path: 'body.until', message }]);
    expect(writes).toEqual([]);
  });

  it('accepts an until exactly ten years ahead', async () => {
    const { store } = memoryStore();
    const until = new Date('2036-03-02T10:00:00.000Z');

    await expect(
      banReader({ bans: store, clock: clockAt(NOW) }, { readerId: 'reader-0001', until, reason: null, editor: 'e' }),
    ).resolves.toMatchObject({ until: until.toISOString() });
  });

  it('reads the list again and retries when another editor’s write came first, keeping that write', async () => {
    const { store, records, list } = memoryStore([{ readerId: 'other-0001', until: null }], { racing: 2 });

    await banReader(
      { bans: store, clock: clockAt(NOW) },
      { readerId: 'reader-0001', until: null, reason: null, editor: 'e' },
    );

    expect(list().entries.map((entry) => entry.readerId)).toEqual(['other-0001', 'racer-1', 'racer-0', 'reader-0001']);
    expect(records).toHaveLength(1);
  });

  it(`gives up with 409 after ${BAN_RULES.maxAttempts} writes that all came second`, async () => {
    const { store, records } = memoryStore([], { racing: BAN_RULES.maxAttempts });

    await expect(
      banReader(
        { bans: store, clock: clockAt(NOW) },
        { readerId: 'reader-0001', until: null, reason: null, editor: 'e' },
      ),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(records).toEqual([]);
  });

  it('keeps `__proto__` as a reader id like any other', async () => {
    const { store, list } = memoryStore();

    await banReader(
      { bans: store, clock: clockAt(NOW) },
      { readerId: '__proto__', until: null, reason: null, editor: 'e' },
    );

    expect(list().entries).toEqual([{ readerId: '__proto__', until: null }]);
  });
});

describe('unbanReader', () => {
  it('lifts a ban in force, records the lifting, and drops expired bans on the way', async () => {
    const { store, records, list } = memoryStore([
      { readerId: 'reader-0001', until: null },
      { readerId: 'expired-0001', until: at(-1).getTime() },
      { readerId: 'other-0001', until: at(HOUR).getTime() },
    ]);

    const lifted = await unbanReader({ bans: store, clock: clockAt(NOW) }, { readerId: 'reader-0001', editor: 'e' });

    expect(lifted).toBe(true);
    expect(list().entries).toEqual([{ readerId: 'other-0001', until: at(HOUR).getTime() }]);
    expect(records).toEqual([
      { readerId: 'reader-0001', action: 'unbanned', until: null, reason: null, by: 'e', at: NOW.toISOString() },
    ]);
  });

  it.each([
    ['was never banned', []],
    ['has a ban that expired', [{ readerId: 'reader-0001', until: at(-1).getTime() }]],
  ])('writes and records nothing for a reader who %s', async (_case, entries: BanEntry[]) => {
    const { store, records, writes } = memoryStore(entries);

    const lifted = await unbanReader({ bans: store, clock: clockAt(NOW) }, { readerId: 'reader-0001', editor: 'e' });

    expect(lifted).toBe(false);
    expect(writes).toEqual([]);
    expect(records).toEqual([]);
  });
});

describe('cachedActiveBans', () => {
  function counted(entries: BanEntry[]) {
    const reads: number[] = [];
    const load = async () => {
      reads.push(reads.length);
      return entries;
    };
    return { load, reads };
  }

  it('reads the list once a second at most, and again once that second has passed', async () => {
    const { load, reads } = counted([{ readerId: 'reader-0001', until: null }]);
    const bans = cachedActiveBans(load, 1_000);

    await bans.activeBan('reader-0001', at(0));
    await bans.activeBan('someone-else', at(999));
    await bans.activeBan('reader-0001', at(1_000));

    expect(reads).toHaveLength(2);
  });

  it('shares one read among calls that come while it is under way', async () => {
    const { load, reads } = counted([]);
    const bans = cachedActiveBans(load, 1_000);

    await Promise.all([bans.activeBan('a-reader-1', at(0)), bans.activeBan('a-reader-2', at(0))]);

    expect(reads).toHaveLength(1);
  });

  it('reads again when the clock went back', async () => {
    const { load, reads } = counted([]);
    const bans = cachedActiveBans(load, 1_000);

    await bans.activeBan('a-reader-1', at(0));
    await bans.activeBan('a-reader-1', at(-1));

    expect(reads).toHaveLength(2);
  });

  it('does not keep a failed read: the next call reads again', async () => {
    let fail = true;
    const load = async (): Promise<BanEntry[]> => {
      if (fail) throw new Error('throttled');
      return [{ readerId: 'reader-0001', until: null }];
    };
    const bans = cachedActiveBans(load, 1_000);

    await expect(bans.activeBan('reader-0001', at(0))).rejects.toThrow('throttled');
    fail = false;

    await expect(bans.activeBan('reader-0001', at(1))).resolves.toEqual({ until: null });
  });

  it('answers a ban until its end and none from then on, and none for other readers, `__proto__` included', async () => {
    const bans = cachedActiveBans(
      async () => [
        { readerId: 'reader-0001', until: at(HOUR).getTime() },
        { readerId: 'reader-0002', until: null },
      ],
      60 * HOUR,
    );

    expect(await bans.activeBan('reader-0001', at(HOUR - 1))).toEqual({ until: at(HOUR) });
    expect(await bans.activeBan('reader-0001', at(HOUR))).toBeNull();
    expect(await bans.activeBan('reader-0002', at(10 * HOUR))).toEqual({ until: null });
    expect(await bans.activeBan('__proto__', at(0))).toBeNull();
    expect(await bans.activeBan('constructor', at(0))).toBeNull();
  });
});
