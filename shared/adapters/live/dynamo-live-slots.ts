import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ClaimOutcome, LiveSlots, SlotClaim } from '../../live/ports';
import { LIVE_SLOT_LIFETIME_SECONDS, liveKeys } from '../../store/live-keys';
import { TABLE_KEYS } from '../../store/table-design';
import { conditionFailureItem, isConditionFailure } from '../aws/condition-failure';

const { partitionKey: PK, sortKey: SK, timeToLive: TTL } = TABLE_KEYS;

/**
 * Whether a version may be claimed: the slot has none yet, holds an older one, or holds this
 * one claimed by this claimant (its retry). `:v` and `:c` are the claim's.
 */
const VERSION_IS_CLAIMABLE = '(#version < :v OR (#version = :v AND #claimant = :c))';

/**
 * The coalescing slots on the table (keys in `shared/store/live-keys.ts`), each claimed with one
 * conditional write:
 * - `poll` and `corrections`: the story's slot for the kind holds the second and the version of
 *   the last claim, and a claim needs both to be older, in one UpdateItem. On failure DynamoDB
 *   returns the slot as it is, which says whether it was a newer version (superseded) or only
 *   the second (busy), without a second read.
 * - `comment` and `comment-removed`: the comment's own slot holds the version (a comment's
 *   messages are ordered by it, whichever kind); a claim needs it to be older, or this claimant's
 *   (its retry). Never busy: see `publish-live-update.ts` for why comments are not held to a
 *   second.
 * Every write refreshes the item's expiry (`LIVE_SLOT_LIFETIME_SECONDS`).
 */
export class DynamoLiveSlots implements LiveSlots {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async claim(claim: SlotClaim): Promise<ClaimOutcome> {
    return claim.commentId === undefined ? this.claimStoryState(claim) : this.claimComment(claim, claim.commentId);
  }

  private async claimStoryState(claim: SlotClaim): Promise<ClaimOutcome> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: this.slotKey(claim),
          UpdateExpression: 'SET #second = :s, #version = :v, #claimant = :c, #ttl = :ttl',
          ConditionExpression: `attribute_not_exists(#pk) OR (#second < :s AND ${VERSION_IS_CLAIMABLE})`,
          ExpressionAttributeNames: { ...VERSION_NAMES, '#second': 'second' },
          ExpressionAttributeValues: { ...this.versionValues(claim), ':s': claim.second },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const slot = conditionFailureItem(error, 0);
      // Only an existing slot fails the condition; without its image, claim again next second.
      if (!slot) return 'busy';
      return versionIsClaimable(slot, claim) ? 'busy' : 'superseded';
    }
  }

  private async claimComment(claim: SlotClaim, commentId: string): Promise<ClaimOutcome> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { [PK]: liveKeys.partition(claim.articleId), [SK]: liveKeys.commentVersion(commentId) },
          UpdateExpression: 'SET #version = :v, #claimant = :c, #ttl = :ttl',
          ConditionExpression: `attribute_not_exists(#pk) OR ${VERSION_IS_CLAIMABLE}`,
          ExpressionAttributeNames: VERSION_NAMES,
          ExpressionAttributeValues: this.versionValues(claim),
        }),
      );
      return 'claimed';
    } catch (error) {
      if (isConditionFailure(error)) return 'superseded';
      throw error;
    }
  }

  private slotKey(claim: SlotClaim): Record<string, string> {
    return { [PK]: liveKeys.partition(claim.articleId), [SK]: liveKeys.slot(claim.kind) };
  }

  private versionValues(claim: SlotClaim): Record<string, unknown> {
    return { ':v': claim.version, ':c': claim.claimant, ':ttl': expiresAt(claim) };
  }
}

const VERSION_NAMES = { '#pk': PK, '#version': 'version', '#claimant': 'claimant', '#ttl': TTL } as const;

/** The slot's expiry (epoch seconds, the TTL attribute's unit), counted from the claimed second. */
function expiresAt(claim: SlotClaim): number {
  return claim.second + LIVE_SLOT_LIFETIME_SECONDS;
}

/** The same test as {@link VERSION_IS_CLAIMABLE}, on the slot DynamoDB returned. */
function versionIsClaimable(slot: Record<string, unknown>, claim: SlotClaim): boolean {
  const version = Number(slot.version);
  return version < claim.version || (version === claim.version && slot.claimant === claim.claimant);
}
