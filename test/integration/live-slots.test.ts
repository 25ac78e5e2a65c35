/**
 * The live-update slots on DynamoDB Local: the conditional writes that decide, across every
 * instance of the publisher, which message goes out in which second; then many instances of the
 * publish operation at once on one story, with the real slots and a real clock.
 */
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoLiveSlots } from '../../shared/adapters/live/dynamo-live-slots';
import type { LiveEvent } from '../../shared/live/live-messages';
import type { LiveMessage } from '../../shared/live/live-shapes';
import type { LiveSlots, SlotClaim } from '../../shared/live/ports';
import { publishLiveUpdate } from '../../shared/live/publish-live-update';
import { createTestTable, testDynamoClient } from '../support/engines';

let db: DynamoDBDocumentClient;
let tableName: string;
let slots: DynamoLiveSlots;
let story = 0;

beforeAll(async () => {
  tableName = await createTestTable('live-slots');
  db = DynamoDBDocumentClient.from(testDynamoClient(), { marshallOptions: { removeUndefinedValues: true } });
  slots = new DynamoLiveSlots(db, tableName);
});

/** A story of its own for each test. */
function nextStory(): string {
  story += 1;
  return story.toString(16).padStart(16, '0');
}

const pollClaim = (articleId: string, second: number, version: number, claimant = `e${version}`): SlotClaim => ({
  articleId,
  kind: 'poll',
  second,
  version,
  claimant,
});

describe('a story slot (poll, corrections)', () => {
  it('takes one claim a second, and only of a newer version', async () => {
    const articleId = nextStory();

    const outcomes = [
      await slots.claim(pollClaim(articleId, 100, 5)),
      await slots.claim(pollClaim(articleId, 100, 6)), // same second
      await slots.claim(pollClaim(articleId, 101, 4)), // older
      await slots.claim(pollClaim(articleId, 101, 6)),
      await slots.claim(pollClaim(articleId, 102, 6, 'another-event')), // same version, another event
      await slots.claim(pollClaim(articleId, 103, 6)), // same version, same event: its retry
    ];

    expect(outcomes).toEqual(['claimed', 'busy', 'superseded', 'claimed', 'superseded', 'claimed']);
    const { Item } = await db.send(
      new GetCommand({ TableName: tableName, Key: { pk: `LIVE#${articleId}`, sk: 'poll' }, ConsistentRead: true }),
    );
    expect(Item).toEqual({
      pk: `LIVE#${articleId}`,
      sk: 'poll',
      second: 103,
      version: 6,
      claimant: 'e6',
      expiresAt: 103 + 2 * 24 * 3600,
    });
  });

  it('keeps the kinds of one story apart', async () => {
    const articleId = nextStory();

    await expect(slots.claim(pollClaim(articleId, 100, 5))).resolves.toBe('claimed');
    await expect(slots.claim({ ...pollClaim(articleId, 100, 1), kind: 'corrections' })).resolves.toBe('claimed');
  });
});

describe("a comment's slot", () => {
  const commentClaim = (
    articleId: string,
    second: number,
    version: number,
    {
      kind = 'comment',
      suffix = 'a1',
      claimant = `e${version}`,
    }: { kind?: 'comment' | 'comment-removed'; suffix?: string; claimant?: string } = {},
  ): SlotClaim => ({
    articleId,
    kind,
    second,
    version,
    commentId: `${articleId}.${suffix.padStart(24, '0')}`,
    claimant,
  });

  it("takes each comment's messages in the order of its versions, whatever the second, and never waits", async () => {
    const articleId = nextStory();

    const outcomes = [
      await slots.claim(commentClaim(articleId, 100, 3)),
      await slots.claim(commentClaim(articleId, 100, 1, { suffix: 'b2' })), // another comment, same second
      await slots.claim(commentClaim(articleId, 100, 4, { kind: 'comment-removed' })), // its removal, same second
      await slots.claim(commentClaim(articleId, 101, 2, { suffix: 'b2' })),
      await slots.claim(commentClaim(articleId, 102, 3)), // older than its removal
      await slots.claim(commentClaim(articleId, 102, 5)),
    ];

    expect(outcomes).toEqual(['claimed', 'claimed', 'claimed', 'claimed', 'superseded', 'claimed']);
  });

  it("lets an event's retry claim the version it claimed before, and no other event", async () => {
    const articleId = nextStory();
    await slots.claim(commentClaim(articleId, 100, 2, { claimant: 'event-a' }));

    await expect(slots.claim(commentClaim(articleId, 105, 2, { claimant: 'event-a' }))).resolves.toBe('claimed');
    await expect(slots.claim(commentClaim(articleId, 105, 2, { claimant: 'event-b' }))).resolves.toBe('superseded');
  });
});

describe('many publisher instances on one story at once', () => {
  it('send at most one tally a second, never an older after a newer, and always the newest', async () => {
    const articleId = nextStory();
    const sent: { version: number; at: number }[] = [];
    /** The seconds each published tally claimed: the limit is one claim a second. */
    const claimedSeconds: number[] = [];
    const observedSlots: LiveSlots = {
      claim: async (claim) => {
        const outcome = await slots.claim(claim);
        if (outcome === 'claimed') claimedSeconds.push(claim.second);
        return outcome;
      },
    };
    const deps = {
      publisher: {
        async publish(_channel: string, messages: readonly LiveMessage[]) {
          for (const message of messages)
            sent.push({ version: (message as { version: number }).version, at: Date.now() });
        },
      },
      slots: observedSlots,
      comments: { get: async () => null },
      corrections: { list: async () => [] },
      clock: { now: () => new Date() },
      sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
    };
    const tally = (version: number): LiveEvent => ({
      detailType: 'PollTallyUpdated',
      detail: {
        schemaVersion: 1,
        articleId,
        version,
        question: 'Right?',
        options: [{ id: 'yes', label: 'Yes', votes: version }],
        totalVotes: version,
        updatedAt: new Date().toISOString(),
      },
    });

    // Twelve instances, in shuffled order, each with its own version, as a burst of tally events.
    const versions = [7, 2, 11, 5, 1, 12, 9, 3, 10, 6, 4, 8];
    const outcomes = await Promise.all(
      versions.map((version) =>
        publishLiveUpdate(deps, tally(version), {
          claimant: `event-${version}`,
          deadline: new Date(Date.now() + 20_000),
        }),
      ),
    );

    // One claim a second; a publish follows its claim by milliseconds, so two may land in one
    // wall-clock second (a claim at its very end, the next at the start of the next), never three.
    expect(new Set(claimedSeconds).size).toBe(claimedSeconds.length);
    expect(claimedSeconds).toHaveLength(sent.length);
    const perSecond = new Map<number, number>();
    for (const { at } of sent) perSecond.set(Math.floor(at / 1000), (perSecond.get(Math.floor(at / 1000)) ?? 0) + 1);
    expect(Math.max(...perSecond.values())).toBeLessThanOrEqual(2);
    expect(sent.map((s) => s.version)).toEqual([...sent.map((s) => s.version)].sort((a, b) => a - b));
    expect(sent.at(-1)!.version).toBe(12);
    expect(outcomes.filter((o) => o.outcome === 'published')).toHaveLength(sent.length);
    expect(outcomes.every((o) => o.outcome === 'published' || o.outcome === 'superseded')).toBe(true);
  }, 30_000);
});
