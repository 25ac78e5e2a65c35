/**
 * The stories with the most votes over a few UTC days, exactly, without reading every story.
 *
 * Each day has a ranking of the stories voted on that day, split over a few shard lists so that
 * no index partition takes every ranking write; each list is read most-voted first. A story's
 * total over the period is the sum of its days. The threshold algorithm (Fagin) stops reading as
 * soon as no unseen story can beat the k-th best: a story not yet seen has, on each day, at most
 * the votes of the last entry read from that day's lists, so its total is at most the sum of
 * those. Stories seen in one list have their other days looked up directly.
 */
import { NO_VOTES, type VoteCounts } from './tally-projections';

export interface RankingEntry extends VoteCounts {
  articleId: string;
}

export interface RankingPage {
  entries: RankingEntry[];
  /** Where the next page starts; null when the list is exhausted. */
  next: string | null;
}

export interface DayRankingSource {
  /** One page of a day's shard list, most votes first. */
  page(day: string, shard: number, limit: number, after: string | null): Promise<RankingPage>;
  /** Each story's votes on each of the days (absent days count as none), summed. */
  totals(articleIds: readonly string[], days: readonly string[]): Promise<Map<string, VoteCounts>>;
}

interface ListState {
  day: string;
  shard: number;
  after: string | null;
  exhausted: boolean;
  /** Votes of the last entry read: no unread entry of this list has more. */
  bound: number;
}

/**
 * Rounds of reading (one page of every open list per round) a request may take. A public route
 * must have a bounded cost: past this, the cut falls among many stories with nearly the same few
 * votes, and the answer is the best found so far. Stories above that crowd are always exact.
 */
export const MAX_READ_ROUNDS = 8;

/**
 * The `limit` stories with the most votes over `days`, most first (ties: lower article id first,
 * among the stories read). Reading stops as soon as no unread story can beat the last one kept —
 * an unread story that could only tie it cannot change the totals shown — or after MAX_READ_ROUNDS.
 */
export async function topStories(
  source: DayRankingSource,
  request: { days: readonly string[]; shards: number; limit: number },
): Promise<RankingEntry[]> {
  const { days, shards, limit } = request;
  const lists: ListState[] = days.flatMap((day) =>
    Array.from({ length: shards }, (_, shard) => ({ day, shard, after: null, exhausted: false, bound: Infinity })),
  );
  const known = new Map<string, VoteCounts>();
  for (let round = 0; round < MAX_READ_ROUNDS; round++) {
    const open = lists.filter((list) => !list.exhausted);
    if (open.length === 0) break;
    const pages = await Promise.all(open.map((list) => source.page(list.day, list.shard, limit, list.after)));
    const unseen = new Map<string, VoteCounts>();
    pages.forEach((page, i) => {
      const list = open[i]!;
      for (const entry of page.entries) if (!known.has(entry.articleId)) unseen.set(entry.articleId, entry);
      list.after = page.next;
      list.exhausted = page.next === null;
      list.bound = list.exhausted ? 0 : (page.entries.at(-1)?.totalVotes ?? 0);
    });
    if (unseen.size > 0) {
      // With one day an entry is already the story's whole total; with more, add up its days.
      const totals = days.length === 1 ? unseen : await source.totals([...unseen.keys()], days);
      for (const id of unseen.keys()) known.set(id, totals.get(id) ?? NO_VOTES);
    }
    const ranked = rank(known);
    if (ranked.length >= limit && ranked[limit - 1]!.totalVotes >= threshold(lists, days)) break;
  }
  return rank(known).slice(0, limit);
}

/** The most votes a story not yet seen can have: on each day, the highest bound of that day's lists. */
function threshold(lists: readonly ListState[], days: readonly string[]): number {
  return days.reduce((sum, day) => sum + Math.max(0, ...lists.filter((l) => l.day === day).map((l) => l.bound)), 0);
}

function rank(known: Map<string, VoteCounts>): RankingEntry[] {
  return [...known.entries()]
    .map(([articleId, counts]) => ({ articleId, ...counts }))
    .filter((entry) => entry.totalVotes > 0)
    .sort((a, b) => b.totalVotes - a.totalVotes || (a.articleId < b.articleId ? -1 : 1));
}

/** The UTC days from `since`'s day to `today`'s, oldest first. */
export function daysBetween(since: Date, today: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), since.getUTCDate()));
  const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate());
  while (day.getTime() <= end) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}
