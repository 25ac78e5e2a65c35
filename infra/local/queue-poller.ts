/**
 * Reads a local queue (`sqs-queue.ts`) and invokes a function the way Lambda's SQS event source
 * mapping does: Lambda-shaped SQS records, batches of up to `batchSize` (for standard queues
 * gathered over the batching window), partial batch responses (`batchItemFailures` names the
 * messages to keep; everything else is deleted), a thrown error or an invalid response keeping
 * the whole batch. Kept messages come back when their visibility ends and count a receive each
 * time, so the queue's redrive policy ends a poison message in the dead letters.
 *
 * One difference, for speed only: Lambda leaves a kept message invisible for the rest of the
 * queue's visibility timeout (minutes, six times the function's timeout); the local poller makes
 * it visible again after `receiveCount × retryDelayMs` (100 ms by default), as the stream poller
 * shortens Lambda's retry backoff. Order, receive counts and redrive are unchanged by it.
 * Batches are invoked one at a time per queue: FIFO groups gain nothing from more here, and the
 * handlers' per-module state (the correlation id) is not made for concurrent invocations.
 */
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import type { LocalQueue, QueueMessage } from './sqs-queue';
import type { PollerLogger } from './stream-poller';

export interface QueuePollerOptions {
  queue: LocalQueue;
  /** `eventSourceARN` of the records. */
  queueArn: string;
  awsRegion?: string;
  /** At most this many messages an invocation (Lambda: 10 for FIFO, up to 10,000 for standard with a window). */
  batchSize: number;
  /** Standard queues: how long to gather a batch that is not full. FIFO queues have none. */
  maxBatchingWindowSeconds?: number;
  /** Runs the handler; may resolve to an `SQSBatchResponse` to keep some messages. */
  invoke: (event: SQSEvent) => Promise<unknown>;
  /** A kept message is visible again after its receive count × this. Default 100 ms. */
  retryDelayMs?: number;
  logger?: PollerLogger;
}

/** The sender Lambda's records name for messages the local stack sent. */
const LOCAL_SENDER_ID = 'AIDALOCALSTACKSENDER';
/** How often `idle()` looks again. */
const IDLE_CHECK_MS = 10;

const quietLogger: PollerLogger = {
  debug: () => undefined,
  info: () => undefined,
  warn: (message, ...attributes) => console.warn(message, ...attributes),
  error: (message, ...attributes) => console.error(message, ...attributes),
};

/** One SQS event source mapping; see the file comment. */
export class QueuePoller {
  private readonly windowMs: number;
  private readonly retryDelayMs: number;
  private readonly logger: PollerLogger;
  private readonly lastErrors = new Map<string, string>();
  private running = false;
  private busy = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;

  constructor(private readonly options: QueuePollerOptions) {
    if (options.batchSize < 1) throw new Error(`batchSize must be at least 1, got ${options.batchSize}`);
    this.windowMs = (options.maxBatchingWindowSeconds ?? 0) * 1000;
    if (options.queue.fifo && this.windowMs > 0) throw new Error('Batching window is not supported for FIFO queues');
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.logger = options.logger ?? quietLogger;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops polling; waits for the batch in flight (its kept messages stay in the queue). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  /**
   * Resolves once the queue holds nothing (every message deleted or dead-lettered) and no
   * batch is in flight; rejects after `timeoutMs`. For tests and scripts.
   */
  async idle(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.running && (this.busy || !this.options.queue.isEmpty())) {
      if (Date.now() > deadline) {
        throw new Error(`Queue ${this.options.queue.name} not idle after ${timeoutMs} ms`);
      }
      await new Promise((resolve) => setTimeout(resolve, IDLE_CHECK_MS));
    }
  }

  /** The error of the message's latest failed invocation, for its dead letter. */
  lastErrorOf(messageId: string): string | undefined {
    return this.lastErrors.get(messageId);
  }

  /** The record Lambda would hand the function for this message. */
  toLambdaRecord(message: QueueMessage): SQSRecord {
    return {
      messageId: message.messageId,
      receiptHandle: message.receiptHandle ?? '',
      body: message.body,
      attributes: {
        ApproximateReceiveCount: String(message.receiveCount),
        SentTimestamp: String(message.sentAt),
        SenderId: LOCAL_SENDER_ID,
        ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
        ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
        ...(message.groupId ? { MessageGroupId: message.groupId } : {}),
        ...(message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
      },
      messageAttributes: {},
      md5OfBody: message.md5OfBody,
      eventSource: 'aws:sqs',
      eventSourceARN: this.options.queueArn,
      awsRegion: this.options.awsRegion ?? 'us-east-1',
    };
  }

  private async run(): Promise<void> {
    const { queue, batchSize } = this.options;
    while (this.running) {
      const ready = queue.receivable();
      if (ready === 0) {
        await this.pause();
        continue;
      }
      if (this.windowMs > 0 && ready < batchSize) {
        const left = (queue.oldestReceivableSince() ?? Date.now()) + this.windowMs - Date.now();
        if (left > 0) {
          await this.pause(left);
          continue;
        }
      }
      const messages = queue.receive(batchSize);
      if (messages.length === 0) continue;
      this.busy = true;
      try {
        await this.invokeBatch(messages);
      } catch (err) {
        this.logger.error('Queue batch handling failed', { queue: queue.name, error: describeError(err) });
      } finally {
        this.busy = false;
      }
    }
  }

  private async invokeBatch(messages: QueueMessage[]): Promise<void> {
    const { queue } = this.options;
    let kept: Set<string>;
    let error: string;
    try {
      const result = await this.options.invoke({ Records: messages.map((message) => this.toLambdaRecord(message)) });
      const reported = batchItemFailures(result);
      const ids = new Set(messages.map((message) => message.messageId));
      if (reported.some((id) => typeof id !== 'string' || !ids.has(id))) {
        // As Lambda: an identifier that is empty or not in the batch fails the whole batch.
        kept = ids;
        error = `Invalid batchItemFailures ${JSON.stringify(reported)}: not message ids of this batch`;
      } else {
        kept = new Set(reported as string[]);
        error = 'Reported in batchItemFailures';
      }
    } catch (err) {
      kept = new Set(messages.map((message) => message.messageId));
      error = describeError(err);
    }
    for (const message of messages) {
      const handle = message.receiptHandle!;
      try {
        if (kept.has(message.messageId)) {
          this.lastErrors.set(message.messageId, error);
          queue.changeVisibility(handle, message.receiveCount * this.retryDelayMs);
        } else {
          this.lastErrors.delete(message.messageId);
          queue.delete(handle);
        }
      } catch (err) {
        // The invocation outlived the visibility timeout: the message was (or will be) delivered
        // again, as on AWS, and this receive's handle no longer counts.
        this.logger.warn('Receipt handle no longer valid after the invocation', {
          queue: queue.name,
          messageId: message.messageId,
          error: describeError(err),
        });
      }
    }
    if (kept.size > 0) {
      this.logger.debug('Queue messages kept for another attempt', { queue: queue.name, kept: kept.size, error });
    }
  }

  /** Waits for a change of the queue, for a message to become visible again, `maxMs`, or stop(). */
  private pause(maxMs = Infinity): Promise<void> {
    if (!this.running) return Promise.resolve();
    const { queue } = this.options;
    return new Promise<void>((resolve) => {
      const next = queue.nextVisibleAt();
      let wait = Math.min(maxMs, next === undefined ? Infinity : Math.max(1, next - Date.now()));
      // A visibility that ended after the caller found nothing receivable ends no timer and
      // changes nothing in the queue: waiting for a change then would wait forever.
      if (maxMs === Infinity && queue.receivable() > 0) wait = 0;
      const timer = Number.isFinite(wait) ? setTimeout(done, wait) : undefined;
      const unsubscribe = queue.onChange(done);
      this.wake = done;
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }
}

function batchItemFailures(result: unknown): unknown[] {
  if (typeof result !== 'object' || result === null || !('batchItemFailures' in result)) return [];
  const failures = result.batchItemFailures;
  if (!Array.isArray(failures)) return [];
  return failures.map((f: unknown) =>
    typeof f === 'object' && f !== null ? (f as { itemIdentifier?: unknown }).itemIdentifier : undefined,
  );
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
