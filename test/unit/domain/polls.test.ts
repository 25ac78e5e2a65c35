import { definePoll, optionIdFor, toOptions } from '../../../shared/polls/poll';
import { reactionsFromEnv } from '../../../shared/polls/reactions';
import { includingVote, leadingOption, pollResults, wholePercents, withVote } from '../../../shared/polls/results';
import { countVotes, type StreamedVote } from '../../../shared/polls/vote-batches';
import {
  dayRanking,
  projectTally,
  tallyUpdatedEvent,
  type PollProjections,
  type ProjectionState,
} from '../../../shared/polls/tally-projections';
import type { DomainEvent } from '../../../shared/ports';

const NOW = new Date('2024-03-14T12:00:00.000Z');
const optionCounts = (counts: Record<string, number>) => new Map(Object.entries(counts));
const clock = { now: () => NOW };
/** The reactions a poll offers when no setting names others. */
const DEFAULT_REACTIONS = reactionsFromEnv({});

describe("defining a story's poll", () => {
  it('asks "<headline> is..." with the default reactions when the story names no options', () => {
    const poll = definePoll(
      {
        articleId: 'a'.repeat(16),
        headline: 'Old Lighthouse Logbooks Fill a Gap in Storm Records',
        poll: { question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...', options: [] },
      },
      DEFAULT_REACTIONS,
      NOW,
    );

    expect(poll.question).toBe('Old Lighthouse Logbooks Fill a Gap in Storm Records is...');
    expect(poll.options).toEqual(DEFAULT_REACTIONS.map((label) => ({ id: label.toLowerCase(), label })));
  });

  it('uses the question "<headline> is..." when the story has no poll at all', () => {
    const poll = definePoll(
      { articleId: 'a'.repeat(16), headline: 'Harbor Town Votes', poll: null },
      ['Good', 'Bad'],
      NOW,
    );

    expect(poll).toMatchObject({
      question: 'Harbor Town Votes is...',
      options: [{ id: 'good' }, { id: 'bad' }],
      definedAt: NOW.toISOString(),
    });
  });

  it("keeps a JSON article's own options, with stable ids from their labels", () => {
    const poll = definePoll(
      {
        articleId: 'a'.repeat(16),
        headline: 'Airline',
        poll: { question: 'Airline is...', options: ['Great news', 'Too little, too late'] },
      },
      DEFAULT_REACTIONS,
      NOW,
    );

    expect(poll.options).toEqual([
      { id: 'great-news', label: 'Great news' },
      { id: 'too-little-too-late', label: 'Too little, too late' },
    ]);
    expect(optionIdFor('Too little, too late')).toBe(optionIdFor('Too  little,  too late'));
  });

  it('offers the default reactions when the story names a single option', () => {
    const poll = definePoll(
      { articleId: 'a'.repeat(16), headline: 'H', poll: { question: 'H is...', options: ['Only'] } },
      ['Yes', 'No'],
      NOW,
    );

    expect(poll.options.map((o) => o.id)).toEqual(['yes', 'no']);
  });

  it('drops empty labels and labels whose id repeats, and gives unsluggable labels an id', () => {
    expect(toOptions(['Great', ' ', 'great!', '¿?', 'Fine'])).toEqual([
      { id: 'great', label: 'Great' },
      { id: 'option-2', label: '¿?' },
      { id: 'fine', label: 'Fine' },
    ]);
  });

  it('reads the default reactions from POLL_REACTIONS, refusing fewer than two', () => {
    expect(reactionsFromEnv({})).toEqual([
      'Important',
      'Interesting',
      'Encouraging',
      'Sad',
      'Scary',
      'Infuriating',
      'Silly',
    ]);
    expect(reactionsFromEnv({ POLL_REACTIONS: 'Great | Fair|Bad' })).toEqual(['Great', 'Fair', 'Bad']);
    expect(() => reactionsFromEnv({ POLL_REACTIONS: 'Only' })).toThrow(/POLL_REACTIONS/);
  });
});

describe('poll results', () => {
  it.each([
    [
      [1, 1, 1],
      [34, 33, 33],
    ],
    [
      [2, 1],
      [67, 33],
    ],
    [
      [1, 0, 0, 1],
      [50, 0, 0, 50],
    ],
    [
      [3, 3, 1, 0, 0, 0, 0],
      [43, 43, 14, 0, 0, 0, 0],
    ],
    [
      [0, 0],
      [0, 0],
    ],
    [
      [1, 1, 1, 1, 1, 1, 1],
      [15, 15, 14, 14, 14, 14, 14],
    ],
  ])('rounds %p to whole percents %p that add up to 100 (largest remainder)', (votes, percents) => {
    expect(wholePercents(votes)).toEqual(percents);
  });

  it('always adds up to exactly 100 when there are votes', () => {
    for (let seed = 1; seed < 500; seed++) {
      const votes = Array.from({ length: 1 + (seed % 9) }, (_, i) => (seed * (i + 7) * 2654435761) % 97);
      if (votes.every((v) => v === 0)) continue;
      expect(wholePercents(votes).reduce((a, b) => a + b, 0)).toBe(100);
    }
  });

  it('lists every option with its votes and percent, and counts a new vote in', () => {
    const definition = definePoll({ articleId: 'a'.repeat(16), headline: 'H', poll: null }, ['Yes', 'No'], NOW);
    const tally = {
      counts: optionCounts({ yes: 2 }),
      totalVotes: 2,
      version: 3,
      updatedAt: '2024-03-14T11:00:00.000Z',
    };

    const after = pollResults(definition, withVote(tally, 'no', NOW));

    expect(pollResults(definition, tally)).toEqual({
      question: 'H is...',
      options: [
        { id: 'yes', label: 'Yes', votes: 2, percent: 100 },
        { id: 'no', label: 'No', votes: 0, percent: 0 },
      ],
      totalVotes: 2,
      updatedAt: '2024-03-14T11:00:00.000Z',
    });
    expect(after.options.map((o) => [o.votes, o.percent])).toEqual([
      [2, 67],
      [1, 33],
    ]);
    expect(after.totalVotes).toBe(3);
    expect(leadingOption(after)?.id).toBe('yes');
  });
});

describe('projecting a tally', () => {
  const definition = definePoll({ articleId: 'b'.repeat(16), headline: 'H', poll: null }, ['Yes', 'No'], NOW);
  const tally = { counts: optionCounts({ yes: 7, no: 3 }), totalVotes: 10, version: 5, updatedAt: NOW.toISOString() };

  function fakes(state: Partial<ProjectionState>) {
    const calls: string[] = [];
    const published: DomainEvent[] = [];
    const projections: PollProjections = {
      read: async () => ({ definition, tally, projectedVersion: 0, allTime: null, day: null, ...state }),
      saveDay: async (_id, ranking) => void calls.push(`day ${ranking.day} ${ranking.totalVotes} v${ranking.version}`),
      saveAllTime: async (_id, ranking) => void calls.push(`all ${ranking.totalVotes} v${ranking.version}`),
      saveVoteCount: async (_id, total, version) => void calls.push(`count ${total} v${version}`),
    };
    const events = { publish: async (batch: readonly DomainEvent[]) => void published.push(...batch) };
    return { calls, published, deps: { projections, events, clock } };
  }

  it('publishes the absolute counts, then writes the day entry, the all-time entry and the vote count last', async () => {
    const { calls, published, deps } = fakes({
      allTime: { counts: optionCounts({ yes: 4, no: 1 }), totalVotes: 5, version: 3 },
    });

    expect(await projectTally(deps, definition.articleId)).toBe('published');

    expect(published).toEqual([tallyUpdatedEvent(definition, tally)]);
    expect(published[0]!.detail).toMatchObject({
      version: 5,
      totalVotes: 10,
      options: [
        { id: 'yes', votes: 7 },
        { id: 'no', votes: 3 },
      ],
    });
    // The day's first update: its votes are those since the all-time entry was last written.
    expect(calls).toEqual(['day 2024-03-14 5 v5', 'all 10 v5', 'count 10 v5']);
  });

  it('does nothing for a version already projected (a redelivered change)', async () => {
    const { calls, published, deps } = fakes({ projectedVersion: 5 });

    expect(await projectTally(deps, definition.articleId)).toBe('unchanged');

    expect(calls).toEqual([]);
    expect(published).toEqual([]);
  });

  it("keeps the day's base once set, so the day counts all the votes since its first update", () => {
    const state: ProjectionState = {
      definition,
      tally,
      projectedVersion: 4,
      allTime: { counts: optionCounts({ yes: 6, no: 3 }), totalVotes: 9, version: 4 },
      day: {
        day: '2024-03-14',
        base: { counts: optionCounts({ yes: 1 }), totalVotes: 1 },
        counts: optionCounts({ yes: 5, no: 3 }),
        totalVotes: 8,
        version: 4,
      },
    };

    expect(dayRanking(state, '2024-03-14')).toEqual({
      day: '2024-03-14',
      base: { counts: optionCounts({ yes: 1 }), totalVotes: 1 },
      counts: optionCounts({ yes: 6, no: 3 }),
      totalVotes: 9,
      version: 5,
    });
    expect(dayRanking(state, '2024-03-15').totalVotes).toBe(1);
  });
});

/** Every name `Object.prototype` has, as a story page or a stream record could spell an option. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

describe('options named like Object.prototype members', () => {
  it('are counted exactly in a batch of votes, whatever their name', () => {
    const votes: StreamedVote[] = [...PROTOTYPE_NAMES, 'constructor'].map((option, i) => ({
      sequence: String(i + 1),
      eventId: `event-${i}`,
      articleId: 'a'.repeat(16),
      option,
    }));

    const { counts, total } = countVotes(votes);

    expect(total).toBe(PROTOTYPE_NAMES.length + 1);
    expect([...counts]).toEqual(PROTOTYPE_NAMES.map((name) => [name, name === 'constructor' ? 2 : 1]));
  });

  it('show zero votes, and a numeric total, before anyone voted for them', () => {
    const definition = definePoll(
      { articleId: 'a'.repeat(16), headline: 'H', poll: { question: 'H is...', options: ['Constructor', 'Fine'] } },
      DEFAULT_REACTIONS,
      NOW,
    );
    const tally = { counts: optionCounts({ fine: 2 }), totalVotes: 2, version: 1, updatedAt: NOW.toISOString() };

    const results = pollResults(definition, tally);
    const voted = pollResults(definition, withVote(tally, 'constructor', NOW));

    expect(definition.options.map((o) => o.id)).toEqual(['constructor', 'fine']);
    expect(results.options.map((o) => [o.id, o.votes, o.percent])).toEqual([
      ['constructor', 0, 0],
      ['fine', 2, 100],
    ]);
    expect(results.totalVotes).toBe(2);
    expect(voted.options.map((o) => o.votes)).toEqual([1, 2]);
    expect(voted.totalVotes).toBe(3);
  });

  it("count a reader's recorded vote for one of them in the results they are shown", () => {
    const definition = definePoll(
      { articleId: 'a'.repeat(16), headline: 'H', poll: { question: 'H is...', options: ['Constructor', 'Fine'] } },
      DEFAULT_REACTIONS,
      NOW,
    );
    const empty = { counts: new Map<string, number>(), totalVotes: 0, version: 0, updatedAt: null };

    const shown = pollResults(definition, includingVote(empty, { option: 'constructor', votedAt: NOW.toISOString() }));

    expect(shown.options.map((o) => [o.id, o.votes, o.percent])).toEqual([
      ['constructor', 1, 100],
      ['fine', 0, 0],
    ]);
    expect(shown.totalVotes).toBe(1);
  });

  it("are ranked by the day's votes since the day's base", () => {
    const definition = definePoll({ articleId: 'c'.repeat(16), headline: 'H', poll: null }, ['Yes', 'No'], NOW);
    const state: ProjectionState = {
      definition,
      tally: { counts: optionCounts({ constructor: 5, valueOf: 2 }), totalVotes: 7, version: 3, updatedAt: null },
      projectedVersion: 2,
      allTime: { counts: optionCounts({ constructor: 1 }), totalVotes: 1, version: 2 },
      day: null,
    };

    const day = dayRanking(state, '2024-03-14');

    expect([...day.counts]).toEqual([
      ['constructor', 4],
      ['valueOf', 2],
    ]);
    expect(day.totalVotes).toBe(6);
  });
});
