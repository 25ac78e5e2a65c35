import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { unmarshall } from '@aws-sdk/util-dynamodb';

/** What a test compares before and after to prove nothing was written. */
export interface StoreSnapshot {
  /** One SHA-256 per item over every attribute, in a canonical order; sorted. */
  items: string[];
  /** One SHA-256 per object over its key, size and ETag; sorted. */
  objects: string[];
  /** Lines in the local bus's events.jsonl. */
  events: number;
}

/** How many items and objects were added, removed or changed, and events published, between two snapshots. */
export interface StoreChanges {
  items: number;
  objects: number;
  events: number;
  total: number;
}

/** Reads the whole table, bucket and event log; meant for the small data sets of e2e tests. */
export async function snapshotStore(target: {
  dynamo: DynamoDBClient;
  table: string;
  s3: S3Client;
  bucket: string;
  eventsLog: string;
}): Promise<StoreSnapshot> {
  const items = (await scanTable(target.dynamo, target.table)).map((item) => sha256(canonicalJson(item)));

  const objects: string[] = [];
  let token: string | undefined;
  do {
    const page = await target.s3.send(new ListObjectsV2Command({ Bucket: target.bucket, ContinuationToken: token }));
    for (const object of page.Contents ?? [])
      objects.push(sha256(`${object.Key}\u0000${object.Size}\u0000${object.ETag}`));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);

  const events = (await readFile(target.eventsLog, 'utf8').catch(() => '')).split('\n').filter(Boolean).length;
  return { items: items.sort(), objects: objects.sort(), events };
}

/**
 * Every item of the table as canonical JSON (attributes sorted at every level), sorted: equal
 * lists mean nothing was written, and a test can look for an item by its text.
 */
export async function tableItemsAsJson(dynamo: DynamoDBClient, table: string): Promise<string[]> {
  return (await scanTable(dynamo, table)).map((item) => canonicalJson(unmarshall(item))).sort();
}

async function scanTable(dynamo: DynamoDBClient, table: string): Promise<Array<Record<string, AttributeValue>>> {
  const items: Array<Record<string, AttributeValue>> = [];
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await dynamo.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: startKey, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return items;
}

/** A changed item counts once as removed (old version) and once as added (new version). */
export function storeChanges(before: StoreSnapshot, after: StoreSnapshot): StoreChanges {
  const items = symmetricDifference(before.items, after.items);
  const objects = symmetricDifference(before.objects, after.objects);
  const events = Math.abs(after.events - before.events);
  return { items, objects, events, total: items + objects + events };
}

function symmetricDifference(a: readonly string[], b: readonly string[]): number {
  const left = new Set(a);
  const right = new Set(b);
  return [...left].filter((x) => !right.has(x)).length + [...right].filter((x) => !left.has(x)).length;
}

/** JSON with object keys sorted at every level, so equal items always give equal text. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value instanceof Uint8Array) return JSON.stringify(Buffer.from(value).toString('base64'));
  if (value instanceof Set) return canonicalJson([...value].sort());
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
