import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { injectedFaultCount } from '../../shared/faults';
import { reactionsFromEnv } from '../../shared/polls/reactions';
import { testDynamoClient } from '../support/engines';
import { withLocalStack } from '../support/local-stack';
import type { MintedReader } from '../support/reader-tokens';
import { http, type HttpReply } from '../support/http';
import { STORY_PAGE, STORY_PAGE_HEADLINE, storyPageTitled } from '../support/story-page';
import { tableItemsAsJson } from '../support/store-snapshot';

/**
 * The reader poll as readers meet it: the local stack (same handlers and topology as AWS, the
 * table stream read like Lambda's event source mapping), over HTTP. Rate limits are off, as for
 * any load test: every vote comes from one address here. The aggregator is made to fail after
 * applying its first batches, as a crash or timeout would, and the tallies must still be exact.
 */
const JSON_STORY = resolve(REPO_ROOT, 'samples', 'stories', 'highline-air-mountain-routes.json');

const READERS = 200;
const SENDS_PER_READER = 5;
const INJECTED_FAULTS = 2;

type Results = {
  question: string;
  options: Array<{ id: string; label: string; votes: number; percent: number }>;
  totalVotes: number;
  updatedAt: string | null;
};

let stack: RunningLocalStack;
let api: string;
let editor: string;

const local = withLocalStack({ name: 'poll', env: { RATE_LIMITS: 'off' }, pollIntervalMs: 20 });
beforeAll(async () => {
  ({ stack, api } = local);
  editor = await local.token('editor');
});

/** Drops the file in the drop zone, as a producer would, and waits for its article id. */
async function ingest(file: string): Promise<string> {
  const [outcome] = await ingestFiles({
    s3: local.s3,
    bucket: stack.endpoints.bucket,
    files: [file],
    timeoutMs: 20_000,
    pollMs: 50,
  });
  expect(outcome).toMatchObject({ status: 'ingested' });
  return (outcome as Extract<FileOutcome, { status: 'ingested' }>).articleId;
}

/** Posts a story as an editor (the drop zone's pipeline, synchronously) and returns its id. */
async function post(contentType: string, body: string): Promise<string> {
  const reply = await http(`${api}/articles`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${editor}` },
    body,
  });
  expect(reply.status).toBe(201);
  return reply.body.id;
}

/** A vote as `reader`: its token and address. */
const vote = (
  articleId: string,
  body: unknown,
  reader: MintedReader,
  headers: Record<string, string> = { 'content-type': 'application/json' },
) =>
  http(`${api}/articles/${articleId}/poll/votes`, {
    method: 'POST',
    headers: { ...reader.headers, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

const results = (articleId: string) => http<Results>(`${api}/articles/${articleId}/poll`);

/** Runs the tasks with at most `limit` in flight. */
async function pool<T>(tasks: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]!();
      }
    }),
  );
  return out;
}

/** The votes stored for a story, read straight from the table, by option. */
async function storedVotes(articleId: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  let start: Record<string, any> | undefined;
  do {
    const page = await testDynamoClient().send(
      new ScanCommand({
        TableName: stack.endpoints.table,
        FilterExpression: 'begins_with(pk, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: `VOTE#${articleId}#` } },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) {
      const option = unmarshall(item).option as string;
      counts[option] = (counts[option] ?? 0) + 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return counts;
}

/** Every item of the table as canonical JSON, sorted: equal snapshots mean nothing was written. */
const tableSnapshot = () => tableItemsAsJson(testDynamoClient(), stack.endpoints.table);

async function eventLines(): Promise<number> {
  return (await local.events()).length;
}

async function tableText(): Promise<string> {
  const page = await testDynamoClient().send(new ScanCommand({ TableName: stack.endpoints.table }));
  return JSON.stringify(page.Items);
}

async function tallyEvents(
  articleId: string,
): Promise<Array<{ version: number; totalVotes: number; options: Array<{ id: string; votes: number }> }>> {
  return (await local.events())
    .filter((event) => event['detail-type'] === 'PollTallyUpdated' && event.detail.articleId === articleId)
    .map((event) => event.detail);
}

/** The reactions a poll offers when no setting names others: the stack here sets none. */
const DEFAULT_REACTIONS = reactionsFromEnv({});
const reactionIds = DEFAULT_REACTIONS.map((label) => label.toLowerCase());
const choiceOf = (reader: number) => reactionIds[(reader * 7 + (reader % 3)) % reactionIds.length]!;

describe('the reader poll, end to end', () => {
  it("shows the story page's question with the default reactions, and no votes, without voting", async () => {
    // A story of this test's own: nobody votes on it.
    const storyId = await post('text/plain', storyPageTitled(`${STORY_PAGE_HEADLINE}, before any vote`));

    const reply = await results(storyId);

    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
      options: DEFAULT_REACTIONS.map((label) => ({ id: label.toLowerCase(), label, votes: 0, percent: 0 })),
      totalVotes: 0,
      updatedAt: null,
    });
  });

  /**
   * The load is the fixture of every test in this block: sent once (it takes most of this file's
   * time), then only read. The tests that vote here send repeats, which must change nothing and
   * say so, or vote on a story of their own; none adds votes to another story, so the rankings
   * below are exactly the ones this block makes.
   */
  describe('after 200 readers sent their vote 5 times each, concurrently, through injected aggregator faults', () => {
    let storyId: string;
    let replies: HttpReply[];
    /** The readers, minted through POST /readers/anonymous, each from an address of its own. */
    let readers: MintedReader[];
    const secretsOf = (text: string) =>
      readers.filter((reader) => text.includes(reader.readerId) || text.includes(reader.token)).length;

    beforeAll(async () => {
      readers = await pool(
        Array.from({ length: READERS }, () => () => local.reader()),
        20,
      );
      storyId = await ingest(STORY_PAGE);
      await stack.idle();
      // The aggregator fails right after applying its first batches, so they are redelivered.
      process.env.FAULT_INJECTION = `poll-tally-after-apply:${INJECTED_FAULTS}`;
      try {
        const sends = Array.from({ length: READERS }, (_, reader) =>
          Array.from(
            { length: SENDS_PER_READER },
            () => () => vote(storyId, { option: choiceOf(reader) }, readers[reader]!),
          ),
        ).flat();
        replies = await pool(sends, 40);
        await stack.idle();
      } finally {
        delete process.env.FAULT_INJECTION;
      }
      // About 20 s on an idle 2-core machine; a loaded one (a busy CI neighbour) takes several times that.
    }, 180_000);

    it('counts each reader exactly once: one 201 each, every repeat a 409, exact tallies', async () => {
      // One 201 per reader, every repeat a 409 naming the reader's choice.
      const byStatus = (status: number) => replies.filter((reply) => reply.status === status);
      expect(byStatus(201)).toHaveLength(READERS);
      expect(byStatus(409)).toHaveLength(READERS * (SENDS_PER_READER - 1));
      for (const reply of byStatus(409)) expect(reply.body.error.code).toBe('already_voted');
      expect(injectedFaultCount('poll-tally-after-apply')).toBe(INJECTED_FAULTS);
      expect(await stack.deadLetters.read('aggregate-poll-votes')).toEqual([]);

      const stored = await storedVotes(storyId);
      const chosen: Record<string, number> = {};
      for (let reader = 0; reader < READERS; reader++) chosen[choiceOf(reader)] = (chosen[choiceOf(reader)] ?? 0) + 1;
      expect(stored).toEqual(chosen);
      const reply = await results(storyId);
      expect(reply.body.totalVotes).toBe(READERS);
      expect(Object.fromEntries(reply.body.options.filter((o) => o.votes > 0).map((o) => [o.id, o.votes]))).toEqual(
        stored,
      );
      expect(reply.body.options.reduce((sum, o) => sum + o.percent, 0)).toBe(100);
      expect((await http(`${api}/articles/${storyId}`)).body.counts.votes).toBe(READERS);
    });

    it("answers a reader's second vote with 409 and their recorded choice, changing nothing", async () => {
      const before = await results(storyId);

      const second = await vote(storyId, { option: 'silly' === choiceOf(7) ? 'sad' : 'silly' }, readers[7]!);
      await stack.idle();

      expect(second.status).toBe(409);
      expect(second.body.yourVote).toMatchObject({ option: choiceOf(7) });
      expect(second.body.totalVotes).toBe(READERS);
      expect((await results(storyId)).body).toEqual(before.body);
    });

    it('shows the same numbers without voting as after voting', async () => {
      const withoutVoting = await results(storyId);
      const afterVoting = await vote(storyId, { option: choiceOf(3) }, readers[3]!);

      const { error, yourVote, ...shownAfterVoting } = afterVoting.body;
      expect(error.code).toBe('already_voted');
      expect(yourVote.option).toBe(choiceOf(3));
      expect(shownAfterVoting).toEqual(withoutVoting.body);
    });

    it('emits PollTallyUpdated, coalesced, with growing versions ending at the final counts', async () => {
      const events = await tallyEvents(storyId);

      expect(events.length).toBeGreaterThan(0);
      expect(events.length).toBeLessThan(READERS / 10);
      const versions = events.map((event) => event.version);
      for (let i = 1; i < versions.length; i++) expect(versions[i]).toBeGreaterThan(versions[i - 1]!);
      const last = events.at(-1)!;
      expect(last.totalVotes).toBe(READERS);
      expect(Object.fromEntries(last.options.filter((o) => o.votes > 0).map((o) => [o.id, o.votes]))).toEqual(
        await storedVotes(storyId),
      );
      expect(secretsOf(JSON.stringify(events))).toBe(0);
    });

    it('keeps only keyed hashes of voter tokens', async () => {
      const text = await tableText();

      expect(text).toContain(`VOTE#${storyId}#`);
      expect(secretsOf(text)).toBe(0);
    });

    it('ranks stories by votes in GET /polls/top and GET /articles?sort=votes, with the leading reaction', async () => {
      // Prepare: a JSON story with options of its own; three readers vote on it.
      const jsonStoryId = await ingest(JSON_STORY);
      const own = await results(jsonStoryId);
      expect(own.body.options.map((o) => o.id)).toEqual(['great-news', 'too-little-too-late']);
      let lastVote: HttpReply | undefined;
      for (const option of ['great-news', 'great-news', 'too-little-too-late']) {
        await stack.idle(); // each answer counts the votes before it, once they are aggregated
        lastVote = await vote(jsonStoryId, { option }, await local.reader());
        expect(lastVote.status).toBe(201);
      }
      await stack.idle();
      // What a voter was shown is what anyone sees without voting, once the vote is aggregated.
      const withoutVoting = (await results(jsonStoryId)).body;
      expect({ options: lastVote!.body.options, totalVotes: lastVote!.body.totalVotes }).toEqual({
        options: withoutVoting.options,
        totalVotes: 3,
      });
      // Since yesterday: the votes are in the period even if midnight (UTC) passed since they were cast.
      const yesterday = new Date(Date.now() - 24 * 3600 * 1000).toISOString().slice(0, 10);

      // Act
      const top: HttpReply = await http(`${api}/polls/top?since=${yesterday}&limit=5`);
      const mostVoted: HttpReply = await http(`${api}/articles?sort=votes&limit=1`);
      const nextPage: HttpReply = await http(`${api}/articles?sort=votes&limit=1&cursor=${mostVoted.body.nextCursor}`);

      // Assess
      expect(top.status).toBe(200);
      const storyLeader = Object.entries(await storedVotes(storyId)).sort((a, b) => b[1] - a[1])[0]!;
      expect(top.body.items).toEqual([
        expect.objectContaining({
          articleId: storyId,
          totalVotes: READERS,
          question: 'Old Lighthouse Logbooks Fill a Gap in Storm Records is...',
          leadingReaction: expect.objectContaining({ votes: storyLeader[1] }),
        }),
        expect.objectContaining({
          articleId: jsonStoryId,
          totalVotes: 3,
          leadingReaction: { id: 'great-news', label: 'Great news', votes: 2, percent: 67 },
        }),
      ]);
      expect(mostVoted.body.items).toEqual([
        expect.objectContaining({
          id: storyId,
          headline: 'Old Lighthouse Logbooks Fill a Gap in Storm Records',
          votes: READERS,
        }),
      ]);
      expect(nextPage.body.items).toEqual([expect.objectContaining({ id: jsonStoryId, votes: 3 })]);
    });
  });

  it('refuses bad votes with JSON 4xx naming the field, and writes nothing', async () => {
    // A JSON story of this test's own, with the sample's two options: none of these votes may count.
    const sample = JSON.parse(await readFile(JSON_STORY, 'utf8'));
    const jsonStoryId = await post(
      'application/json',
      JSON.stringify({ ...sample, headline: `${sample.headline}, refused`, url: `${sample.url}-refused` }),
    );
    await stack.idle();
    const reader = await local.reader();
    const [header, payload, signature] = reader.token.split('.') as [string, string, string];
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), sub: 'someone-else-0001' }),
    ).toString('base64url');
    const as = (authorization: string | undefined): MintedReader => ({
      ...reader,
      headers: authorization === undefined ? {} : { authorization },
    });
    const tableBefore = await tableSnapshot();
    const eventsBefore = await eventLines();

    const replies = await Promise.all([
      vote(jsonStoryId, { option: 'meh' }, reader),
      // A reader cannot name itself in the body any more: voterId is an unknown field.
      vote(jsonStoryId, { option: 'great-news', voterId: 'someone-else-0001' }, reader),
      vote(jsonStoryId, { option: 'great-news', extra: true }, reader),
      vote(jsonStoryId, '{"option":', reader),
      vote('0000000000000000', { option: 'great-news' }, reader),
      vote(jsonStoryId, { option: 'great-news' }, reader, { 'content-type': 'text/plain' }),
      vote(jsonStoryId, { option: '__proto__' }, reader),
      vote(jsonStoryId, { option: ['great-news'] }, reader),
      vote('..%2F..%2Fx', { option: 'great-news' }, reader),
      vote(`${jsonStoryId}%00`, { option: 'great-news' }, reader),
      vote(jsonStoryId, { option: 'great-news' }, as(undefined)),
      vote(jsonStoryId, { option: 'great-news' }, as(`Bearer ${header}.${forged}.${signature}`)),
      vote(jsonStoryId, { option: 'great-news' }, as(`Bearer ${editor}`)),
    ]);
    await stack.idle();

    expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 400, 404, 415, 400, 400, 400, 400, 401, 401, 401]);
    for (const reply of replies) {
      expect(reply.headers.get('content-type')).toMatch(/^application\/json/);
      expect(reply.body.error.code).toEqual(expect.any(String));
    }
    expect(replies.filter((r) => r.status === 400).map((r) => r.body.error.details[0].path)).toEqual([
      'body.option',
      'body.voterId',
      'body.extra',
      'body',
      'body.option',
      'body.option',
      'path.articleId',
      'path.articleId',
    ]);
    expect(await tableSnapshot()).toEqual(tableBefore);
    expect(await eventLines()).toBe(eventsBefore);
    expect((await results('0000000000000000')).status).toBe(404);
  });
});
