import { resolve } from 'node:path';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { topology } from '../../infra/topology';
import { storedCommentItem } from '../support/comment-items';
import { testDynamoClient } from '../support/engines';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { STORY_PAGE } from '../support/story-page';
import { waitFor } from '../support/wait-for';

/**
 * Failure isolation between the features that share the table stream through the stream router
 * (issue 11). A poison record for one feature — here a comment reply whose thread does not
 * exist, which the comment consumer can never settle — must go to that feature's dead letters
 * after its retries, while the other features' records (a story's ArticleIngested, the poll's
 * PollTallyUpdated) and the comment feature's other items keep flowing, each effect exactly once.
 */
const OTHER_STORY = resolve(REPO_ROOT, 'samples', 'stories', 'port-calder-light-rail-tax.html');
const VOTES = 20;

let stack: RunningLocalStack;
let api: string;
let storyId: string;

// ERROR: the poison's every attempt logs a warning, which would only fill the test output.
const local = withLocalStack({
  name: 'isolation',
  env: { RATE_LIMITS: 'off' },
  pollIntervalMs: 20,
  handlerLogLevel: 'ERROR',
});

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

beforeAll(async () => {
  ({ stack, api } = local);
  storyId = await ingest(STORY_PAGE);
  await stack.idle();
}, 60_000);

const commentTotal = async (): Promise<number> =>
  (await http<{ total: number }>(`${api}/articles/${storyId}/comments?limit=1`)).body.total;

describe("one feature's poison record, while the other features' records flow", () => {
  it("dead-letters only the poison from its feature's queue; article events, tally events and other comments arrive once each", async () => {
    // Prepare: what the comment feature counted so far (the story page's embedded comments).
    const totalBefore = await commentTotal();
    const maxReceiveCount = (() => {
      const trigger = topology.functions.find((fn) => fn.name === 'process-comment-changes')!.trigger;
      if (trigger.kind !== 'queue') throw new Error('process-comment-changes is fed through its queue');
      return trigger.maxReceiveCount;
    })();
    const orphanSuffix = '0190000000000000000000ff';
    const orphan = storedCommentItem(storyId, orphanSuffix, {
      parentId: `${storyId}.0190000000000000000000aa`,
      threadId: `${storyId}.0190000000000000000000aa`,
      countedVisible: false,
    });

    // Act: the poison, then, at once, work for three features (the comment one included).
    await testDynamoClient().send(new PutItemCommand({ TableName: stack.endpoints.table, Item: marshall(orphan) }));
    const readers = await Promise.all(Array.from({ length: VOTES + 1 }, () => local.reader()));
    const posted = await http<{ id: string }>(`${api}/articles/${storyId}/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...readers[VOTES]!.headers },
      body: JSON.stringify({ author: 'Mara', body: 'The logbooks deserve a museum.' }),
    });
    expect(posted.status).toBe(201);
    const votes = await Promise.all(
      Array.from({ length: VOTES }, (_, n) =>
        http(`${api}/articles/${storyId}/poll/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...readers[n]!.headers },
          body: JSON.stringify({ option: 'interesting' }),
        }),
      ),
    );
    expect(votes.map((reply) => reply.status)).toEqual(votes.map(() => 201));
    const otherStoryId = await ingest(OTHER_STORY);

    // The other work is done while the poison is still being retried.
    const events = () => local.events();
    await waitFor(
      async () => {
        const all = await events();
        return (
          (await commentTotal()) === totalBefore + 1 &&
          all.some((e) => e['detail-type'] === 'ArticleIngested' && e.detail.articleId === otherStoryId) &&
          all.some((e) => e['detail-type'] === 'PollTallyUpdated' && e.detail.totalVotes === VOTES)
        );
      },
      { description: 'the comment, the story and the votes to go through' },
    );
    const othersDoneAt = Date.now();
    await stack.idle();

    // Assess: the poison alone, in the comment feature's dead letters, after every attempt.
    const letters = await stack.deadLetters.read('process-comment-changes');
    expect(letters).toHaveLength(1);
    const record = JSON.parse((letters[0]!.payload as { body: string }).body) as {
      dynamodb: { Keys: { sk: { S: string } } };
    };
    expect(record.dynamodb.Keys.sk.S).toBe(`COMMENT#${orphanSuffix}`);
    expect(letters[0]!.payload).toMatchObject({ attributes: { ApproximateReceiveCount: String(maxReceiveCount) } });
    expect(othersDoneAt).toBeLessThan(Date.parse(letters[0]!.at));
    for (const name of [
      'route-stream-records',
      'publish-article-changes',
      'publish-poll-tallies',
      'aggregate-poll-votes',
    ]) {
      expect([name, await stack.deadLetters.read(name)]).toEqual([name, []]);
    }

    // Every other effect happened exactly once.
    const all = await events();
    const of = (type: string, articleId: string) =>
      all.filter((e) => e['detail-type'] === type && e.detail.articleId === articleId);
    expect(of('ArticleIngested', otherStoryId)).toHaveLength(1);
    expect(of('ArticleIngested', storyId)).toHaveLength(1);
    const posts = all.filter((e) => e['detail-type'] === 'CommentPosted');
    expect(posts.filter((e) => e.detail.commentId === posted.body.id)).toHaveLength(1);
    expect(posts.filter((e) => String(e.detail.commentId).endsWith(orphanSuffix))).toEqual([]);
    const tallies = of('PollTallyUpdated', storyId).map((e) => e.detail as { version: number; totalVotes: number });
    const versions = tallies.map((detail) => detail.version);
    expect(new Set(versions).size).toBe(versions.length);
    expect(versions).toEqual([...versions].sort((a, b) => a - b));
    expect(tallies.at(-1)!.totalVotes).toBe(VOTES);
    expect(await commentTotal()).toBe(totalBefore + 1);
  });
});
