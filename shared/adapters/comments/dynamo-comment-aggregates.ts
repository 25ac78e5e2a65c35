import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];
import type { CommentAggregates, FlagSettlement, VisibilitySettlement } from '../../comments/ports';
import { TABLE_KEYS } from '../../store/table-design';
import { COMMENT_ITEM, commentItemKey, fromCommentItem, versionedCommentUpdate } from './dynamo-comment-items';
import { articleKeys } from '../../store/article-keys';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** Attempts of one settlement when concurrent writes keep getting in the way. */
const MAX_ATTEMPTS = 8;

/**
 * Comments settled in one transaction: each takes its claim and possibly its thread's update,
 * plus one for the story's count, within DynamoDB's 100 items a transaction.
 */
const SETTLEMENTS_PER_TRANSACTION = 49;

/** Groups settlements by story (one count item a transaction) in chunks that fit a transaction. */
function chunksByArticle(entries: readonly VisibilitySettlement[]): VisibilitySettlement[][] {
  const byArticle = new Map<string, VisibilitySettlement[]>();
  for (const entry of entries) {
    const group = byArticle.get(entry.comment.articleId) ?? [];
    group.push(entry);
    byArticle.set(entry.comment.articleId, group);
  }
  return [...byArticle.values()].flatMap((group) =>
    Array.from({ length: Math.ceil(group.length / SETTLEMENTS_PER_TRANSACTION) }, (_, i) =>
      group.slice(i * SETTLEMENTS_PER_TRANSACTION, (i + 1) * SETTLEMENTS_PER_TRANSACTION),
    ),
  );
}

type CancellationCode = string | undefined;

/**
 * Exact aggregates from the table stream. Stream records arrive at least once and are ordered
 * only per item, so a plain `ADD` per record could count a retried record twice, and no order
 * across items can be relied on. Instead each source item records whether (or how) it is
 * counted, and a transaction flips that record and moves the aggregate together:
 *
 * - comment visibility: `countedVisible` on the comment ↔ the story's `COUNTS.comments` and,
 *   for a reply, its thread's `replyCount`;
 * - a vote: `countedValue` on the vote record ↔ the comment's `score` (and its `sort=top` key);
 * - a flag: `counted` on the flag record ↔ the comment's `flagCount`.
 *
 * A repeated settlement finds the record already flipped and changes nothing. Transactions
 * are used here, off the request path, where their double write cost buys exactness; the
 * visibility of a whole stream batch is settled in one transaction per story, so a busy story's
 * count item takes one write per batch rather than one per comment.
 */
export class DynamoCommentAggregates implements CommentAggregates {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly pause: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async settleVisibility(entries: readonly VisibilitySettlement[]): Promise<void> {
    for (const chunk of chunksByArticle(entries)) await this.settleChunk(chunk);
  }

  /**
   * One transaction per chunk: each comment's claim, the story's count moved by their sum, and
   * each thread's reply count. A claim that fails its condition was settled before (a retry):
   * it is dropped and the rest goes again.
   */
  private async settleChunk(entries: readonly VisibilitySettlement[]): Promise<void> {
    let remaining = entries;
    for (let attempt = 1; remaining.length > 0; attempt++) {
      const { items, claimed } = this.visibilityTransaction(remaining);
      const codes = await this.transact(items);
      if (codes === null) return;
      const failed = codes.flatMap((code, i) => (code === 'ConditionalCheckFailed' ? [i] : []));
      if (failed.some((i) => claimed[i] === undefined)) {
        throw new Error(`A thread of a reply among ${remaining.map((e) => e.comment.id).join(', ')} does not exist`);
      }
      if (failed.length > 0) {
        const settledBefore = new Set(failed.map((i) => claimed[i]));
        remaining = remaining.filter((entry) => !settledBefore.has(entry.comment.id));
        continue;
      }
      await this.backOff(attempt, codes);
    }
  }

  /** The transaction items, and for each item the comment whose claim it is (undefined for aggregates). */
  private visibilityTransaction(entries: readonly VisibilitySettlement[]): {
    items: TransactItem[];
    claimed: (string | undefined)[];
  } {
    const replyDeltas = new Map<string, number>();
    let storyDelta = 0;
    for (const { comment, visible } of entries) {
      const delta = visible ? 1 : -1;
      storyDelta += delta;
      if (comment.parentId !== null)
        replyDeltas.set(comment.threadId, (replyDeltas.get(comment.threadId) ?? 0) + delta);
    }
    const items: TransactItem[] = [];
    const claimed: (string | undefined)[] = [];
    for (const { comment, visible } of entries) {
      // A thread root settled in the same transaction takes its reply count in its own update:
      // a transaction may touch an item only once.
      const replies = replyDeltas.get(comment.id);
      replyDeltas.delete(comment.id);
      items.push({
        Update: {
          TableName: this.tableName,
          Key: commentItemKey(comment.id),
          UpdateExpression: `SET #counted = :visible${replies ? ' ADD #replies :replies' : ''}`,
          ConditionExpression: visible
            ? 'attribute_exists(#pk) AND (attribute_not_exists(#counted) OR #counted = :no)'
            : 'attribute_exists(#pk) AND #counted = :yes',
          ExpressionAttributeNames: {
            '#pk': PK,
            '#counted': COMMENT_ITEM.counted,
            ...(replies ? { '#replies': 'replyCount' } : {}),
          },
          ExpressionAttributeValues: {
            ':visible': visible,
            ...(visible ? { ':no': false } : { ':yes': true }),
            ...(replies ? { ':replies': replies } : {}),
          },
        },
      });
      claimed.push(comment.id);
    }
    for (const [threadId, delta] of replyDeltas) {
      if (delta === 0) continue;
      items.push({
        Update: {
          TableName: this.tableName,
          Key: commentItemKey(threadId),
          UpdateExpression: 'ADD #replies :delta',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: { '#pk': PK, '#replies': 'replyCount' },
          ExpressionAttributeValues: { ':delta': delta },
        },
      });
      claimed.push(undefined);
    }
    if (storyDelta !== 0) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: { [PK]: articleKeys.partition(entries[0]!.comment.articleId), [SK]: articleKeys.counts },
          UpdateExpression: 'ADD #comments :delta',
          ExpressionAttributeNames: { '#comments': 'comments' },
          ExpressionAttributeValues: { ':delta': storyDelta },
        },
      });
      claimed.push(undefined);
    }
    return { items, claimed };
  }

  async settleVote(vote: { commentId: string; voteKey: string }): Promise<void> {
    const voteKey = { [PK]: vote.voteKey, [SK]: 'VOTE' };
    for (let attempt = 1; ; attempt++) {
      const record = await this.read(voteKey);
      if (!record) return;
      const counted = Number(record.countedValue ?? 0);
      const delta = Number(record.value) - counted;
      if (delta === 0) return;
      const item = await this.read(commentItemKey(vote.commentId));
      if (!item) return; // nothing to score
      const comment = fromCommentItem(item);
      const next = { ...comment, score: comment.score + delta, version: comment.version + 1 };
      const codes = await this.transact([
        {
          Update: {
            TableName: this.tableName,
            Key: voteKey,
            UpdateExpression: 'SET #counted = :value',
            ConditionExpression:
              counted === 0 ? 'attribute_not_exists(#counted) OR #counted = :counted' : '#counted = :counted',
            ExpressionAttributeNames: { '#counted': 'countedValue' },
            ExpressionAttributeValues: { ':value': Number(record.value), ':counted': counted },
          },
        },
        { Update: { TableName: this.tableName, ...versionedCommentUpdate(next, comment.version) } },
      ]);
      if (codes === null) return;
      // Either side moved on (another settlement, a status change): read again and retry.
      await this.backOff(attempt, codes);
    }
  }

  async settleFlag(flag: FlagSettlement): Promise<boolean> {
    const items: TransactItem[] = [
      {
        Update: {
          TableName: this.tableName,
          Key: { [PK]: flag.flagKey, [SK]: 'FLAG' },
          UpdateExpression: 'SET #counted = :yes',
          ConditionExpression: 'attribute_exists(#pk) AND attribute_not_exists(#counted)',
          ExpressionAttributeNames: { '#pk': PK, '#counted': 'counted' },
          ExpressionAttributeValues: { ':yes': true },
        },
      },
    ];
    // A flag that counts for nothing is only marked settled: the comment does not change.
    if (flag.counts) {
      items.push({
        Update: {
          TableName: this.tableName,
          Key: commentItemKey(flag.commentId),
          // The version moves too: the threshold check reads the count and writes the status
          // conditionally on the version it read. The source joins a string set (a set, so a
          // second flag from the same address adds nothing), emptied when an editor approves.
          UpdateExpression:
            'SET #reasons.#reason = if_not_exists(#reasons.#reason, :zero) + :one ADD #flags :one, #version :one, #sources :source',
          ConditionExpression: 'attribute_exists(#pk)',
          ExpressionAttributeNames: {
            '#pk': PK,
            '#reasons': 'flagReasons',
            '#reason': flag.reason,
            '#flags': 'flagCount',
            '#version': 'version',
            '#sources': COMMENT_ITEM.flagSources,
          },
          ExpressionAttributeValues: { ':zero': 0, ':one': 1, ':source': new Set([flag.sourceHash]) },
        },
      });
    }
    for (let attempt = 1; ; attempt++) {
      const codes = await this.transact(items);
      if (codes === null) return true;
      if (codes[0] === 'ConditionalCheckFailed' || codes[1] === 'ConditionalCheckFailed') return false;
      await this.backOff(attempt, codes);
    }
  }

  /** Runs the transaction; null on success, else the cancellation code of each item. */
  private async transact(items: TransactItem[]): Promise<CancellationCode[] | null> {
    try {
      await this.db.send(new TransactWriteCommand({ TransactItems: items }));
      return null;
    } catch (error) {
      const { name, CancellationReasons } = error as { name?: string; CancellationReasons?: { Code?: string }[] };
      if (name === 'TransactionCanceledException' && CancellationReasons)
        return CancellationReasons.map((reason) => reason.Code);
      if (name === 'TransactionConflictException') return items.map(() => 'TransactionConflict');
      throw error;
    }
  }

  private async read(key: Record<string, string>): Promise<Record<string, unknown> | undefined> {
    return (await this.db.send(new GetCommand({ TableName: this.tableName, Key: key, ConsistentRead: true }))).Item;
  }

  private async backOff(attempt: number, codes: CancellationCode[]): Promise<void> {
    if (attempt >= MAX_ATTEMPTS) throw new Error(`Settlement kept failing: ${codes.join(', ')}`);
    await this.pause(Math.random() * 20 * attempt);
  }
}
