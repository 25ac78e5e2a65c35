import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoCommentAggregates } from '../../shared/adapters/comments/dynamo-comment-aggregates';
import { DynamoCommentReactions } from '../../shared/adapters/comments/dynamo-comment-reactions';
import { DynamoCommentListings } from '../../shared/adapters/comments/dynamo-comment-listings';
import { DynamoCommentStore } from '../../shared/adapters/comments/dynamo-comment-store';
import { DynamoCommentTextHistory } from '../../shared/adapters/comments/dynamo-comment-text-history';
import { DynamoIdempotencyStore } from '../../shared/adapters/idempotency/dynamo-idempotency-store';
import { DynamoRateLimiter, unlimited } from '../../shared/adapters/abuse/dynamo-rate-limiter';
import { DynamoRecentActions } from '../../shared/adapters/comments/dynamo-recent-actions';
import {
  applyCommentChange,
  importEmbeddedComments,
  settleVisibility,
} from '../../shared/comments/comment-aggregation';
import { commentConfigFromEnv } from '../../shared/comments/comment-config';
import { moderateComment } from '../../shared/comments/moderate-comment';
import { deleteOwnComment, editOwnComment } from '../../shared/comments/own-comments';
import { CommentScreen } from '../../shared/comments/moderation';
import { postComment, type PostCommentDependencies } from '../../shared/comments/post-comment';
import { listComments, listReplies } from '../../shared/comments/read-comments';
import { castCommentVote, flagComment } from '../../shared/comments/reactions';
import { ConflictError, RateLimitedError, UnprocessableError, ValidationError } from '../../shared/errors';
import { runIdempotent } from '../../shared/idempotency/idempotency';
import type { Clock, EventPublisher } from '../../shared/ports';
import { createTestTable, testDynamoClient } from '../support/engines';
import { reactionKeys } from '../../shared/store/comment-keys';

/**
 * The comment adapters and domain on DynamoDB Local: conditional transitions, exact totals
 * under retries and concurrency, and paging while comments arrive. The table stream is not
 * read here (the end-to-end test does that): settlements are called as the consumer would,
 * including the repeats at-least-once delivery brings.
 */
const db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
let table: string;
let store: DynamoCommentStore;
let listings: DynamoCommentListings;
let aggregates: DynamoCommentAggregates;
let article = 0;

const clock: Clock = { now: () => new Date() };
const noEvents: EventPublisher = { publish: async () => undefined };
const config = {
  // The defaults, whatever this process's environment says.
  ...commentConfigFromEnv({}),
  bannedWords: ['forbidden'],
  suspectWords: ['dubious'],
};

function postDeps(overrides: Partial<PostCommentDependencies> = {}): PostCommentDependencies {
  return {
    comments: store,
    recent: new DynamoRecentActions(db, table),
    idempotency: new DynamoIdempotencyStore(db, table),
    rateLimiter: unlimited,
    screen: new CommentScreen(config),
    config,
    clock,
    ...overrides,
  };
}

const ANONYMOUS = { readerId: 'anonymous-reader-1', displayName: null, verified: false };

/** A story with no comments: its metadata item is all the comment routes need. */
async function newArticle(): Promise<string> {
  const id = (0xa000000000000000n + BigInt(++article) * 7919n).toString(16).slice(0, 16);
  await db.send(new PutCommand({ TableName: table, Item: { pk: `ARTICLE#${id}`, sk: 'META', id } }));
  return id;
}

async function post(articleId: string, body: string, extra: Partial<Parameters<typeof postComment>[1]> = {}) {
  const { comment } = await postComment(postDeps(), {
    articleId,
    author: 'Reader',
    reader: ANONYMOUS,
    body,
    parentId: null,
    sourceHash: `src-${body}`,
    ...extra,
  });
  return comment;
}

/** What the stream consumer does for a comment item as it now stands. */
async function settle(commentId: string): Promise<void> {
  const current = await store.get(commentId);
  const item = await db.send(new GetCommand({ TableName: table, Key: itemKey(commentId), ConsistentRead: true }));
  await settleVisibility({ aggregates }, [
    { kind: 'comment', current, previous: current, counted: item.Item?.countedVisible === true },
  ]);
}

function itemKey(commentId: string) {
  const [articleId, suffix] = commentId.split('.');
  return { pk: `ARTICLE#${articleId}`, sk: `COMMENT#${suffix}` };
}

async function total(articleId: string): Promise<number> {
  return (await store.articleState(articleId))!.visibleTotal;
}

beforeAll(async () => {
  table = await createTestTable('comments');
  store = new DynamoCommentStore(db, table);
  listings = new DynamoCommentListings(db, table);
  aggregates = new DynamoCommentAggregates(db, table, async () => undefined);
});

describe('visible totals', () => {
  it('count each comment once however often its change is settled, also concurrently', async () => {
    const articleId = await newArticle();
    const comments = await Promise.all(Array.from({ length: 30 }, (_, i) => post(articleId, `Comment number ${i}`)));

    // Every change delivered twice, the copies racing each other.
    await Promise.all(comments.flatMap((c) => [settle(c.id), settle(c.id)]));

    expect(await total(articleId)).toBe(30);
  });

  it('settle a whole batch at once: many stories, replies with their thread, some settled before', async () => {
    const [a, b] = [await newArticle(), await newArticle()];
    const onA = [];
    for (let i = 0; i < 60; i++) onA.push(await post(a, `Batch comment ${i}`));
    const root = await post(b, 'Batch thread');
    const replies = [
      await post(b, 'Batch reply 1', { parentId: root.id }),
      await post(b, 'Batch reply 2', { parentId: root.id }),
    ];
    for (const c of onA.slice(0, 10)) await settle(c.id); // settled by an earlier, partly failed attempt
    const batch = [...onA, root, ...replies].map((comment) => ({
      kind: 'comment' as const,
      current: {
        ...comment,
        flagCount: 0,
        flagsAtReview: 0,
        flagSourcesSinceReview: 0,
        flagReasons: { offensive: 0, abusive: 0, spam: 0, other: 0 },
        authorId: 'anonymous-reader-1',
        editedAt: null,
        origin: 'reader' as const,
        heldFor: null,
        moderatedBy: null,
        moderatedAt: null,
        queuedAt: null,
        undo: null,
        version: 1,
      },
      previous: null,
      counted: false,
    }));

    await settleVisibility({ aggregates }, batch);
    await settleVisibility({ aggregates }, batch);

    expect([await total(a), await total(b), (await store.get(root.id))!.replyCount]).toEqual([60, 3, 2]);
  });

  it('follow a hide and an approval back, and count nothing twice on retries', async () => {
    const articleId = await newArticle();
    const comment = await post(articleId, 'A comment to moderate');
    await settle(comment.id);

    await moderateComment(
      { comments: store, clock },
      { commentId: comment.id, decision: 'hidden', editor: 'editor-1' },
    );
    await settle(comment.id);
    await settle(comment.id);
    const afterHide = await total(articleId);
    await moderateComment(
      { comments: store, clock },
      { commentId: comment.id, decision: 'approved', editor: 'editor-1' },
    );
    await settle(comment.id);
    await settle(comment.id);

    expect([afterHide, await total(articleId)]).toEqual([0, 1]);
  });

  it('count replies in the story total and in their thread, two levels deep', async () => {
    const articleId = await newArticle();
    const root = await post(articleId, 'The thread starts here');
    const reply = await post(articleId, 'A reply', { parentId: root.id });
    const replyToReply = await post(articleId, 'A reply to the reply', { parentId: reply.id });
    for (const c of [root, reply, replyToReply]) await settle(c.id);

    const replies = await listReplies({ comments: store, listings }, { commentId: root.id, limit: 10 });

    expect(replyToReply.threadId).toBe(root.id);
    expect(replyToReply.parentId).toBe(reply.id);
    expect(replies.items.map((r) => r.id)).toEqual([reply.id, replyToReply.id]);
    expect(replies.total).toBe(2);
    expect(await total(articleId)).toBe(3);
    const listing = await listComments(
      { comments: store, listings, config: { firstReplies: 1 } },
      { articleId, order: 'newest', limit: 10 },
    );
    expect(listing.items).toHaveLength(1);
    expect(listing.items[0]).toMatchObject({ id: root.id, replyCount: 2, replies: [{ id: reply.id }] });
    const rest = await listReplies(
      { comments: store, listings },
      { commentId: root.id, limit: 10, cursor: listing.items[0]!.repliesCursor! },
    );
    expect(rest.items.map((r) => r.id)).toEqual([replyToReply.id]);
  });
});

describe('paging', () => {
  it.each([1, 4, 100])(
    'yields every comment exactly once, in order, while new comments arrive (limit %i)',
    async (limit) => {
      const articleId = await newArticle();
      const before: string[] = [];
      for (let i = 0; i < 13; i++) before.push((await post(articleId, `Before ${i}`)).id);

      for (const order of ['newest', 'oldest'] as const) {
        const seen: string[] = [];
        let cursor: string | null | undefined;
        let page = 0;
        do {
          const listing = await listComments(
            { comments: store, listings, config: { firstReplies: 0 } },
            { articleId, order, limit, ...(cursor ? { cursor } : {}) },
          );
          expect(listing.items.length).toBeLessThanOrEqual(limit);
          seen.push(...listing.items.map((c) => c.id));
          cursor = listing.nextCursor;
          // A newcomer between pages: newest-first paging has passed its place, oldest-first meets it at
          // the end. Only the first few pages get one, so that paging one at a time catches up.
          if (page++ < 5) await post(articleId, `Arrived during ${order} page ${page}`);
        } while (cursor);

        const expected = order === 'newest' ? [...before].reverse() : before;
        expect(new Set(seen).size).toBe(seen.length);
        expect(seen.filter((id) => before.includes(id))).toEqual(expected);
        const sorted = [...seen].sort();
        expect(seen).toEqual(order === 'newest' ? sorted.reverse() : sorted);
      }
    },
  );

  it('refuses a cursor from another story or another listing', async () => {
    const [a, b] = [await newArticle(), await newArticle()];
    for (let i = 0; i < 3; i++) {
      await post(a, `On a ${i}`);
      await post(b, `On b ${i}`);
    }
    const deps = { comments: store, listings, config: { firstReplies: 0 } };
    const cursorOfA = (await listComments(deps, { articleId: a, order: 'newest', limit: 1 })).nextCursor!;

    await expect(listComments(deps, { articleId: b, order: 'newest', limit: 1, cursor: cursorOfA })).rejects.toThrow(
      ValidationError,
    );
    await expect(listComments(deps, { articleId: a, order: 'top', limit: 1, cursor: cursorOfA })).rejects.toThrow(
      ValidationError,
    );
    expect(
      (await listComments(deps, { articleId: a, order: 'newest', limit: 1, cursor: cursorOfA })).items,
    ).toHaveLength(1);
  });
});

describe('votes and flags', () => {
  /** The stream's view of a reader's spam flag, as the comment stream reads it from the flag record. */
  const flagChange = (commentId: string, voter: string, counts: boolean, sourceHash = `src-${voter}`) => ({
    kind: 'flag' as const,
    inserted: true,
    commentId,
    flagKey: reactionKeys.flag(commentId, voter).pk,
    reason: 'spam' as const,
    counts,
    sourceHash,
  });
  /** Readers whose tokens are long past the flag rule's minimum age: their flags count. */
  const LONG_AGO = new Date('2020-01-01T00:00:00Z');
  const reactionDeps = () => ({
    comments: store,
    reactions: new DynamoCommentReactions(db, table),
    rateLimiter: unlimited,
    config,
    clock,
  });

  it('keep one vote per reader: a second replaces the first, and sort=top follows the score', async () => {
    const articleId = await newArticle();
    const [low, high] = [await post(articleId, 'Low'), await post(articleId, 'High')];
    const vote = (commentId: string, voter: string, value: 1 | -1) =>
      castCommentVote(reactionDeps(), {
        commentId,
        value,
        reader: { readerId: `reader-${voter}`, voterHash: voter, sourceHash: 'src', tokenIssuedAt: LONG_AGO },
      });
    const settleVote = (commentId: string, voter: string) =>
      aggregates.settleVote({ commentId, voteKey: reactionKeys.vote(commentId, voter).pk });

    const first = await vote(low.id, 'v1', 1);
    const replaced = await vote(low.id, 'v1', -1);
    const repeated = await vote(low.id, 'v1', -1);
    await Promise.all([settleVote(low.id, 'v1'), settleVote(low.id, 'v1')]);
    await vote(high.id, 'v1', 1);
    await vote(high.id, 'v2', 1);
    await Promise.all([settleVote(high.id, 'v1'), settleVote(high.id, 'v2'), settleVote(high.id, 'v1')]);

    expect([first.previousValue, replaced.previousValue, repeated.previousValue]).toEqual([null, 1, -1]);
    expect((await store.get(low.id))!.score).toBe(-1);
    expect((await store.get(high.id))!.score).toBe(2);
    const top = await listComments(
      { comments: store, listings, config: { firstReplies: 0 } },
      { articleId, order: 'top', limit: 10 },
    );
    expect(top.items.map((c) => [c.id, c.score])).toEqual([
      [high.id, 2],
      [low.id, -1],
    ]);
  });

  it('count each flag once and hide the comment for review at the threshold', async () => {
    const articleId = await newArticle();
    const comment = await post(articleId, 'Flag me');
    await settle(comment.id);
    const deps = {
      comments: store,
      aggregates,
      events: noEvents,
      config: { flagThreshold: 3, flagMinDistinctSources: 2 },
      clock,
    };

    for (const voter of ['f1', 'f2', 'f3']) {
      await flagComment(reactionDeps(), {
        commentId: comment.id,
        reason: 'spam',
        reader: { readerId: `reader-${voter}`, voterHash: voter, sourceHash: `src-${voter}`, tokenIssuedAt: LONG_AGO },
      });
      const change = flagChange(comment.id, voter, true);
      await Promise.all([applyCommentChange(deps, change), applyCommentChange(deps, change)]);
    }
    await expect(
      flagComment(reactionDeps(), {
        commentId: comment.id,
        reason: 'spam',
        reader: { readerId: `reader-${'f1'}`, voterHash: 'f1', sourceHash: 'src', tokenIssuedAt: LONG_AGO },
      }),
    ).rejects.toThrow(); // hidden now, so unknown to readers
    await settle(comment.id);

    const stored = (await store.get(comment.id))!;
    expect(stored).toMatchObject({ status: 'flagged', flagCount: 3, flagReasons: { spam: 3 }, moderatedBy: 'readers' });
    expect(await total(articleId)).toBe(0);
    const queue = await db.send(
      new QueryCommand({
        TableName: table,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :q',
        ExpressionAttributeValues: { ':q': 'MODQ#flagged' },
      }),
    );
    expect(queue.Items?.map((item) => item.id)).toContain(comment.id);
  });

  it('hides a comment only when the counted flags come from distinct sources, counted afresh after an approval', async () => {
    const articleId = await newArticle();
    const comment = await post(articleId, 'Flagged from one office');
    await settle(comment.id);
    const deps = {
      comments: store,
      aggregates,
      events: noEvents,
      config: { flagThreshold: 3, flagMinDistinctSources: 2 },
      clock,
    };
    const flagFrom = async (voter: string, sourceHash: string) => {
      await flagComment(reactionDeps(), {
        commentId: comment.id,
        reason: 'spam',
        reader: { readerId: `reader-${voter}`, voterHash: voter, sourceHash, tokenIssuedAt: LONG_AGO },
      });
      const change = flagChange(comment.id, voter, true, sourceHash);
      await Promise.all([applyCommentChange(deps, change), applyCommentChange(deps, change)]);
    };

    for (const voter of ['o1', 'o2', 'o3', 'o4']) await flagFrom(voter, 'one-office');
    const afterOneSource = (await store.get(comment.id))!;
    await flagFrom('elsewhere-1', 'another-address');
    const afterTwoSources = (await store.get(comment.id))!;
    await moderateComment({ comments: store, clock }, { commentId: comment.id, decision: 'approved', editor: 'ed' });
    // After the approval, the old sources count for nothing: three new flags from one source hide nothing.
    for (const voter of ['p1', 'p2', 'p3']) await flagFrom(voter, 'another-address');
    const afterApproval = (await store.get(comment.id))!;

    expect(afterOneSource).toMatchObject({ status: 'approved', flagCount: 4, flagSourcesSinceReview: 1 });
    expect(afterTwoSources).toMatchObject({ status: 'flagged', flagCount: 5, flagSourcesSinceReview: 2 });
    expect(afterApproval).toMatchObject({
      status: 'approved',
      flagCount: 8,
      flagsAtReview: 5,
      flagSourcesSinceReview: 1,
    });
  });

  it('records flags from readers whose tokens are brand new, and lets them hide nothing', async () => {
    const articleId = await newArticle();
    const comment = await post(articleId, 'Flagged by new identities');
    const deps = {
      comments: store,
      aggregates,
      events: noEvents,
      config: { flagThreshold: 3, flagMinDistinctSources: 2 },
      clock,
    };
    const results = [];

    for (const voter of ['n1', 'n2', 'n3']) {
      // Issued a minute before the flag: below the ten-minute minimum.
      const tokenIssuedAt = new Date(clock.now().getTime() - 60_000);
      results.push(
        await flagComment(reactionDeps(), {
          commentId: comment.id,
          reason: 'spam',
          reader: { readerId: `reader-${voter}`, voterHash: voter, sourceHash: `src-${voter}`, tokenIssuedAt },
        }),
      );
      const change = flagChange(comment.id, voter, false);
      await Promise.all([applyCommentChange(deps, change), applyCommentChange(deps, change)]);
    }
    await settle(comment.id);

    expect(results.map((result) => result.counted)).toEqual([false, false, false]);
    expect(await store.get(comment.id)).toMatchObject({ status: 'approved', flagCount: 0 });
    const flag = await db.send(
      new GetCommand({ TableName: table, Key: { pk: reactionKeys.flag(comment.id, 'n1').pk, sk: 'FLAG' } }),
    );
    expect(flag.Item).toMatchObject({ reason: 'spam', counts: false, counted: true });
  });

  it('refuses a second flag from the same reader', async () => {
    const articleId = await newArticle();
    const comment = await post(articleId, 'Flag me twice');
    const flag = () =>
      flagComment(reactionDeps(), {
        commentId: comment.id,
        reason: 'other',
        reader: { readerId: `reader-${'same'}`, voterHash: 'same', sourceHash: 's', tokenIssuedAt: LONG_AGO },
      });

    await flag();

    await expect(flag()).rejects.toThrow(ConflictError);
  });
});

describe('posting', () => {
  it('stores one comment for many concurrent requests with the same idempotency key', async () => {
    const articleId = await newArticle();
    const attempt = () =>
      postComment(postDeps(), {
        articleId,
        author: 'Reader',
        reader: ANONYMOUS,
        body: 'Once only',
        parentId: null,
        sourceHash: 'same-source',
        idempotencyKey: 'key-1',
      });

    const results = await Promise.all(Array.from({ length: 6 }, attempt));
    const differentBody = postComment(postDeps(), {
      articleId,
      author: 'Reader',
      reader: ANONYMOUS,
      body: 'Something else',
      parentId: null,
      sourceHash: 'same-source',
      idempotencyKey: 'key-1',
    });

    expect(new Set(results.map((r) => r.comment.id)).size).toBe(1);
    expect(results.filter((r) => !r.replayed)).toHaveLength(1);
    await expect(differentBody).rejects.toThrow(UnprocessableError);
    const listing = await listComments(
      { comments: store, listings, config: { firstReplies: 0 } },
      { articleId, order: 'newest', limit: 10 },
    );
    expect(listing.items).toHaveLength(1);
  });

  it("keeps each reader's idempotency keys their own: another reader sending the same key and request posts their own comment", async () => {
    const articleId = await newArticle();
    const post = (readerId: string) =>
      postComment(postDeps(), {
        articleId,
        author: 'Reader',
        reader: { ...ANONYMOUS, readerId },
        body: 'Same words, same key',
        parentId: null,
        sourceHash: `source-of-${readerId}`,
        idempotencyKey: 'shared-key',
      });

    const first = await post('reader-first-0001');
    const second = await post('reader-second-001');

    expect(second.replayed).toBe(false);
    expect(second.comment.id).not.toBe(first.comment.id);
    expect([first.comment.readerId, second.comment.readerId]).toEqual(['reader-first-0001', 'reader-second-001']);
  });

  it('takes over a crashed attempt with its reservation, so the retry stores nothing new', async () => {
    const idempotency = new DynamoIdempotencyStore(db, table);
    const t0 = new Date('2030-01-01T00:00:00Z');
    let runs = 0;
    const run = (at: Date, reservation: string) =>
      runIdempotent(
        idempotency,
        { scope: 'test', key: 'crash', request: { a: 1 }, reservation },
        { now: () => at, waitMs: 0 },
        async (reserved, progress) => {
          runs++;
          if (runs === 1) throw Object.assign(new Error('crash after storing'), { stored: progress.stored() });
          return `${reserved}:${progress.retake}`;
        },
      );

    await expect(run(t0, 'first')).rejects.toThrow('crash after storing');
    const early = await run(new Date(t0.getTime() + 1000), 'second').catch((error: unknown) => error);
    const late = await run(new Date(t0.getTime() + 60_000), 'third');

    expect(early).toBeInstanceOf(ConflictError); // the lock is still held
    expect(late).toEqual({ result: 'first:true', replayed: false });
  });

  it('lets an attempt that outlived its lock neither drop nor overwrite the record of the attempt that took over', async () => {
    const idempotency = new DynamoIdempotencyStore(db, table);
    const t0 = new Date('2030-01-01T00:00:00Z');
    const t1 = new Date(t0.getTime() + 5_000);
    const a = { owner: 'attempt-a', until: t0.getTime() + 1_000 };
    const b = { owner: 'attempt-b', until: t1.getTime() + 1_000 };

    await idempotency.begin('slow', 'same-request', 'reserved-by-a', t0, a);
    const takeover = await idempotency.begin('slow', 'same-request', 'reserved-by-b', t1, b);
    const releasedByA = await idempotency.release('slow', a.owner);
    const completedByB = await idempotency.complete('slow', b.owner, 'result of b');
    const completedByA = await idempotency.complete('slow', a.owner, 'result of a');
    const releasedByALate = await idempotency.release('slow', a.owner);

    expect(takeover).toEqual({ started: true, reservation: 'reserved-by-a', retake: true });
    expect([releasedByA, completedByB, completedByA, releasedByALate]).toEqual([false, true, false, false]);
    expect(await idempotency.get('slow')).toEqual({
      fingerprint: 'same-request',
      state: 'completed',
      reservation: 'reserved-by-a',
      result: 'result of b',
    });
  });

  it('refuses the same body from the same source within the window, but not from another source', async () => {
    const articleId = await newArticle();
    await post(articleId, 'Same words', { sourceHash: 'reader-a' });

    await expect(post(articleId, 'Same words', { sourceHash: 'reader-a' })).rejects.toThrow(ConflictError);
    await expect(post(articleId, 'Same words', { sourceHash: 'reader-b' })).resolves.toMatchObject({
      status: 'approved',
    });
  });

  it('limits posts per source with a Retry-After', async () => {
    const articleId = await newArticle();
    // One instant for all three posts: the limiter's windows are aligned to the clock, so three
    // posts that straddle a window's end would each be the first of theirs.
    const instant = new Date();
    const limited = postDeps({
      clock: { now: () => instant },
      rateLimiter: new DynamoRateLimiter(db, table),
      config: {
        ...config,
        rateLimits: { ...config.rateLimits, post: { action: 'comment-test', limit: 2, windowSeconds: 60 } },
      },
    });
    const send = (body: string) =>
      postComment(limited, {
        articleId,
        author: 'Fast',
        reader: ANONYMOUS,
        body,
        parentId: null,
        sourceHash: 'fast-source',
      });

    await send('one');
    await send('two');
    const third = send('three').catch((error: unknown) => error);

    expect(await third).toBeInstanceOf(RateLimitedError);
    expect(Number(((await third) as RateLimitedError).headers['retry-after'])).toBeGreaterThan(0);
  });

  it('imports embedded comments once however often the page is ingested', async () => {
    const articleId = await newArticle();
    const embedded = [
      { postedAt: '2014-03-16T19:11:00.000Z', body: 'First imported', author: null },
      { postedAt: '2014-03-16T14:09:00.000Z', body: 'Second imported', author: 'Someone' },
    ];

    await importEmbeddedComments({ comments: store }, articleId, embedded);
    await importEmbeddedComments({ comments: store }, articleId, embedded);

    const listing = await listComments(
      { comments: store, listings, config: { firstReplies: 0 } },
      { articleId, order: 'oldest', limit: 10 },
    );
    expect(listing.items.map((c) => [c.body, c.createdAt, c.author])).toEqual([
      ['Second imported', '2014-03-16T14:09:00.000Z', 'Someone'],
      ['First imported', '2014-03-16T19:11:00.000Z', null],
    ]);
  });

  it('holds suspect comments and links as pending, in the moderation queue, outside the listing', async () => {
    const articleId = await newArticle();

    const suspect = await post(articleId, 'A dubious claim');
    const link = await post(articleId, 'See example.com/offer');
    const fine = await post(articleId, 'A fine comment about the U.S. economy, e.g. jobs');

    expect([suspect.status, link.status, fine.status]).toEqual(['pending', 'pending', 'approved']);
    const listing = await listComments(
      { comments: store, listings, config: { firstReplies: 0 } },
      { articleId, order: 'newest', limit: 10 },
    );
    expect(listing.items.map((c) => c.id)).toEqual([fine.id]);
    const queued = await listings.listQueue('pending', { limit: 100 });
    expect(queued.items.map((c) => c.id)).toEqual(expect.arrayContaining([suspect.id, link.id]));
    await expect(post(articleId, 'This is forbidden talk')).rejects.toThrow(UnprocessableError);
  });
});

describe("the author's own comment", () => {
  const author = { readerId: 'author-reader-1', displayName: null, verified: false };
  const at = (minutesAfterPosting: number, comment: { createdAt: string }): Clock => ({
    now: () => new Date(Date.parse(comment.createdAt) + minutesAfterPosting * 60_000),
  });
  const texts = () => new DynamoCommentTextHistory(db, table);
  const ownDeps = (clockAt: Clock) => ({
    comments: store,
    texts: texts(),
    rateLimiter: unlimited,
    screen: new CommentScreen(config),
    config,
    clock: clockAt,
  });
  const postAsAuthor = async (body: string) =>
    (
      await postComment(postDeps(), {
        articleId: await newArticle(),
        author: 'Ana',
        reader: author,
        body,
        parentId: null,
        sourceHash: `src-${body}`,
      })
    ).comment;
  const edit = (commentId: string, body: string, clockAt: Clock, readerId = author.readerId) =>
    editOwnComment(ownDeps(clockAt), { commentId, body, readerId, sourceHash: 'src' });

  it('changes its text within 15 minutes, keeps the text it replaced for editors, and shows edited', async () => {
    const posted = await postAsAuthor('First thoughts.');

    const first = await edit(posted.id, 'Second thoughts.', at(5, posted));
    const second = await edit(posted.id, 'Third thoughts.', at(14.9, posted));

    expect(posted).toMatchObject({ readerId: author.readerId, edited: false, verified: false });
    expect(first).toMatchObject({
      body: 'Second thoughts.',
      edited: true,
      status: 'approved',
      readerId: author.readerId,
    });
    expect(second.body).toBe('Third thoughts.');
    expect(await store.get(posted.id)).toMatchObject({
      body: 'Third thoughts.',
      version: 3,
      authorId: author.readerId,
    });
    expect((await texts().replacedTexts(posted.id)).map((text) => text.body)).toEqual([
      'First thoughts.',
      'Second thoughts.',
    ]);
  });

  it("refuses someone else's comment (not_author) and any change after 15 minutes (edit_window_closed)", async () => {
    const posted = await postAsAuthor('Not yours to change.');

    const byOther = edit(posted.id, 'Vandalized.', at(1, posted), 'someone-else-1');
    const deleteByOther = deleteOwnComment(ownDeps(at(1, posted)), {
      commentId: posted.id,
      readerId: 'someone-else-1',
    });
    const late = edit(posted.id, 'Too late.', at(15.1, posted));
    const lateDelete = deleteOwnComment(ownDeps(at(16, posted)), { commentId: posted.id, readerId: author.readerId });

    await expect(byOther).rejects.toMatchObject({ statusCode: 403, code: 'not_author' });
    await expect(deleteByOther).rejects.toMatchObject({ statusCode: 403, code: 'not_author' });
    await expect(late).rejects.toMatchObject({ statusCode: 409, code: 'edit_window_closed' });
    await expect(lateDelete).rejects.toMatchObject({ statusCode: 409, code: 'edit_window_closed' });
    expect(await store.get(posted.id)).toMatchObject({ body: 'Not yours to change.', status: 'approved', version: 1 });
  });

  it('applies the moderation rules to the new text: refused words are a 422, held ones send it to the queue', async () => {
    const posted = await postAsAuthor('Plain words.');

    await expect(edit(posted.id, 'Now forbidden words.', at(1, posted))).rejects.toBeInstanceOf(UnprocessableError);
    const held = await edit(posted.id, 'Now dubious words.', at(2, posted));

    expect(held).toMatchObject({ status: 'pending', edited: true });
    expect(await store.get(posted.id)).toMatchObject({
      status: 'pending',
      heldFor: 'suspect_word',
      moderatedBy: 'rules',
    });
  });

  it('deletes it for good, once: a second delete changes nothing, and the text can no longer change', async () => {
    const posted = await postAsAuthor('Regretted at once.');

    await deleteOwnComment(ownDeps(at(3, posted)), { commentId: posted.id, readerId: author.readerId });
    await deleteOwnComment(ownDeps(at(4, posted)), { commentId: posted.id, readerId: author.readerId });

    expect(await store.get(posted.id)).toMatchObject({ status: 'deleted', moderatedBy: 'author', version: 2 });
    await expect(edit(posted.id, 'Back again.', at(5, posted))).rejects.toMatchObject({ statusCode: 404 });
  });

  it('keeps exactly one of two concurrent edits as the text, and the other as replaced', async () => {
    const posted = await postAsAuthor('Original.');

    await Promise.all([edit(posted.id, 'Edit A.', at(1, posted)), edit(posted.id, 'Edit B.', at(1, posted))]);

    const stored = (await store.get(posted.id))!;
    const replaced = (await texts().replacedTexts(posted.id)).map((text) => text.body);
    expect(['Edit A.', 'Edit B.']).toContain(stored.body);
    expect(stored.version).toBe(3);
    expect(replaced.sort()).toEqual(['Original.', stored.body === 'Edit A.' ? 'Edit B.' : 'Edit A.'].sort());
  });
});
