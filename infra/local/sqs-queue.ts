/**
 * The local SQS: queues that keep Amazon SQS's delivery rules, for the stream router's feature
 * queues. No SQS emulator runs without Docker or a JVM of its own, and the stack needs only a
 * little of SQS, so this is the project's own, in process, like the local bus:
 * - FIFO queues deliver each message group in send order, with at most one batch of a group in
 *   flight: a group whose message was received is held until that message is deleted or
 *   becomes visible again. Standard queues deliver in send order, without groups.
 * - A received message is invisible for the visibility timeout; not deleted by then, it is
 *   delivered again. Each receive counts; a message received `maxReceiveCount` times and still
 *   not deleted is moved to the dead-letter target on its next receive (the redrive policy).
 * - FIFO deduplication: a message whose deduplication id was accepted in the last five minutes
 *   is acknowledged and dropped (per queue, or per message group in high-throughput mode).
 *   Content-based deduplication is not offered: the router always sends an id.
 * - The limits the router must respect: 10 messages a batch, 1 MiB a message and a batch, the
 *   characters SQS accepts in a body, and FIFO's required group and deduplication ids.
 * `infra/local/sqs-endpoint.ts` serves these queues over SQS's JSON protocol to the SDK client;
 * `infra/local/queue-poller.ts` reads them like Lambda's SQS event source mapping.
 */
import { createHash, randomUUID } from 'node:crypto';

/** SQS's largest message, and largest batch request: 1 MiB (since August 2025; 256 KB before). */
export const MAX_MESSAGE_BYTES = 1024 * 1024;
/** Messages one SendMessageBatch, ReceiveMessage or DeleteMessageBatch request may carry. */
export const MAX_BATCH_ENTRIES = 10;
/** How long a FIFO queue remembers a deduplication id. */
export const DEDUPLICATION_WINDOW_MS = 5 * 60 * 1000;

/** An SQS error, named as the JSON protocol names it (`QueueDoesNotExist`, `InvalidParameterValue`, …). */
export class SqsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The query-protocol code the SDK reads from `x-amzn-query-error`, where it differs. */
    readonly queryCode: string = code,
  ) {
    super(message);
    this.name = code;
  }
}

export interface LocalQueueOptions {
  /** Ends in `.fifo` exactly when the queue is FIFO, as SQS requires. */
  name: string;
  /** Default for receives that do not set their own. */
  visibilityTimeoutSeconds: number;
  /** FIFO only: `messageGroup` is SQS's high-throughput mode (ids are unique per group). */
  deduplicationScope?: 'queue' | 'messageGroup';
  /** Where a message goes once received `maxReceiveCount` times without being deleted. */
  redrive?: {
    maxReceiveCount: number;
    deadLetter: (message: QueueMessage) => Promise<void> | void;
  };
  /** Milliseconds since the epoch; tests pass their own clock. */
  now?: () => number;
}

/** One message to send, as a SendMessage(Batch) entry gives it. */
export interface OutgoingMessage {
  body: string;
  groupId?: string;
  deduplicationId?: string;
}

/** What a send answers for one message. */
export interface SentMessage {
  messageId: string;
  md5OfBody: string;
  sequenceNumber?: string;
}

/** A message in the queue, as a receive hands it out. */
export interface QueueMessage {
  messageId: string;
  body: string;
  md5OfBody: string;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  /** When the queue accepted it (ms). */
  sentAt: number;
  /** When it was first received (ms); undefined until then. */
  firstReceivedAt?: number;
  receiveCount: number;
  /** The handle of its latest receive; only that one deletes it or changes its visibility. */
  receiptHandle?: string;
}

interface Stored extends QueueMessage {
  /** Visible from this time on (ms); in flight while in the future. */
  visibleAt: number;
}

/** An SQS queue in memory; see the file comment. */
export class LocalQueue {
  readonly name: string;
  readonly fifo: boolean;
  readonly visibilityTimeoutSeconds: number;
  readonly maxReceiveCount: number | undefined;
  private readonly now: () => number;
  private readonly messages: Stored[] = [];
  private readonly deduplication = new Map<string, { sent: SentMessage; at: number }>();
  private readonly listeners = new Set<() => void>();
  private readonly deadLettering = new Set<Promise<void>>();
  private sequence = 0n;

  constructor(private readonly options: LocalQueueOptions) {
    this.name = options.name;
    this.fifo = options.name.endsWith('.fifo');
    if (!/^[A-Za-z0-9_-]{1,75}(\.fifo)?$/.test(options.name)) {
      throw new SqsError('InvalidParameterValue', `Queue name ${JSON.stringify(options.name)} is not valid`);
    }
    this.visibilityTimeoutSeconds = options.visibilityTimeoutSeconds;
    this.maxReceiveCount = options.redrive?.maxReceiveCount;
    this.now = options.now ?? Date.now;
  }

  /** Calls `listener` whenever messages may have become receivable (a send, a visibility change). */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * SendMessageBatch (and SendMessage, as a batch of one): validates each message on its own
   * and answers per message, in order, as SQS does; a request that breaks the batch limits
   * throws instead.
   */
  send(messages: readonly OutgoingMessage[]): Array<SentMessage | SqsError> {
    if (messages.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one entry');
    if (messages.length > MAX_BATCH_ENTRIES) {
      throw new SqsError(
        'TooManyEntriesInBatchRequest',
        `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}`,
      );
    }
    const total = messages.reduce((sum, m) => sum + Buffer.byteLength(m.body ?? '', 'utf8'), 0);
    if (total > MAX_MESSAGE_BYTES) {
      throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_MESSAGE_BYTES} bytes`);
    }
    this.forgetOldDeduplicationIds();
    const results = messages.map((message) => {
      try {
        return this.accept(message);
      } catch (error) {
        if (error instanceof SqsError) return error;
        throw error;
      }
    });
    this.changed();
    return results;
  }

  /**
   * ReceiveMessage without waiting: up to `max` visible messages, each made invisible for the
   * visibility timeout. FIFO: only groups with nothing in flight, each group's messages in
   * order. A visible message already received `maxReceiveCount` times is moved to the
   * dead-letter target instead of delivered.
   */
  receive(max: number, visibilityTimeoutSeconds = this.visibilityTimeoutSeconds): QueueMessage[] {
    const now = this.now();
    const held = new Set<string>();
    if (this.fifo) {
      for (const message of this.messages) if (message.visibleAt > now) held.add(message.groupId!);
    }
    const taken: QueueMessage[] = [];
    for (let i = 0; i < this.messages.length && taken.length < max; i++) {
      const message = this.messages[i]!;
      if (message.visibleAt > now) continue;
      if (this.fifo && held.has(message.groupId!)) continue;
      if (this.maxReceiveCount !== undefined && message.receiveCount >= this.maxReceiveCount) {
        this.messages.splice(i--, 1);
        this.moveToDeadLetters(message);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibilityTimeoutSeconds * 1000;
      message.receiptHandle = randomUUID();
      taken.push(snapshot(message));
    }
    return taken;
  }

  /** DeleteMessage: only the latest receive's handle is valid. */
  delete(receiptHandle: string): void {
    const index = this.messages.findIndex((m) => m.receiptHandle === receiptHandle);
    if (index === -1)
      throw new SqsError('ReceiptHandleIsInvalid', `The receipt handle "${receiptHandle}" is not valid`);
    this.messages.splice(index, 1);
    this.changed();
  }

  /** ChangeMessageVisibility, in milliseconds (SQS takes whole seconds; the local poller wants less). */
  changeVisibility(receiptHandle: string, visibleInMs: number): void {
    const message = this.messages.find((m) => m.receiptHandle === receiptHandle);
    if (!message) throw new SqsError('ReceiptHandleIsInvalid', `The receipt handle "${receiptHandle}" is not valid`);
    const now = this.now();
    if (message.visibleAt <= now) {
      throw new SqsError(
        'MessageNotInflight',
        'The message is not in flight',
        'AWS.SimpleQueueService.MessageNotInflight',
      );
    }
    message.visibleAt = now + Math.max(0, visibleInMs);
    this.changed();
  }

  /** ApproximateNumberOfMessages and ApproximateNumberOfMessagesNotVisible, exactly. */
  counts(): { visible: number; inFlight: number } {
    const now = this.now();
    const inFlight = this.messages.filter((m) => m.visibleAt > now).length;
    return { visible: this.messages.length - inFlight, inFlight };
  }

  /** How many messages a receive would hand out now (FIFO: from groups with nothing in flight). */
  receivable(): number {
    const now = this.now();
    const held = new Set(this.messages.filter((m) => m.visibleAt > now).map((m) => m.groupId));
    return this.messages.filter((m) => m.visibleAt <= now && !(this.fifo && held.has(m.groupId))).length;
  }

  /** When the earliest message in flight becomes visible again (ms), if any is in flight. */
  nextVisibleAt(): number | undefined {
    const now = this.now();
    const times = this.messages.filter((m) => m.visibleAt > now).map((m) => m.visibleAt);
    return times.length === 0 ? undefined : Math.min(...times);
  }

  /** Since when the oldest receivable message has been waiting (ms), for a batching window. */
  oldestReceivableSince(): number | undefined {
    const now = this.now();
    const waiting = this.messages.filter((m) => m.visibleAt <= now).map((m) => Math.max(m.sentAt, m.visibleAt));
    return waiting.length === 0 ? undefined : Math.min(...waiting);
  }

  /** No message at all, visible or in flight, and no move to the dead letters under way. */
  isEmpty(): boolean {
    return this.messages.length === 0 && this.deadLettering.size === 0;
  }

  /** Resolves once the dead-letter moves started so far are done. */
  async deadLettersSettled(): Promise<void> {
    while (this.deadLettering.size > 0) await Promise.allSettled([...this.deadLettering]);
  }

  private accept(message: OutgoingMessage): SentMessage {
    const body = message.body;
    if (typeof body !== 'string' || body.length === 0) {
      throw new SqsError('MissingParameter', 'The request must contain the parameter MessageBody.');
    }
    if (Buffer.byteLength(body, 'utf8') > MAX_MESSAGE_BYTES) {
      throw new SqsError(
        'InvalidParameterValue',
        `One or more parameters are invalid. Reason: Message must be shorter than ${MAX_MESSAGE_BYTES} bytes.`,
      );
    }
    if (!isValidBody(body)) {
      throw new SqsError(
        'InvalidMessageContents',
        'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF',
      );
    }
    if (!this.fifo) {
      if (message.deduplicationId !== undefined) {
        throw new SqsError(
          'InvalidParameterValue',
          'The request includes a parameter that is not valid for this queue type: MessageDeduplicationId',
        );
      }
      const sent = { messageId: randomUUID(), md5OfBody: md5(body) };
      this.messages.push({ ...sent, body, sentAt: this.now(), receiveCount: 0, visibleAt: 0 });
      return sent;
    }
    const { groupId, deduplicationId } = message;
    if (groupId === undefined) {
      throw new SqsError('MissingParameter', 'The request must contain the parameter MessageGroupId.');
    }
    if (deduplicationId === undefined) {
      throw new SqsError(
        'InvalidParameterValue',
        'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly',
      );
    }
    for (const [field, value] of [
      ['MessageGroupId', groupId],
      ['MessageDeduplicationId', deduplicationId],
    ] as const) {
      if (!/^[\x21-\x7e]{1,128}$/.test(value)) {
        throw new SqsError(
          'InvalidParameterValue',
          `Value ${JSON.stringify(value)} for parameter ${field} is invalid. Reason: 1 to 128 alphanumeric or punctuation characters.`,
        );
      }
    }
    const key =
      this.options.deduplicationScope === 'messageGroup' ? `${groupId}\u0000${deduplicationId}` : deduplicationId;
    const remembered = this.deduplication.get(key);
    if (remembered) return remembered.sent;
    const sent = {
      messageId: randomUUID(),
      md5OfBody: md5(body),
      sequenceNumber: String(++this.sequence).padStart(20, '0'),
    };
    const now = this.now();
    this.deduplication.set(key, { sent, at: now });
    this.messages.push({ ...sent, body, groupId, deduplicationId, sentAt: now, receiveCount: 0, visibleAt: 0 });
    return sent;
  }

  private forgetOldDeduplicationIds(): void {
    const cutoff = this.now() - DEDUPLICATION_WINDOW_MS;
    for (const [key, { at }] of this.deduplication) if (at <= cutoff) this.deduplication.delete(key);
  }

  private moveToDeadLetters(message: Stored): void {
    const deadLetter = this.options.redrive?.deadLetter;
    if (!deadLetter) return;
    const move = Promise.resolve()
      .then(() => deadLetter(snapshot(message)))
      .catch(() => undefined);
    this.deadLettering.add(move);
    void move.finally(() => this.deadLettering.delete(move));
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}

/** Hex MD5 of the body's UTF-8 bytes: what SQS answers as MD5OfMessageBody and the SDK checks. */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** #x9 | #xA | #xD | #x20–#xD7FF | #xE000–#xFFFD | #x10000–#x10FFFF, and no lone surrogates. */
function isValidBody(body: string): boolean {
  return !/[^\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/u.test(body);
}

function snapshot(message: Stored): QueueMessage {
  const { visibleAt: _visibleAt, ...copy } = message;
  return { ...copy };
}
