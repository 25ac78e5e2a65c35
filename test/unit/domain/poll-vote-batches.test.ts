import {
  aggregateVotes,
  applyStoryVotes,
  compareSequences,
  retryFrom,
  votesByStory,
  type ApplyOutcome,
  type StreamedVote,
  type TallyLedger,
} from '../../../shared/polls/vote-batches';

/**
 * The in-memory twin of the table's ledger: an applied-marker per group's first event, written
 * atomically with the counts, exactly as the DynamoDB adapter's transaction does.
 */
class MemoryLedger implements TallyLedger {
  readonly markers = new Map<string, string>();
  readonly counts = new Map<string, Record<string, number>>();
  transactions = 0;
  /** Called before each write; throwing makes it fail without applying anything. */
  beforeWrite: (articleId: string) => void = () => undefined;

  async apply(articleId: string, votes: readonly StreamedVote[]): Promise<ApplyOutcome> {
    const marker = this.markers.get(votes[0]!.eventId);
    if (marker !== undefined) return { applied: false, markerLastSequence: marker };
    this.beforeWrite(articleId);
    this.transactions++;
    this.markers.set(votes[0]!.eventId, votes[votes.length - 1]!.sequence);
    const counts = this.counts.get(articleId) ?? {};
    for (const vote of votes) counts[vote.option] = (counts[vote.option] ?? 0) + 1;
    this.counts.set(articleId, counts);
    return { applied: true };
  }
}

/** A shard's worth of vote records, sequence numbers growing by uneven steps as on AWS. */
function stream(length: number, stories: number, random: () => number): StreamedVote[] {
  let sequence = 10n ** 20n;
  return Array.from({ length }, (_, i) => {
    sequence += BigInt(1 + Math.floor(random() * 1000));
    return {
      sequence: sequence.toString(),
      eventId: `event-${i}`,
      articleId: `story-${Math.floor(random() * stories)}`,
      option: ['yes', 'no', 'maybe'][Math.floor(random() * 3)]!,
    };
  });
}

function expectedCounts(votes: readonly StreamedVote[]): Map<string, Record<string, number>> {
  const counts = new Map<string, Record<string, number>>();
  for (const vote of votes) {
    const story = counts.get(vote.articleId) ?? {};
    story[vote.option] = (story[vote.option] ?? 0) + 1;
    counts.set(vote.articleId, story);
  }
  return counts;
}

function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const vote = (sequence: number, articleId: string, option = 'yes'): StreamedVote => ({
  sequence: String(sequence),
  eventId: `e${sequence}`,
  articleId,
  option,
});

describe('grouping a batch of votes', () => {
  it('groups votes by story in stream order, stories in order of their first vote', () => {
    const groups = votesByStory([vote(1, 'a'), vote(2, 'b'), vote(3, 'a')]);

    expect(groups.map((g) => [g.articleId, g.votes.map((v) => v.sequence)])).toEqual([
      ['a', ['1', '3']],
      ['b', ['2']],
    ]);
  });

  it('orders sequence numbers as numbers, whatever their length', () => {
    expect(compareSequences('999', '1000')).toBe(-1);
    expect(
      compareSequences('40000000000000000000000000000000000000001', '40000000000000000000000000000000000000000'),
    ).toBe(1);
    expect(compareSequences('12', '12')).toBe(0);
  });
});

describe('where a batch is redelivered from', () => {
  const groups = votesByStory([vote(1, 'a'), vote(2, 'b'), vote(3, 'c'), vote(4, 'a'), vote(5, 'b'), vote(6, 'c')]);
  const outcome = (failed: string[]) =>
    groups.map((story) => ({
      story,
      outcome: failed.includes(story.articleId) ? ('failed' as const) : ('applied' as const),
    }));

  it('is nowhere when every story was applied', () => {
    expect(retryFrom(outcome([]))).toBeNull();
  });

  it('is never inside an applied group: a failure at 3 moves back to 1, where story a starts', () => {
    // c failed at 3; a (1..4) and b (2..5) span it, so redelivering from 3 would start inside them.
    expect(retryFrom(outcome(['c']))).toBe('1');
  });

  it("is the failed story's first record when no group spans it", () => {
    const separate = votesByStory([vote(1, 'a'), vote(2, 'a'), vote(3, 'b'), vote(4, 'b')]);
    expect(
      retryFrom([
        { story: separate[0]!, outcome: 'applied' },
        { story: separate[1]!, outcome: 'failed' },
      ]),
    ).toBe('3');
  });
});

describe("applying a story's votes", () => {
  it('skips what an earlier delivery applied and applies the rest under a marker of its own', async () => {
    const ledger = new MemoryLedger();
    await applyStoryVotes(ledger, { articleId: 'a', votes: [vote(1, 'a'), vote(4, 'a')] });

    const outcome = await applyStoryVotes(ledger, {
      articleId: 'a',
      votes: [vote(1, 'a'), vote(4, 'a'), vote(9, 'a', 'no')],
    });

    expect(outcome).toBe('applied');
    expect(ledger.counts.get('a')).toEqual({ yes: 2, no: 1 });
    expect([...ledger.markers]).toEqual([
      ['e1', '4'],
      ['e9', '9'],
    ]);
  });

  it('changes nothing when the same group is delivered again', async () => {
    const ledger = new MemoryLedger();
    const group = { articleId: 'a', votes: [vote(1, 'a'), vote(4, 'a')] };
    await applyStoryVotes(ledger, group);

    expect(await applyStoryVotes(ledger, group)).toBe('applied');

    expect(ledger.counts.get('a')).toEqual({ yes: 2 });
    expect(ledger.transactions).toBe(1);
  });

  it('reports a delivery that ends inside an applied group as incomplete, applying nothing', async () => {
    const ledger = new MemoryLedger();
    await applyStoryVotes(ledger, { articleId: 'a', votes: [vote(1, 'a'), vote(4, 'a'), vote(6, 'a')] });

    expect(await applyStoryVotes(ledger, { articleId: 'a', votes: [vote(1, 'a'), vote(4, 'a')] })).toBe('incomplete');
    expect(ledger.counts.get('a')).toEqual({ yes: 3 });
  });
});

describe('aggregating a stream delivered at least once', () => {
  /**
   * Lambda's contract, played out: batches of any size start at the checkpoint; a batch whose
   * handler throws (even after applying everything) is redelivered from its start, one that
   * reports failures from the reported record. Any redelivery may hold more or fewer records.
   */
  it.each(Array.from({ length: 40 }, (_, i) => [i + 1]))('counts every vote exactly once (seed %i)', async (seed) => {
    const random = seeded(seed);
    const records = stream(400, 5, random);
    const ledger = new MemoryLedger();
    ledger.beforeWrite = () => {
      if (random() < 0.15) throw new Error('throttled');
    };
    let checkpoint = 0;
    let deliveries = 0;
    while (checkpoint < records.length) {
      if (++deliveries > 5000) throw new Error('no progress');
      const batch = records.slice(checkpoint, checkpoint + 1 + Math.floor(random() * 60));
      const { retryFrom: from } = await aggregateVotes(ledger, batch, { concurrency: 3 });
      if (random() < 0.1) continue; // failed after applying (crash, timeout, injected fault): redelivered from the start
      if (from === null) checkpoint += batch.length;
      else checkpoint = records.findIndex((record) => record.sequence === from);
    }

    expect(Object.fromEntries(ledger.counts)).toEqual(Object.fromEntries(expectedCounts(records)));
  });

  it('starts no story after one that failed, leaving them to the redelivery', async () => {
    const ledger = new MemoryLedger();
    ledger.beforeWrite = (articleId) => {
      if (articleId === 'b') throw new Error('throttled');
    };

    const result = await aggregateVotes(ledger, [vote(1, 'a'), vote(2, 'b'), vote(3, 'c')], { concurrency: 1 });

    expect(result.retryFrom).toBe('2');
    expect(result.outcomes.map(({ outcome }) => outcome)).toEqual(['applied', 'failed', 'not-attempted']);
    expect(Object.fromEntries(ledger.counts)).toEqual({ a: { yes: 1 } });
  });

  it('reports the failure point of a batch where one story could not be applied', async () => {
    const ledger = new MemoryLedger();
    ledger.beforeWrite = (articleId) => {
      if (articleId === 'b') throw new Error('conflict');
    };
    const errors: string[] = [];

    const result = await aggregateVotes(ledger, [vote(1, 'a'), vote(2, 'b'), vote(3, 'a'), vote(4, 'c')], {
      concurrency: 2,
      onGroupError: (articleId) => errors.push(articleId),
    });

    // b failed at 2, inside a's group (1..3): redelivery starts at a's first record.
    expect(result.retryFrom).toBe('1');
    expect(errors).toEqual(['b']);
    expect(Object.fromEntries(ledger.counts)).toEqual({ a: { yes: 2 }, c: { yes: 1 } });
  });
});
