/**
 * How the stream router writes a table stream record as a queue message, for FIFO queues with
 * one message group per item: the group, the deduplication id and the body. Apart from the
 * router so a test or tool can build the same messages without loading the router.
 */
import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import { TABLE_KEYS } from '../../store/table-design';

/** The message group of a record: its item's key, as SQS allows it (1–128 printable ASCII characters). */
export function messageGroupOf(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys ?? {};
  const key = [TABLE_KEYS.partitionKey, TABLE_KEYS.sortKey]
    .map((name) => keys[name]?.S ?? keys[name]?.N ?? '')
    .join('|');
  return /^[\x21-\x7e]{1,128}$/.test(key) ? key : `sha256:${sha256(JSON.stringify(keys))}`;
}

/** The deduplication id of a record for a feature: the same on every forwarding of it. */
export function deduplicationIdOf(feature: string, record: DynamoDBRecord): string {
  return sha256(`${feature}\n${record.eventID ?? record.dynamodb?.SequenceNumber ?? ''}`);
}

/**
 * The record as a message body: its JSON, with the two characters SQS refuses that JSON does
 * not escape (U+FFFE, U+FFFF, possible only inside strings) written as escapes. It parses back
 * to the same record.
 */
export function messageBodyOf(record: DynamoDBRecord): string {
  return JSON.stringify(record).replace(/[\ufffe\uffff]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16)}`);
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
