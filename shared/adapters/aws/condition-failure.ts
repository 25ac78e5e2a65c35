import {
  ConditionalCheckFailedException,
  TransactionCanceledException,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/**
 * Whether a DynamoDB write was refused only because its condition did not hold. Also recognised
 * by name: an error from another copy of the SDK, or a test double, is not an instance of this
 * module's class.
 */
export function isConditionFailure(error: unknown): boolean {
  return (
    error instanceof ConditionalCheckFailedException ||
    (error as Error | null)?.name === 'ConditionalCheckFailedException'
  );
}

/**
 * Whether a transaction was cancelled because an item's condition did not hold, or another
 * transaction held an item: either way the caller reads again and retries.
 */
export function isTransactionConditionFailure(error: unknown): boolean {
  const { name, CancellationReasons } = (error ?? {}) as { name?: string; CancellationReasons?: { Code?: string }[] };
  if (name === 'TransactionConflictException') return true;
  return (
    name === 'TransactionCanceledException' &&
    (CancellationReasons ?? []).some(
      (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
    )
  );
}

/**
 * For a write whose condition failed on item `index` (the only item of a single write, or one of
 * a transaction's): the old item when DynamoDB returned it, null when it did not, and undefined
 * when the error is anything else.
 */
export function conditionFailureItem(error: unknown, index: number): Record<string, unknown> | null | undefined {
  if (isConditionFailure(error)) return rawItem((error as ConditionalCheckFailedException).Item);
  const isCancelled =
    error instanceof TransactionCanceledException || (error as Error | null)?.name === 'TransactionCanceledException';
  if (!isCancelled) return undefined;
  const reason = (error as TransactionCanceledException).CancellationReasons?.[index];
  if (reason?.Code !== 'ConditionalCheckFailed') return undefined;
  return rawItem(reason.Item);
}

/** Items carried by errors are not unmarshalled by the document client. */
function rawItem(item: Record<string, AttributeValue> | undefined): Record<string, unknown> | null {
  return item && Object.keys(item).length > 0 ? unmarshall(item) : null;
}
