import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';

/** An image as a table stream record carries it: `Keys`, `NewImage` or `OldImage`. */
export type StreamImage = NonNullable<DynamoDBRecord['dynamodb']>['NewImage'];

/**
 * A stream record's image as a plain item, or undefined when the record has none (an INSERT
 * has no old image, a REMOVE no new one). Untyped on purpose: an adapter reads it as untrusted,
 * or parses it with the schema of its item (see `parseStoredItem`). The cast is only between
 * `aws-lambda`'s and the SDK's types for the same attribute-value JSON.
 */
export function fromImage(image: StreamImage): Record<string, unknown> | undefined {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}
