import { ValidationError } from '../../../shared/errors';
import { definePoll, type PollDefinition } from '../../../shared/polls/poll';
import type { VoteCounts } from '../../../shared/polls/tally-projections';
import {
  daysBetween,
  MAX_READ_ROUNDS,
  topStories,
  type DayRankingSource,
  type RankingEntry,
} from '../../../shared/polls/top-polls';
import { topPolls } from '../../../shared/polls/top-polls-query';

/**
 * Day rankings in memory, each story in one of `shards` lists as on the index, counting what is
 * read. Which list a story is in is the fake's own choice: the domain reads every list.
 */
class MemoryRankings implements DayRankingSource {
  entriesRead = 0;
  constructor(
    private readonly byDay: Map<string, Map<string, VoteCounts>>,
    private readonly shards: number,
  ) {}

  async page(
    day: string,
    shard: number,
    limit: number,
    after: string | null,
  ): Promise<{ entries: RankingEntry[]; next: string | null }> {
    const list = [...(this.byDay.get(day) ?? new Map<string, VoteCounts>())]
      .filter(([id]) => listOf(id, this.shards) === shard)
      .map(([articleId, counts]) => ({ articleId, ...counts }))
      .sort((a, b) => b.totalVotes - a.totalVotes || (a.articleId < b.articleId ? 1 : -1));
    const start = after ? Number(after) : 0;
    const entries = list.slice(start, start + limit);
    this.entriesRead += entries.length;
    return { entries, next: start + limit < list.length ? String(start + limit) : null };
  }

  async totals(ids: readonly string[], days: readonly string[]): Promise<Map<string, VoteCounts>> {
    this.entriesRead += ids.length * days.length;
    return new Map(ids.map((id) => [id, sumDays(this.byDay, id, days)]));
  }
}

const optionCounts = (counts: Record<string, number>) => new Map(Object.entries(counts));
const listOf = (id: string, lists: number) => [...id].reduce((sum, c) => sum + c.charCodeAt(0), 0) % lists;

function sumDays(byDay: Map<string, Map<string, VoteCounts>>, id: string, days: readonly string[]): VoteCounts {
  const counts = new Map<string, number>();
  let totalVotes = 0;
  for (const day of days) {
    const entry = byDay.get(day)?.get(id);
    if (!entry) continue;
    totalVotes += entry.totalVotes;
    for (const [option, votes] of entry.counts) counts.set(option, (counts.get(option) ?? 0) + votes);
  }
  return { counts, totalVotes };
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const DAYS = ['2024-03-10', '2024-03-11', '2024-03-12', '2024-03-13'];

/**
 * Random day rankings. `correlated`: as real traffic, a story popular one day is popular the
 * next (the case the early stop is for); otherwise each day is drawn on its own (the worst case).
 */
function randomRankings(seed: number, stories: number, correlated = false): Map<string, Map<string, VoteCounts>> {
  const random = seeded(seed);
  const popularity = Array.from({ length: stories }, () => random() ** 4);
  const byDay = new Map<string, Map<string, VoteCounts>>();
  for (const day of DAYS) {
    const entries = new Map<string, VoteCounts>();
    for (let s = 0; s < stories; s++) {
      if (random() < 0.4) continue;
      const weight = correlated ? popularity[s]! * (0.5 + random()) : random() ** 4;
      const yes = Math.floor(weight * 500);
      const no = Math.floor(weight * random() * 300);
      if (yes + no === 0) continue;
      entries.set(s.toString(16).padStart(16, '0'), { counts: optionCounts({ yes, no }), totalVotes: yes + no });
    }
    byDay.set(day, entries);
  }
  return byDay;
}

describe('the stories with the most votes over several days', () => {
  it.each(Array.from({ length: 30 }, (_, i) => [i + 1, i % 2 === 0]))(
    'equal a brute-force sum over every entry (seed %i, correlated %p)',
    async (seed, correlated) => {
      const byDay = randomRankings(seed, 200, correlated);
      const source = new MemoryRankings(byDay, 4);
      const ids = new Set([...byDay.values()].flatMap((day) => [...day.keys()]));
      const brute = [...ids]
        .map((articleId) => ({ articleId, ...sumDays(byDay, articleId, DAYS) }))
        .sort((a, b) => b.totalVotes - a.totalVotes || (a.articleId < b.articleId ? -1 : 1));

      const top = await topStories(source, { days: DAYS, shards: 4, limit: 5 });

      // The same totals in the same order; among stories tied at the cut, any may be shown.
      expect(top.map((entry) => entry.totalVotes)).toEqual(brute.slice(0, 5).map((entry) => entry.totalVotes));
      for (const entry of top) expect(entry).toEqual(brute.find((b) => b.articleId === entry.articleId));
    },
  );

  it('reads far fewer entries than there are when popular stories stay popular', async () => {
    const byDay = randomRankings(7, 2000, true);
    const source = new MemoryRankings(byDay, 4);
    const all = [...byDay.values()].reduce((n, day) => n + day.size, 0);

    await topStories(source, { days: DAYS, shards: 4, limit: 10 });

    expect(source.entriesRead).toBeLessThan(all / 3);
  });

  it('bounds the reading of a public request when the cut falls among many equal stories', async () => {
    // Prepare: 20,000 stories with one vote each, spread over four days.
    const byDay = new Map<string, Map<string, VoteCounts>>(DAYS.map((day) => [day, new Map()]));
    for (let s = 0; s < 20_000; s++) {
      byDay
        .get(DAYS[s % DAYS.length]!)!
        .set(s.toString(16).padStart(16, '0'), { counts: optionCounts({ yes: 1 }), totalVotes: 1 });
    }
    const source = new MemoryRankings(byDay, 4);
    let pages = 0;
    const page = source.page.bind(source);
    source.page = (...args) => {
      pages++;
      return page(...args);
    };

    // Act
    const top = await topStories(source, { days: DAYS, shards: 4, limit: 50 });

    // Assess: a full answer of one-vote stories, from at most MAX_READ_ROUNDS pages of each list.
    expect(top).toHaveLength(50);
    expect(top.every((entry) => entry.totalVotes === 1)).toBe(true);
    expect(pages).toBeLessThanOrEqual(MAX_READ_ROUNDS * DAYS.length * 4);
  });

  it("reads a single day's lists without looking totals up", async () => {
    const byDay = randomRankings(3, 100);
    const source = new MemoryRankings(byDay, 4);
    source.totals = async () => {
      throw new Error('not needed for one day');
    };

    const top = await topStories(source, { days: [DAYS[0]!], shards: 4, limit: 3 });

    const expected = [...byDay.get(DAYS[0]!)!]
      .sort((a, b) => b[1].totalVotes - a[1].totalVotes || (a[0] < b[0] ? -1 : 1))
      .slice(0, 3);
    expect(top.map((e) => [e.articleId, e.totalVotes])).toEqual(expected.map(([id, c]) => [id, c.totalVotes]));
  });

  it('lists the UTC days of a period, oldest first', () => {
    expect(daysBetween(new Date('2024-02-28T23:00:00Z'), new Date('2024-03-01T01:00:00Z'))).toEqual([
      '2024-02-28',
      '2024-02-29',
      '2024-03-01',
    ]);
  });
});

describe('GET /polls/top as the domain answers it', () => {
  const now = new Date('2024-03-13T12:00:00Z');
  const definition: PollDefinition = definePoll(
    { articleId: '0000000000000001', headline: 'Story one', poll: null },
    ['Yes', 'No'],
    now,
  );
  const byDay = new Map([
    ['2024-03-12', new Map([['0000000000000001', { counts: optionCounts({ yes: 1, no: 3 }), totalVotes: 4 }]])],
    ['2024-03-13', new Map([['0000000000000001', { counts: optionCounts({ yes: 1 }), totalVotes: 1 }]])],
  ]);
  const deps = {
    rankings: new MemoryRankings(byDay, 4),
    rankingShards: 4,
    definitions: async () => new Map([[definition.articleId, definition]]),
    clock: { now: () => now },
  };

  it('gives each story its votes in the period and its leading reaction there', async () => {
    const top = await topPolls(deps, { since: new Date('2024-03-12T08:00:00Z'), limit: 5 });

    expect(top).toEqual({
      from: '2024-03-12',
      to: '2024-03-13',
      items: [
        {
          articleId: '0000000000000001',
          headline: 'Story one',
          question: 'Story one is...',
          totalVotes: 5,
          leadingReaction: { id: 'no', label: 'No', votes: 3, percent: 60 },
        },
      ],
    });
    expect((await topPolls(deps, { since: null, limit: 5 })).items[0]).toMatchObject({
      totalVotes: 1,
      leadingReaction: { id: 'yes' },
    });
  });

  it.each([
    ['in the future', '2024-03-14T00:00:00Z'],
    ['more than six days back', '2024-03-06T00:00:00Z'],
    ['centuries back', '1000-01-01T00:00:00Z'],
  ])('refuses a since %s, naming query.since', async (_case, since) => {
    const refused = topPolls(deps, { since: new Date(since), limit: 5 });

    await expect(refused).rejects.toBeInstanceOf(ValidationError);
    await expect(refused).rejects.toMatchObject({ details: [{ path: 'query.since' }] });
  });
});
