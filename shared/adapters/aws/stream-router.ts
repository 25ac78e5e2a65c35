/**
 * The stream router: the one event source mapping on the table's stream besides the vote
 * aggregator. It forwards each stream record, unchanged, to the queue of every feature whose
 * filters it matches, so each feature reads the stream through a queue of its own — its own
 * batching, retries, partial batch failures and dead letters — while DynamoDB sees two readers
 * per shard instead of one per feature.
 *
 * What it sends: the record as Lambda handed it (the message body, JSON), to FIFO queues with
 * the item's key as the message group (one item's changes stay in stream order; items do not
 * wait for each other) and a hash of (feature, eventID) as the deduplication id, so a record
 * forwarded again within SQS's five-minute window is not delivered twice. Standard queues
 * (a feature whose effects do not depend on order) get the record alone.
 *
 * How it fails: only when it cannot forward. It reports exactly the records it could not send
 * (and, to keep each item's order, every later record of the same item, which it does not send
 * either); Lambda then redelivers from the lowest of them, and what was sent already is dropped
 * by the queues' deduplication. When its first record cannot be sent it throws instead, so a
 * record that can never be sent (over SQS's 1 MiB) is isolated by bisection like any poison
 * record. A feature's failure never reaches the router: it happens later, in that feature's queue.
 */
import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord } from 'aws-lambda';
import { ENV, requireEnv } from '../../config';
import { assertValidPattern, matchesPattern, type EventPattern } from '../../event-pattern';
import { logger } from '../../observability/logger';
import type { StreamRoute } from '../../store/stream-routes';
import { deduplicationIdOf, messageBodyOf, messageGroupOf } from './stream-messages';

export type { StreamRoute };

/** SQS's largest message and largest batch request (1 MiB since August 2025). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Messages one SendMessageBatch may carry. */
export const MAX_BATCH_ENTRIES = 10;
/** SendMessageBatch requests in flight at once. */
const CONCURRENCY = 8;

/** The routes from the environment (`STREAM_ROUTES`); a malformed value fails at cold start. */
export function streamRoutesFromEnv(env: NodeJS.ProcessEnv = process.env): StreamRoute[] {
  const raw = requireEnv(ENV.streamRoutes, env);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error(`${ENV.streamRoutes} is not JSON`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) throw new Error(`${ENV.streamRoutes} must be a non-empty array`);
  return parsed.map((entry: unknown, index) => {
    const route = entry as Partial<StreamRoute> | null;
    if (
      typeof route?.feature !== 'string' ||
      typeof route.queueUrl !== 'string' ||
      !Array.isArray(route.filters) ||
      route.filters.length === 0
    ) {
      throw new Error(`${ENV.streamRoutes}[${index}] must have a feature, a queueUrl and filters`);
    }
    const filters = route.filters as EventPattern[];
    filters.forEach((filter) => assertValidPattern(filter));
    return { feature: route.feature, queueUrl: route.queueUrl, filters };
  });
}

interface Entry {
  /** The record's index in the batch. */
  record: number;
  route: StreamRoute;
  group: string;
  request: SendMessageBatchRequestEntry;
  bytes: number;
}

/** Forwards stream records to the features' queues; see the file comment. */
export class StreamRouter {
  constructor(
    private readonly sqs: SQSClient,
    private readonly routes: readonly StreamRoute[],
  ) {}

  /** Forwards the batch; the response names the records Lambda must deliver again. */
  async route(records: readonly DynamoDBRecord[]): Promise<DynamoDBBatchResponse> {
    const failed = new Set<number>();
    const byRoute = new Map<StreamRoute, Entry[]>(this.routes.map((route) => [route, []]));
    let unrouted = 0;
    records.forEach((record, index) => {
      const routes = this.routes.filter((route) => route.filters.some((filter) => matchesPattern(filter, record)));
      if (routes.length === 0) {
        unrouted++;
        return;
      }
      const body = messageBodyOf(record);
      const bytes = Buffer.byteLength(body, 'utf8');
      if (bytes > MAX_MESSAGE_BYTES) {
        logger.error('Stream record too large for a queue message; it cannot be forwarded', {
          eventID: record.eventID,
          bytes,
          features: routes.map((route) => route.feature),
        });
        failed.add(index);
        return;
      }
      const group = messageGroupOf(record);
      for (const route of routes) {
        const fifo = route.queueUrl.endsWith('.fifo');
        byRoute.get(route)!.push({
          record: index,
          route,
          group,
          bytes,
          request: {
            Id: '',
            MessageBody: body,
            ...(fifo
              ? { MessageGroupId: group, MessageDeduplicationId: deduplicationIdOf(route.feature, record) }
              : {}),
          },
        });
      }
    });

    await Promise.all([...byRoute].map(([route, entries]) => this.forward(route, entries, failed)));

    // Each item's order across redeliveries: a record after a failed one of the same item goes again too.
    const failedItems = new Set<string>();
    records.forEach((record, index) => {
      const item = messageGroupOf(record);
      if (failed.has(index)) failedItems.add(item);
      else if (failedItems.has(item)) failed.add(index);
    });
    const forwarded = [...byRoute.values()].flat().filter((entry) => !failed.has(entry.record));
    logger.info('Stream records forwarded', {
      records: records.length,
      unrouted,
      failed: failed.size,
      messages: Object.fromEntries(
        this.routes.map((route) => [route.feature, forwarded.filter((entry) => entry.route === route).length]),
      ),
    });
    if (failed.size === 0) return { batchItemFailures: [] };
    const reported = [...failed].sort((a, b) => a - b);
    if (reported[0] === 0) {
      // Nothing before it to checkpoint: fail the invocation, so bisection can isolate the record.
      throw new Error(`Could not forward ${failed.size} of ${records.length} stream records, the first among them`);
    }
    return {
      batchItemFailures: reported.map((index) => ({ itemIdentifier: records[index]!.dynamodb?.SequenceNumber ?? '' })),
    };
  }

  /**
   * Sends one feature's entries. FIFO: in waves — the first entry of every group, then the
   * second, … — so a group's messages leave in order and one request never holds two of them;
   * after a failure nothing later of that group is sent. Standard: all at once.
   */
  private async forward(route: StreamRoute, entries: readonly Entry[], failed: Set<number>): Promise<void> {
    if (entries.length === 0) return;
    if (!route.queueUrl.endsWith('.fifo')) {
      await this.send(route, entries, failed);
      return;
    }
    const waves: Entry[][] = [];
    const seen = new Map<string, number>();
    for (const entry of entries) {
      const wave = seen.get(entry.group) ?? 0;
      seen.set(entry.group, wave + 1);
      (waves[wave] ??= []).push(entry);
    }
    const failedGroups = new Set<string>();
    for (const wave of waves) {
      const ready = wave.filter((entry) => {
        if (failedGroups.has(entry.group) || failed.has(entry.record)) {
          failedGroups.add(entry.group);
          failed.add(entry.record);
          return false;
        }
        return true;
      });
      for (const entry of await this.send(route, ready, failed)) failedGroups.add(entry.group);
    }
  }

  /** Sends entries in requests of at most ten messages and 1 MiB; returns (and marks) those not sent. */
  private async send(route: StreamRoute, entries: readonly Entry[], failed: Set<number>): Promise<Entry[]> {
    const requests: Entry[][] = [];
    let current: Entry[] = [];
    let bytes = 0;
    for (const entry of entries) {
      if (current.length === MAX_BATCH_ENTRIES || (current.length > 0 && bytes + entry.bytes > MAX_MESSAGE_BYTES)) {
        requests.push(current);
        current = [];
        bytes = 0;
      }
      current.push(entry);
      bytes += entry.bytes;
    }
    if (current.length > 0) requests.push(current);

    const notSent: Entry[] = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < requests.length) {
        const request = requests[next++]!;
        for (const entry of await this.sendRequest(route, request)) {
          failed.add(entry.record);
          notSent.push(entry);
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, requests.length) }, worker));
    return notSent;
  }

  private async sendRequest(route: StreamRoute, request: readonly Entry[]): Promise<Entry[]> {
    try {
      const { Failed = [] } = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: route.queueUrl,
          Entries: request.map((entry, index) => ({ ...entry.request, Id: String(index) })),
        }),
      );
      if (Failed.length > 0) {
        logger.warn('Queue refused stream records; they will be forwarded again', {
          feature: route.feature,
          failed: Failed.map(({ Id, Code, Message }) => ({ id: Id, code: Code, message: Message })),
        });
      }
      return Failed.map(({ Id }) => request[Number(Id)]).filter((entry): entry is Entry => entry !== undefined);
    } catch (error) {
      logger.warn('Sending stream records to a queue failed; they will be forwarded again', {
        feature: route.feature,
        messages: request.length,
        error: error as Error,
      });
      return [...request];
    }
  }
}
