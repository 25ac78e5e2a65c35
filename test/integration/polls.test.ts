import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand as DocQueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoPollProjections } from '../../shared/adapters/polls/dynamo-poll-projections';
import { DynamoMostVoted } from '../../shared/adapters/polls/dynamo-most-voted';
import { DynamoPollRankings } from '../../shared/adapters/polls/dynamo-poll-rankings';
import { DynamoPollStore } from '../../shared/adapters/polls/dynamo-poll-store';
import { DynamoTallyLedger } from '../../shared/adapters/polls/dynamo-poll-tally-ledger';
import { definePoll } from '../../shared/polls/poll';
import { projectTally, utcDay } from '../../shared/polls/tally-projections';
import { topStories } from '../../shared/polls/top-polls';
import { aggregateVotes, applyStoryVotes, type StreamedVote } from '../../shared/polls/vote-batches';
import type { DomainEvent } from '../../shared/ports';
import { createTestTable, testDynamoClient } from '../support/engines';

/** The poll's adapters against DynamoDB Local: real conditional writes, transactions and index queries. */
let tableName: string;
let db: DynamoDBDocumentClient;
let store: DynamoPollStore;
let ledger: DynamoTallyLedger;
// The adapters' clock, fixed: "today" for the votes, tallies and rankings is one given day, not
// the day this file happened to be loaded on.
const now = new Date('2024-03-14T12:00:00.000Z');
const clock = { now: () => now };

beforeAll(async () => {
  tableName = await createTestTable('polls');
  db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  store = new DynamoPollStore(db, tableName);
  ledger = new DynamoTallyLedger(db, tableName, clock);
});

let nextSequence = 10n ** 20n;
let nextEvent = 0;
function votes(articleId: string, options: string[]): StreamedVote[] {
  return options.map((option) => {
    nextSequence += 7n;
    return { sequence: nextSequence.toString(), eventId: `it-event-${++nextEvent}`, articleId, option };
  });
}

const storyId = (n: number) => n.toString(16).padStart(16, '0');
const optionCounts = (counts: Record<string, number>) => new Map(Object.entries(counts));

async function define(articleId: string, options = ['Yes', 'No']): Promise<void> {
  await store.define(definePoll({ articleId, headline: `Story ${articleId}`, poll: null }, options, now));
}

describe('votes on DynamoDB Local', () => {
  it('records one vote per reader however many arrive at once, and returns the recorded one to the rest', async () => {
    const articleId = storyId(1);
    const attempts = Array.from({ length: 12 }, (_, i) =>
      store.record({
        articleId,
        voterHash: 'same-reader-hash',
        option: i % 2 ? 'yes' : 'no',
        votedAt: now.toISOString(),
      }),
    );

    const outcomes = await Promise.all(attempts);

    const recorded = outcomes.filter((o) => o.recorded);
    expect(recorded).toHaveLength(1);
    const refused = outcomes.filter((o): o is Extract<typeof o, { recorded: false }> => !o.recorded);
    expect(new Set(refused.map((o) => o.existing.option)).size).toBe(1);
    const stored = await testDynamoClient().send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: `VOTE#${articleId}#same-reader-hash` } },
      }),
    );
    expect(stored.Count).toBe(1);
    expect(stored.Items![0]!.option!.S).toBe(refused[0]!.existing.option);
  });

  it('keeps the first definition of a poll when several requests define it at once', async () => {
    const articleId = storyId(2);
    const definitions = await Promise.all(
      ['A|B', 'C|D', 'E|F'].map((labels) =>
        store.define(definePoll({ articleId, headline: 'H', poll: null }, labels.split('|'), now)),
      ),
    );

    const stored = (await store.load(articleId)).definition!;
    expect(definitions.every((d) => JSON.stringify(d.options) === JSON.stringify(stored.options))).toBe(true);
  });
});

describe('tally aggregation on DynamoDB Local', () => {
  it('applies a group once: redelivered, it changes nothing; extended, only the new votes count', async () => {
    const articleId = storyId(3);
    await define(articleId);
    const first = votes(articleId, ['yes', 'yes', 'no']);
    const later = votes(articleId, ['no', 'no']);

    await applyStoryVotes(ledger, { articleId, votes: first });
    await applyStoryVotes(ledger, { articleId, votes: first });
    await applyStoryVotes(ledger, { articleId, votes: [...first, ...later] });
    await applyStoryVotes(ledger, { articleId, votes: [...first, ...later] });

    const { tally } = await store.load(articleId);
    expect(tally).toMatchObject({ counts: optionCounts({ yes: 2, no: 3 }), totalVotes: 5, version: 2 });
  });

  it('adds votes under any Object.prototype member name to the tally exactly', async () => {
    const articleId = storyId(6);
    const names = Object.getOwnPropertyNames(Object.prototype);

    await applyStoryVotes(ledger, { articleId, votes: votes(articleId, [...names, 'constructor', '__proto__']) });

    const { tally } = await store.load(articleId);
    const expected = new Map(names.map((name) => [name, name === 'constructor' || name === '__proto__' ? 2 : 1]));
    expect(tally).toMatchObject({ counts: expected, totalVotes: names.length + 2, version: 1 });
  });

  it('reports a delivery that ends inside an applied group as incomplete, writing nothing', async () => {
    const articleId = storyId(4);
    const group = votes(articleId, ['yes', 'no', 'yes']);
    await applyStoryVotes(ledger, { articleId, votes: group });

    expect(await applyStoryVotes(ledger, { articleId, votes: group.slice(0, 2) })).toBe('incomplete');
    expect((await store.load(articleId)).tally.totalVotes).toBe(3);
  });

  it('stays exact when many shards aggregate one story at once, each batch delivered twice', async () => {
    const articleId = storyId(5);
    const shards = Array.from({ length: 6 }, () =>
      Array.from({ length: 4 }, () =>
        votes(
          articleId,
          Array.from({ length: 5 }, (_, i) => (i % 3 === 0 ? 'no' : 'yes')),
        ),
      ),
    );

    // Each shard's batches in order, the shards concurrently; every batch is delivered twice.
    await Promise.all(
      shards.map(async (batches) => {
        for (const batch of batches) {
          for (let delivery = 0; delivery < 2; delivery++) {
            const { retryFrom } = await aggregateVotes(ledger, batch, { concurrency: 2 });
            expect(retryFrom).toBeNull();
          }
        }
      }),
    );

    const { tally } = await store.load(articleId);
    expect(tally).toMatchObject({ counts: optionCounts({ yes: 72, no: 48 }), totalVotes: 120, version: 24 });
  });
});

describe('projections and rankings on DynamoDB Local', () => {
  const published: DomainEvent[] = [];
  const events = { publish: async (batch: readonly DomainEvent[]) => void published.push(...batch) };
  let projections: DynamoPollProjections;
  let rankings: DynamoPollRankings;

  beforeAll(() => {
    projections = new DynamoPollProjections(db, tableName);
    rankings = new DynamoPollRankings(db, tableName);
  });

  async function voteAndProject(articleId: string, options: string[]): Promise<void> {
    await applyStoryVotes(ledger, { articleId, votes: votes(articleId, options) });
    await projectTally({ projections, events, clock }, articleId);
  }

  it('sets counts.votes, publishes the absolute tally once per version, and ranks stories by votes', async () => {
    const stories = [storyId(0x101), storyId(0x102), storyId(0x103), storyId(0x104), storyId(0x105)];
    for (const id of stories) await define(id);
    const put = (id: string, yes: number, no: number) =>
      voteAndProject(id, [...Array(yes).fill('yes'), ...Array(no).fill('no')]);
    await put(stories[0]!, 3, 1);
    await put(stories[1]!, 1, 9);
    await put(stories[2]!, 2, 0);
    await put(stories[3]!, 6, 0);
    await put(stories[0]!, 3, 0); // story 0 reaches 7
    // A redelivered change: the same version again publishes and writes nothing.
    const eventsBefore = published.length;
    await projectTally({ projections, events, clock }, stories[0]!);

    expect(published.length).toBe(eventsBefore);
    const lastOfFirst = published
      .filter((e) => e.detailType === 'PollTallyUpdated' && e.detail.articleId === stories[0])
      .at(-1)!;
    expect(lastOfFirst.detail).toMatchObject({ totalVotes: 7, version: 2 });
    const counts = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk: `ARTICLE#${stories[0]}`, sk: 'COUNTS' } }),
    );
    expect(counts.Item).toMatchObject({ votes: 7, pollVersion: 2 });

    const ranked = await topStories(rankings, { days: [utcDay(now)], shards: rankings.shards, limit: 10 });
    const top = ranked.filter((entry) => stories.includes(entry.articleId)).slice(0, 3);
    expect(top.map((entry) => [entry.articleId, entry.totalVotes])).toEqual([
      [stories[1], 10],
      [stories[0], 7],
      [stories[3], 6],
    ]);
    expect(top[1]!.counts).toEqual(optionCounts({ yes: 6, no: 1 }));
    const definitions = await rankings.definitions(top.map((t) => t.articleId));
    expect(definitions.get(stories[1]!)?.question).toBe(`Story ${stories[1]} is...`);
  });

  it('tallies, projects and ranks options named like Object.prototype members exactly', async () => {
    // Prepare: a poll whose option labels are Object.prototype member names (`constructor`, `proto`, … as ids).
    const articleId = storyId(0x201);
    const labels = ['Constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];
    const definition = definePoll(
      { articleId, headline: 'Named', poll: { question: 'Named is...', options: labels } },
      [],
      now,
    );
    await store.define(definition);
    const ids = definition.options.map((option) => option.id);

    // Act: two batches, the second with a vote for every option and one more for `constructor`.
    await voteAndProject(articleId, ['constructor']);
    await voteAndProject(articleId, [...ids, 'constructor']);

    // Assess
    expect(ids).toEqual(['constructor', 'proto', 'tostring', 'hasownproperty', 'valueof']);
    const expected = new Map(ids.map((id) => [id, id === 'constructor' ? 3 : 1]));
    expect((await store.load(articleId)).tally).toMatchObject({ counts: expected, totalVotes: 7, version: 2 });
    const top = await topStories(rankings, { days: [utcDay(now)], shards: rankings.shards, limit: 10 });
    expect(top.find((entry) => entry.articleId === articleId)).toEqual({ articleId, counts: expected, totalVotes: 7 });
    const event = published
      .filter((e) => e.detailType === 'PollTallyUpdated' && e.detail.articleId === articleId)
      .at(-1)!;
    expect(event.detail).toMatchObject({ totalVotes: 7, options: ids.map((id) => ({ id, votes: expected.get(id) })) });
  });

  it("lists each story's rankings in one index shard, the same on every write, spreading stories over all shards", async () => {
    // Prepare
    const stories = Array.from({ length: 16 }, (_, i) => storyId(0x300 + i));
    const DAY = '2024-01-01'; // a day of its own, so the other tests' day listings do not change
    /** For each story, the shards of the day (gsi1) and all-time (gsi2) lists that hold it. */
    const listings = async () => {
      const day = new Map<string, number[]>();
      const allTime = new Map<string, number[]>();
      for (let shard = 0; shard < rankings.shards; shard++) {
        const lists: Array<[Map<string, number[]>, string, string]> = [
          [day, 'gsi1', `POLLTOP#${DAY}#${shard}`],
          [allTime, 'gsi2', `POLLTOP#ALL#${shard}`],
        ];
        for (const [found, index, partition] of lists) {
          const out = await db.send(
            new DocQueryCommand({
              TableName: tableName,
              IndexName: index,
              KeyConditionExpression: '#pk = :pk',
              ExpressionAttributeNames: { '#pk': `${index}pk` },
              ExpressionAttributeValues: { ':pk': partition },
            }),
          );
          for (const item of out.Items ?? []) {
            const id = String(item.articleId);
            if (stories.includes(id)) found.set(id, [...(found.get(id) ?? []), shard]);
          }
        }
      }
      return { day, allTime };
    };

    // Act: two writes of each story's rankings, with more votes the second time.
    const write = (id: string, votes: number) => {
      const counts = { counts: optionCounts({ yes: votes }), totalVotes: votes };
      const none = { counts: new Map<string, number>(), totalVotes: 0 };
      return Promise.all([
        projections.saveDay(id, { ...counts, day: DAY, base: none, version: votes }),
        projections.saveAllTime(id, { ...counts, version: votes }),
      ]);
    };
    await Promise.all(stories.map((id) => write(id, 1)));
    const first = await listings();
    await Promise.all(stories.map((id) => write(id, 2)));
    const second = await listings();

    // Assess
    for (const id of stories) {
      expect(first.day.get(id)).toHaveLength(1);
      expect(first.allTime.get(id)).toHaveLength(1);
    }
    expect(second).toEqual(first);
    const shardsUsed = (found: Map<string, number[]>) => new Set([...found.values()].flat()).size;
    expect(shardsUsed(first.day)).toBe(rankings.shards);
    expect(shardsUsed(first.allTime)).toBe(rankings.shards);
  });

  it('pages the most-voted listing across the index shards, each story once, most votes first', async () => {
    // Prepare: all-time rankings of its own stories (0x505 has none), and the META items the
    // feed would hold for each; stories of the other tests have no META, so the listing skips them.
    const [a, b, c, d, unranked] = [0x501, 0x502, 0x503, 0x504, 0x505].map(storyId);
    const ranked: Array<[string, number]> = [
      [a!, 7],
      [b!, 10],
      [c!, 2],
      [d!, 6],
    ];
    for (const [id, votes] of ranked) {
      await projections.saveAllTime(id, { counts: optionCounts({ yes: votes }), totalVotes: votes, version: 1 });
    }
    for (const id of [a!, b!, c!, d!, unranked!]) {
      await db.send(
        new PutCommand({
          TableName: tableName,
          Item: {
            pk: `ARTICLE#${id}`,
            sk: 'META',
            id,
            slug: `s-${id}`,
            headline: `Story ${id}`,
            subheadline: null,
            byline: { authors: [], organization: null },
            publishedAt: now.toISOString(),
            version: 1,
            updatedAt: now.toISOString(),
          },
        }),
      );
    }

    // Act
    const seen: Array<[string, number]> = [];
    let cursor: string | undefined;
    do {
      const page = await new DynamoMostVoted(db, tableName).mostVoted({ limit: 2, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((item): [string, number] => [item.id, item.votes]));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);

    // Assess: in vote order; the unranked story got no votes, so it has no ranking entry.
    expect(seen).toEqual([
      [b, 10],
      [a, 7],
      [d, 6],
      [c, 2],
    ]);
  });
});
