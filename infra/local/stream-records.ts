/** Converting DynamoDB Streams API records into the shape Lambda hands to stream consumers. */
import type { _Record, AttributeValue as StreamAttributeValue } from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord, StreamRecord } from 'aws-lambda';

/** A stream record as Lambda delivers it: images in AttributeValue JSON, binaries in base64. */
export function toLambdaRecord(record: _Record, streamArn: string, awsRegion: string): DynamoDBRecord {
  const source = record.dynamodb ?? {};
  const dynamodb: StreamRecord = {
    ApproximateCreationDateTime:
      source.ApproximateCreationDateTime === undefined
        ? undefined
        : Math.floor(source.ApproximateCreationDateTime.getTime() / 1000),
    Keys: toLambdaImage(source.Keys),
    NewImage: toLambdaImage(source.NewImage),
    OldImage: toLambdaImage(source.OldImage),
    SequenceNumber: source.SequenceNumber,
    SizeBytes: source.SizeBytes,
    StreamViewType: source.StreamViewType,
  };
  const lambdaRecord: DynamoDBRecord = {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: record.eventSource ?? 'aws:dynamodb',
    awsRegion,
    dynamodb: withoutUndefined(dynamodb),
    eventSourceARN: streamArn,
  };
  // Only TTL deletions carry an identity (the DynamoDB service).
  if (record.userIdentity)
    lambdaRecord.userIdentity = { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  return lambdaRecord;
}

function toLambdaImage(
  image: Record<string, StreamAttributeValue> | undefined,
): Record<string, AttributeValue> | undefined {
  return image === undefined
    ? undefined
    : Object.fromEntries(Object.entries(image).map(([k, v]) => [k, toLambdaValue(v)]));
}

function toLambdaValue(value: StreamAttributeValue): AttributeValue {
  if (value.S !== undefined) return { S: value.S };
  if (value.N !== undefined) return { N: value.N };
  if (value.BOOL !== undefined) return { BOOL: value.BOOL };
  if (value.NULL !== undefined) return { NULL: value.NULL };
  if (value.B !== undefined) return { B: Buffer.from(value.B).toString('base64') };
  if (value.SS !== undefined) return { SS: value.SS };
  if (value.NS !== undefined) return { NS: value.NS };
  if (value.BS !== undefined) return { BS: value.BS.map((b) => Buffer.from(b).toString('base64')) };
  if (value.L !== undefined) return { L: value.L.map(toLambdaValue) };
  if (value.M !== undefined) return { M: toLambdaImage(value.M) ?? {} };
  // The Streams client deserializes an empty map, `{ "M": {} }`, into `{}`: nothing else is empty.
  if (Object.keys(value).length === 0) return { M: {} };
  throw new Error(`Unknown attribute value type: ${Object.keys(value).join(', ')}`);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
