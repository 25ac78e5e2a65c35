import type { Comment } from '../../../shared/comments/comment';
import type { Correction, StoredCorrection } from '../../../shared/articles/corrections';
import type { LiveMessage } from '../../../shared/live/live-shapes';
import { readLiveEvent, type LiveEvent } from '../../../shared/live/live-messages';
import type { ClaimOutcome, LiveSlots, SlotClaim } from '../../../shared/live/ports';
import {
  LiveSlotBusyError,
  publishLiveUpdate,
  type LiveUpdateDependencies,
} from '../../../shared/live/publish-live-update';

const ARTICLE_ID = '0123456789abcdef';
const COMMENT_ID = `${ARTICLE_ID}.0000000000000000000000a1`;
const OTHER_COMMENT_ID = `${ARTICLE_ID}.0000000000000000000000b2`;
const START = new Date('2026-03-14T15:09:26.000Z');

/**
 * The slots as the table keeps them (see `DynamoLiveSlots`, whose conditions the integration test
 * runs on DynamoDB Local): a story's slot per kind holds the second and, for `poll` and
 * `corrections`, the version; a comment's slot holds the comment's version.
 */
class MemorySlots implements LiveSlots {
  private readonly stories = new Map<string, { second: number; version: number; claimant: string }>();
  private readonly comments = new Map<string, { version: number; claimant: string }>();

  async claim(claim: SlotClaim): Promise<ClaimOutcome> {
    const storyKey = `${claim.articleId} ${claim.kind}`;
    const story = this.stories.get(storyKey);
    const claimable = (held?: { version: number; claimant: string }) =>
      !held || held.version < claim.version || (held.version === claim.version && held.claimant === claim.claimant);
    if (claim.commentId === undefined) {
      if (!claimable(story)) return 'superseded';
      if (story && story.second >= claim.second) return 'busy';
      this.stories.set(storyKey, { second: claim.second, version: claim.version, claimant: claim.claimant });
      return 'claimed';
    }
    const commentKey = `${claim.articleId} ${claim.commentId}`;
    if (!claimable(this.comments.get(commentKey))) return 'superseded';
    this.comments.set(commentKey, { version: claim.version, claimant: claim.claimant });
    return 'claimed';
  }
}

interface Published {
  channel: string;
  messages: LiveMessage[];
  at: number;
}

function comment(overrides: Partial<Comment> = {}): Comment {
  return {
    id: COMMENT_ID,
    articleId: ARTICLE_ID,
    threadId: COMMENT_ID,
    parentId: null,
    author: 'Ann',
    authorId: 'reader-0a1b2c3d',
    verified: false,
    body: 'Well said.',
    createdAt: '2026-03-14T15:00:00.000Z',
    editedAt: null,
    status: 'approved',
    score: 2,
    replyCount: 1,
    flagCount: 1,
    flagsAtReview: 0,
    flagSourcesSinceReview: 1,
    flagReasons: { offensive: 0, abusive: 0, spam: 1, other: 0 },
    origin: 'reader',
    heldFor: null,
    moderatedBy: null,
    moderatedAt: null,
    queuedAt: null,
    undo: null,
    version: 3,
    ...overrides,
  };
}

function setup(store: { comments?: Comment[]; corrections?: Correction[] } = {}) {
  const published: Published[] = [];
  const failures: Error[] = [];
  const comments = new Map((store.comments ?? []).map((c) => [c.id, c]));
  const deps: LiveUpdateDependencies = {
    publisher: {
      async publish(channel, messages) {
        const failure = failures.shift();
        if (failure) throw failure;
        published.push({ channel, messages: [...messages], at: Date.now() });
      },
    },
    slots: new MemorySlots(),
    comments: { get: async (id) => comments.get(id) ?? null },
    corrections: { list: async () => store.corrections ?? [] },
    clock: { now: () => new Date() },
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return { deps, published, failures, comments };
}

const deadlineIn = (ms: number) => ({ deadline: new Date(Date.now() + ms) });

function tally(version: number, votes: [number, number, number]): LiveEvent {
  return {
    detailType: 'PollTallyUpdated',
    detail: {
      schemaVersion: 1,
      articleId: ARTICLE_ID,
      version,
      question: 'Was the decision right?',
      options: [
        { id: 'yes', label: 'Yes', votes: votes[0] },
        { id: 'no', label: 'No', votes: votes[1] },
        { id: 'unsure', label: 'Not sure', votes: votes[2] },
      ],
      totalVotes: votes[0] + votes[1] + votes[2],
      updatedAt: '2026-03-14T15:09:25.000Z',
    },
  };
}

function posted(status: string, origin: 'reader' | 'import' = 'reader', commentId = COMMENT_ID): LiveEvent {
  return {
    detailType: 'CommentPosted',
    detail: {
      schemaVersion: 1,
      articleId: ARTICLE_ID,
      commentId,
      threadId: commentId,
      parentId: null,
      status,
      origin,
      createdAt: '2026-03-14T15:00:00.000Z',
    },
  };
}

function moderated(previousStatus: string, status: string, version = 4): LiveEvent {
  return {
    detailType: 'CommentModerated',
    detail: {
      schemaVersion: 1,
      articleId: ARTICLE_ID,
      commentId: COMMENT_ID,
      status,
      previousStatus,
      by: 'editor-sub',
      version,
      at: '2026-03-14T15:05:00.000Z',
    },
  };
}

function resolved(status: 'corrected' | 'rejected'): LiveEvent {
  return {
    detailType: 'ErrorReportResolved',
    detail: {
      schemaVersion: 1,
      articleId: ARTICLE_ID,
      reportId: `${ARTICLE_ID}-0000000000000001`,
      category: 'factual',
      status,
      previousStatus: 'reviewing',
      statusVersion: 3,
      resolvedAt: '2026-03-14T15:08:00.000Z',
      correction:
        status === 'corrected' ? { text: 'The vote was on Sunday.', correctedAt: '2026-03-14T15:08:00Z' } : null,
    },
  };
}

beforeEach(() => {
  jest.useFakeTimers({ now: START });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('live messages', () => {
  it('sends the whole tally with whole percents that add up to 100, as the results route shows them', async () => {
    const { deps, published } = setup();

    await publishLiveUpdate(deps, tally(7, [1, 1, 1]), { claimant: 'e1', ...deadlineIn(20_000) });

    expect(published).toEqual([
      {
        channel: `/stories/${ARTICLE_ID}`,
        at: START.getTime(),
        messages: [
          {
            kind: 'poll',
            articleId: ARTICLE_ID,
            version: 7,
            question: 'Was the decision right?',
            options: [
              { id: 'yes', label: 'Yes', votes: 1, percent: 34 },
              { id: 'no', label: 'No', votes: 1, percent: 33 },
              { id: 'unsure', label: 'Not sure', votes: 1, percent: 33 },
            ],
            totalVotes: 3,
            updatedAt: '2026-03-14T15:09:25.000Z',
          },
        ],
      },
    ]);
  });

  it("sends an approved reader comment as the listing's public view: no reader id, no flags, no review", async () => {
    const { deps, published } = setup({ comments: [comment()] });

    const result = await publishLiveUpdate(deps, posted('approved'), { claimant: 'e1', ...deadlineIn(20_000) });

    expect(result).toMatchObject({ outcome: 'published', kind: 'comment', version: 3 });
    expect(published[0]!.messages).toEqual([
      {
        kind: 'comment',
        articleId: ARTICLE_ID,
        version: 3,
        comment: {
          id: COMMENT_ID,
          articleId: ARTICLE_ID,
          threadId: COMMENT_ID,
          parentId: null,
          author: 'Ann',
          verified: false,
          body: 'Well said.',
          createdAt: '2026-03-14T15:00:00.000Z',
          edited: false,
          status: 'approved',
          score: 2,
          replyCount: 1,
        },
      },
    ]);
    expect(JSON.stringify(published)).not.toContain('reader-0a1b2c3d');
  });

  it('sends nothing for a held comment, an imported one, or a change between hidden states', async () => {
    const { deps, published } = setup({ comments: [comment({ status: 'pending' })] });
    const options = { claimant: 'e1', ...deadlineIn(20_000) };

    const outcomes = [
      await publishLiveUpdate(deps, posted('pending'), options),
      await publishLiveUpdate(deps, posted('approved', 'import'), options),
      await publishLiveUpdate(deps, moderated('pending', 'rejected'), options),
      await publishLiveUpdate(deps, resolved('rejected'), options),
    ];

    expect(outcomes.map((o) => o.outcome)).toEqual(['nothing', 'nothing', 'nothing', 'nothing']);
    expect(published).toEqual([]);
  });

  it('sends an edit of an approved comment with its new text and version, marked edited', async () => {
    const { deps, published } = setup({
      comments: [comment({ body: 'Well said, mostly.', editedAt: '2026-03-14T15:03:00.000Z', version: 5 })],
    });
    const edited: LiveEvent = {
      detailType: 'CommentEdited',
      detail: {
        schemaVersion: 1,
        articleId: ARTICLE_ID,
        commentId: COMMENT_ID,
        status: 'approved',
        version: 5,
        editedAt: '2026-03-14T15:03:00.000Z',
      },
    };

    await publishLiveUpdate(deps, edited, { claimant: 'e1', ...deadlineIn(20_000) });

    expect(published[0]!.messages[0]).toMatchObject({
      kind: 'comment',
      version: 5,
      comment: { body: 'Well said, mostly.', edited: true },
    });
  });

  it('sends an approval as the comment, and a hiding, rejection or deletion of an approved one as its removal', async () => {
    const { deps, published, comments } = setup({ comments: [comment({ version: 4 })] });

    await publishLiveUpdate(deps, moderated('pending', 'approved', 4), { claimant: 'e1', ...deadlineIn(20_000) });
    await jest.advanceTimersByTimeAsync(1_000);
    for (const [status, version] of [
      ['hidden', 5],
      ['rejected', 6],
      ['deleted', 7],
    ] as const) {
      comments.set(COMMENT_ID, comment({ status, version }));
      await publishLiveUpdate(deps, moderated('approved', status, version), {
        claimant: `e${version}`,
        ...deadlineIn(20_000),
      });
      await jest.advanceTimersByTimeAsync(1_000);
    }

    expect(published.flatMap((p) => p.messages)).toEqual([
      expect.objectContaining({ kind: 'comment', version: 4 }),
      { kind: 'comment-removed', articleId: ARTICLE_ID, commentId: COMMENT_ID, version: 5 },
      { kind: 'comment-removed', articleId: ARTICLE_ID, commentId: COMMENT_ID, version: 6 },
      { kind: 'comment-removed', articleId: ARTICLE_ID, commentId: COMMENT_ID, version: 7 },
    ]);
  });

  it('says what the store says now, not what the event saw: a comment hidden since it was posted is sent as removed', async () => {
    const { deps, published } = setup({ comments: [comment({ status: 'flagged', version: 4 })] });

    await publishLiveUpdate(deps, posted('approved'), { claimant: 'e1', ...deadlineIn(20_000) });

    expect(published.flatMap((p) => p.messages)).toEqual([
      { kind: 'comment-removed', articleId: ARTICLE_ID, commentId: COMMENT_ID, version: 4 },
    ]);
  });

  it('sends all the published corrections on a corrected report, without the reports behind them', async () => {
    const stored: StoredCorrection[] = [
      { text: 'The date was wrong.', correctedAt: '2026-03-13T10:00:00.000Z', reportId: 'r-1' },
      { text: 'The vote was on Sunday.', correctedAt: '2026-03-14T15:08:00.000Z', reportId: 'r-2' },
    ];
    const { deps, published } = setup({ corrections: stored });

    await publishLiveUpdate(deps, resolved('corrected'), { claimant: 'e1', ...deadlineIn(20_000) });

    expect(published.flatMap((p) => p.messages)).toEqual([
      {
        kind: 'corrections',
        articleId: ARTICLE_ID,
        corrections: [
          { text: 'The date was wrong.', correctedAt: '2026-03-13T10:00:00.000Z' },
          { text: 'The vote was on Sunday.', correctedAt: '2026-03-14T15:08:00.000Z' },
        ],
      },
    ]);
  });

  it('reads only events whose story and comment ids are well formed', () => {
    expect(readLiveEvent('PollTallyUpdated', { articleId: ARTICLE_ID })).toEqual({
      detailType: 'PollTallyUpdated',
      detail: { articleId: ARTICLE_ID },
    });
    expect(readLiveEvent('PollTallyUpdated', { articleId: '../x' })).toEqual({ invalid: 'no valid article id' });
    expect(readLiveEvent('CommentPosted', { articleId: ARTICLE_ID, commentId: 'LIVE#x' })).toEqual({
      invalid: 'no valid comment id',
    });
    expect(readLiveEvent('ArticleIngested', { articleId: ARTICLE_ID })).toEqual({
      invalid: 'not a live update event: ArticleIngested',
    });
    expect(readLiveEvent('PollTallyUpdated', null)).toEqual({ invalid: 'no valid article id' });
  });
});

describe('coalescing across instances: a story state at most once a second, every comment in version order', () => {
  it('drops an older tally that comes after a newer one was sent', async () => {
    const { deps, published } = setup();

    await publishLiveUpdate(deps, tally(6, [2, 1, 0]), { claimant: 'e6', ...deadlineIn(20_000) });
    const older = await publishLiveUpdate(deps, tally(5, [1, 1, 0]), { claimant: 'e5', ...deadlineIn(20_000) });

    expect(older).toEqual({ outcome: 'superseded', articleId: ARTICLE_ID, kind: 'poll', version: 5 });
    expect(published.map((p) => p.messages[0]!)).toEqual([expect.objectContaining({ version: 6 })]);
  });

  it('holds a newer tally whose second is taken until the next second, and sends it then', async () => {
    const { deps, published } = setup();
    await publishLiveUpdate(deps, tally(5, [1, 1, 0]), { claimant: 'e5', ...deadlineIn(20_000) });
    await jest.advanceTimersByTimeAsync(300);

    const newer = publishLiveUpdate(deps, tally(6, [2, 1, 0]), { claimant: 'e6', ...deadlineIn(20_000) });
    await jest.advanceTimersByTimeAsync(700);

    await expect(newer).resolves.toEqual({
      outcome: 'published',
      articleId: ARTICLE_ID,
      kind: 'poll',
      version: 6,
      waitedMs: 700,
    });
    expect(
      published.map((p) => [p.messages[0]!.kind === 'poll' && p.messages[0]!.version, p.at - START.getTime()]),
    ).toEqual([
      [5, 0],
      [6, 1_000],
    ]);
  });

  it('of tallies waiting for the same second, sends one a second, never an older after a newer, and always the newest', async () => {
    const { deps, published } = setup();
    await publishLiveUpdate(deps, tally(5, [1, 1, 0]), { claimant: 'e5', ...deadlineIn(20_000) });

    // Four instances with newer tallies, all in the taken second, waking in this order.
    const waiting = [7, 9, 6, 8].map((version) =>
      publishLiveUpdate(deps, tally(version, [version, 1, 0]), { claimant: `e${version}`, ...deadlineIn(20_000) }),
    );
    await jest.advanceTimersByTimeAsync(5_000);
    const outcomes = await Promise.all(waiting);

    // Next second: 7 goes out, 6 is dropped (7 stands for it), 9 and 8 wait; then 9 goes out and 8 is dropped.
    expect(published.map((p) => [(p.messages[0] as { version: number }).version, p.at - START.getTime()])).toEqual([
      [5, 0],
      [7, 1_000],
      [9, 2_000],
    ]);
    expect(outcomes.map((o) => o.outcome)).toEqual(['published', 'published', 'superseded', 'superseded']);
  });

  it('sends two comments of one story at once: each is a change no later message carries, so neither waits', async () => {
    const { deps, published } = setup({
      comments: [comment(), comment({ id: OTHER_COMMENT_ID, threadId: OTHER_COMMENT_ID, body: 'Agreed.' })],
    });

    const both = [
      publishLiveUpdate(deps, posted('approved'), { claimant: 'e1', ...deadlineIn(20_000) }),
      publishLiveUpdate(deps, posted('approved', 'reader', OTHER_COMMENT_ID), {
        claimant: 'e2',
        ...deadlineIn(20_000),
      }),
    ];
    await Promise.all(both);

    expect(published.map((p) => p.at - START.getTime())).toEqual([0, 0]);
    expect(published.map((p) => (p.messages[0] as { comment: { id: string } }).comment.id).sort()).toEqual(
      [COMMENT_ID, OTHER_COMMENT_ID].sort(),
    );
  });

  it("keeps a comment's messages in the order of its versions: an older one after a newer is dropped", async () => {
    const { deps, published, comments } = setup({ comments: [comment({ status: 'hidden', version: 5 })] });
    await publishLiveUpdate(deps, moderated('approved', 'hidden', 5), { claimant: 'e5', ...deadlineIn(20_000) });
    await jest.advanceTimersByTimeAsync(1_000);

    // A late delivery that read the comment when it was still approved, at version 4.
    comments.set(COMMENT_ID, comment({ version: 4 }));
    const late = await publishLiveUpdate(deps, posted('approved'), { claimant: 'e4', ...deadlineIn(20_000) });

    expect(late).toMatchObject({ outcome: 'superseded', version: 4 });
    expect(published.flatMap((p) => p.messages)).toEqual([
      { kind: 'comment-removed', articleId: ARTICLE_ID, commentId: COMMENT_ID, version: 5 },
    ]);
  });

  it('publishes again on the retry of an event whose publish failed after its claim, but not for another event of the same state', async () => {
    const { deps, published, failures } = setup();
    failures.push(new Error('the Events API is down'));

    await expect(
      publishLiveUpdate(deps, tally(5, [1, 1, 0]), { claimant: 'e5', ...deadlineIn(20_000) }),
    ).rejects.toThrow('the Events API is down');
    await jest.advanceTimersByTimeAsync(60_000);
    const duplicate = await publishLiveUpdate(deps, tally(5, [1, 1, 0]), {
      claimant: 'e5-again',
      ...deadlineIn(20_000),
    });
    const retry = await publishLiveUpdate(deps, tally(5, [1, 1, 0]), { claimant: 'e5', ...deadlineIn(20_000) });

    expect(duplicate.outcome).toBe('superseded');
    expect(retry.outcome).toBe('published');
    expect(published.map((p) => p.messages[0])).toEqual([expect.objectContaining({ kind: 'poll', version: 5 })]);
  });

  it('gives up waiting at the deadline with an error, so the event is tried again later', async () => {
    const { deps } = setup();
    await publishLiveUpdate(deps, tally(1, [1, 0, 0]), { claimant: 'e1', ...deadlineIn(20_000) });

    const second = publishLiveUpdate(deps, tally(2, [1, 1, 0]), { claimant: 'e2', ...deadlineIn(500) });

    await expect(second).rejects.toBeInstanceOf(LiveSlotBusyError);
  });
});
