import { inForce, type ActiveBans, type BanEntry } from './reader-bans';

/**
 * The bans in force as one function instance sees them: the whole list, read at most once every
 * `maxAgeMs` and kept in a `Map` (reader ids are keys here, and `__proto__` is a reader id, so
 * never those of a plain object). A new ban therefore reaches a warm instance within `maxAgeMs`
 * of its write (plus the store's own lag). A failed read is not kept: the next call reads again.
 * A closure rather than a class: it is in every reader route's bundle, where bytes are budgeted.
 */
export function cachedActiveBans(load: () => Promise<readonly BanEntry[]>, maxAgeMs: number): ActiveBans {
  let bans: Promise<Map<string, number | null>> | undefined;
  let readAt = 0;
  return {
    async activeBan(readerId, now) {
      const time = now.getTime();
      if (!bans || time < readAt || time - readAt >= maxAgeMs) {
        const read = (bans = load().then((entries) => new Map(entries.map((e) => [e.readerId, e.until]))));
        readAt = time;
        read.catch(() => {
          if (bans === read) bans = undefined;
        });
      }
      const until = (await bans).get(readerId);
      if (until === undefined || !inForce({ readerId, until }, time)) return null;
      return { until: until === null ? null : new Date(until) };
    },
  };
}
