import { CachedPollStore } from '../../../shared/polls/cached-poll-store';
import type { PollDefinition } from '../../../shared/polls/poll';
import type { PollStore, StoredPoll } from '../../../shared/polls/ports';

const definition = { articleId: 'a', question: 'Q?', options: [] } as unknown as PollDefinition;

function countingStore(polls: Record<string, StoredPoll>) {
  const loads: string[] = [];
  const store: PollStore = {
    load: async (articleId) => {
      loads.push(articleId);
      return structuredClone(polls[articleId]!);
    },
    findDefinition: async () => null,
    findSource: async () => null,
    define: async (d) => d,
  };
  return { store, loads };
}

const defined = (votes: number): StoredPoll => ({ definition, tally: { total: votes } as never });
const undefinedPoll: StoredPoll = { definition: null, tally: { total: 0 } as never };

describe('CachedPollStore', () => {
  let now = 0;
  const clock = { now: () => new Date(now) };
  beforeEach(() => {
    now = 1_000_000;
  });

  it('reads a defined poll once a second at most, and again once that second has passed', async () => {
    const { store, loads } = countingStore({ a: defined(5) });
    const cached = new CachedPollStore(store, clock, { maxAgeMs: 1_000, maxEntries: 10 });

    await cached.load('a');
    now += 999;
    await cached.load('a');
    now += 2;
    await cached.load('a');

    expect(loads).toEqual(['a', 'a']);
  });

  it('never remembers a poll that is not defined yet: its first vote defines it', async () => {
    const { store, loads } = countingStore({ b: undefinedPoll });
    const cached = new CachedPollStore(store, clock, { maxAgeMs: 1_000, maxEntries: 10 });

    await cached.load('b');
    await cached.load('b');

    expect(loads).toEqual(['b', 'b']);
  });

  it('keeps at most maxEntries polls, forgetting the least recently read', async () => {
    const { store, loads } = countingStore({ a: defined(1), b: defined(2), c: defined(3) });
    const cached = new CachedPollStore(store, clock, { maxAgeMs: 60_000, maxEntries: 2 });

    for (const id of ['a', 'b', 'c', 'c', 'b', 'a']) await cached.load(id);

    // a was pushed out by c; b and c stayed.
    expect(loads).toEqual(['a', 'b', 'c', 'a']);
  });
});
