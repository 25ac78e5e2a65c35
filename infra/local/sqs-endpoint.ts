/**
 * Serves the local queues (`sqs-queue.ts`) over SQS's JSON protocol — AWS JSON 1.0, the
 * operation in `X-Amz-Target: AmazonSQS.<Operation>` — which `@aws-sdk/client-sqs` speaks, so the
 * unmodified client reaches it through `AWS_ENDPOINT_URL_SQS`, as the handlers reach the local
 * EventBridge. Queue URLs are `<endpoint>/<account>/<name>`. The operations are the ones a
 * producer and a consumer use: SendMessage(Batch), ReceiveMessage (with long polling),
 * DeleteMessage(Batch), ChangeMessageVisibility, GetQueueUrl and GetQueueAttributes; queues are
 * created by the local stack, not over the wire. Signatures are not checked: it listens on the
 * loopback interface only.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './listen';
import { MAX_BATCH_ENTRIES, SqsError, type LocalQueue, type QueueMessage } from './sqs-queue';
import { readRequestBody } from './request-body';

export const LOCAL_ACCOUNT = '000000000000';

/** The local stack's queues by name. */
export class LocalQueues {
  private readonly byName = new Map<string, LocalQueue>();

  add(queue: LocalQueue): LocalQueue {
    if (this.byName.has(queue.name)) throw new Error(`Queue ${queue.name} exists already`);
    this.byName.set(queue.name, queue);
    return queue;
  }

  get(name: string): LocalQueue | undefined {
    return this.byName.get(name);
  }

  all(): LocalQueue[] {
    return [...this.byName.values()];
  }
}

export interface SqsEndpointOptions {
  /** 0 or omitted picks a free port. */
  port?: number;
  host?: string;
  region?: string;
}

export interface SqsEndpoint {
  /** `http://host:port`, for `SQSClient({ endpoint })` or `AWS_ENDPOINT_URL_SQS`. */
  endpoint: string;
  queueUrl(name: string): string;
  queueArn(name: string): string;
  stop(): Promise<void>;
}

const CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AmazonSQS.';
/** Longest long poll SQS allows. */
const MAX_WAIT_SECONDS = 20;
/** Generous beside SQS's 1 MiB batches; only guards against runaway bodies. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** The sender SQS reports for messages sent with the local credentials. */
const LOCAL_SENDER_ID = 'AIDALOCALSTACKSENDER';

type Json = Record<string, unknown>;

export async function startSqsEndpoint(queues: LocalQueues, options: SqsEndpointOptions = {}): Promise<SqsEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const region = options.region ?? 'us-east-1';
  const server = createServer((request, response) => {
    handle(queues, request, response).catch((err: unknown) => {
      if (err instanceof SqsError) sendError(response, err);
      else sendError(response, new SqsError('InternalError', err instanceof Error ? err.message : String(err)), 500);
    });
  });
  const { endpoint, stop } = await listenLocally(server, { host, port: options.port ?? 0 });
  return {
    endpoint,
    queueUrl: (name) => `${endpoint}/${LOCAL_ACCOUNT}/${name}`,
    queueArn: (name) => `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${name}`,
    stop,
  };

  async function handle(registry: LocalQueues, request: IncomingMessage, response: ServerResponse): Promise<void> {
    const target = String(request.headers['x-amz-target'] ?? '');
    const text = await readRequestBody(request, MAX_BODY_BYTES);
    if (text === undefined) throw new SqsError('InvalidParameterValue', 'Request body too large');
    let input: Json;
    try {
      const parsed: unknown = JSON.parse(text.length > 0 ? text : '{}');
      input = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Json) : {};
    } catch {
      throw new SqsError('SerializationException', 'Request body is not valid JSON');
    }
    const operation =
      request.method === 'POST' && target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : '';
    const queueOf = (): LocalQueue => {
      const url = stringField(input, 'QueueUrl');
      const queue = registry.get(url.split('/').pop() ?? '');
      if (!queue)
        throw new SqsError(
          'QueueDoesNotExist',
          'The specified queue does not exist.',
          'AWS.SimpleQueueService.NonExistentQueue',
        );
      return queue;
    };
    switch (operation) {
      case 'GetQueueUrl': {
        const name = stringField(input, 'QueueName');
        if (!registry.get(name)) {
          throw new SqsError(
            'QueueDoesNotExist',
            'The specified queue does not exist.',
            'AWS.SimpleQueueService.NonExistentQueue',
          );
        }
        return send(response, { QueueUrl: `${endpoint}/${LOCAL_ACCOUNT}/${name}` });
      }
      case 'GetQueueAttributes': {
        const queue = queueOf();
        const counts = queue.counts();
        const all: Record<string, string> = {
          QueueArn: `arn:aws:sqs:${region}:${LOCAL_ACCOUNT}:${queue.name}`,
          ApproximateNumberOfMessages: String(counts.visible),
          ApproximateNumberOfMessagesNotVisible: String(counts.inFlight),
          VisibilityTimeout: String(queue.visibilityTimeoutSeconds),
          FifoQueue: String(queue.fifo),
          ...(queue.fifo ? { ContentBasedDeduplication: 'false' } : {}),
          ...(queue.maxReceiveCount !== undefined
            ? { RedrivePolicy: JSON.stringify({ maxReceiveCount: queue.maxReceiveCount }) }
            : {}),
        };
        const names = stringList(input.AttributeNames);
        const wanted = names.includes('All') ? Object.keys(all) : names;
        return send(response, {
          Attributes: Object.fromEntries(wanted.filter((n) => n in all).map((n) => [n, all[n]])),
        });
      }
      case 'SendMessage': {
        const queue = queueOf();
        const [result] = queue.send([outgoing(input)]);
        if (result instanceof SqsError) throw result;
        return send(response, {
          MessageId: result!.messageId,
          MD5OfMessageBody: result!.md5OfBody,
          ...(result!.sequenceNumber ? { SequenceNumber: result!.sequenceNumber } : {}),
        });
      }
      case 'SendMessageBatch': {
        const queue = queueOf();
        const entries = batchEntries(input);
        const results = queue.send(entries.map(outgoing));
        const Successful: Json[] = [];
        const Failed: Json[] = [];
        results.forEach((result, i) => {
          const Id = entries[i]!.Id;
          if (result instanceof SqsError)
            Failed.push({ Id, SenderFault: true, Code: result.code, Message: result.message });
          else {
            Successful.push({
              Id,
              MessageId: result.messageId,
              MD5OfMessageBody: result.md5OfBody,
              ...(result.sequenceNumber ? { SequenceNumber: result.sequenceNumber } : {}),
            });
          }
        });
        return send(response, { Successful, Failed });
      }
      case 'ReceiveMessage': {
        const queue = queueOf();
        const max = integerField(input, 'MaxNumberOfMessages', 1, 1, MAX_BATCH_ENTRIES);
        const visibility = integerField(input, 'VisibilityTimeout', queue.visibilityTimeoutSeconds, 0, 43_200);
        const waitSeconds = integerField(input, 'WaitTimeSeconds', 0, 0, MAX_WAIT_SECONDS);
        const wanted = [...stringList(input.AttributeNames), ...stringList(input.MessageSystemAttributeNames)];
        const messages = await receiveWaiting(queue, max, visibility, waitSeconds * 1000);
        return send(response, { Messages: messages.map((message) => wireMessage(message, wanted)) });
      }
      case 'DeleteMessage':
        queueOf().delete(stringField(input, 'ReceiptHandle'));
        return send(response, {});
      case 'DeleteMessageBatch': {
        const queue = queueOf();
        const Successful: Json[] = [];
        const Failed: Json[] = [];
        for (const entry of batchEntries(input)) {
          try {
            queue.delete(stringField(entry, 'ReceiptHandle'));
            Successful.push({ Id: entry.Id });
          } catch (error) {
            if (!(error instanceof SqsError)) throw error;
            Failed.push({ Id: entry.Id, SenderFault: true, Code: error.code, Message: error.message });
          }
        }
        return send(response, { Successful, Failed });
      }
      case 'ChangeMessageVisibility': {
        const seconds = integerField(input, 'VisibilityTimeout', 0, 0, 43_200);
        queueOf().changeVisibility(stringField(input, 'ReceiptHandle'), seconds * 1000);
        return send(response, {});
      }
      default:
        throw new SqsError(
          'UnsupportedOperation',
          `Operation ${JSON.stringify(target)} is not supported by the local SQS`,
        );
    }
  }
}

/** Receives at once, or waits up to `waitMs` for a message to become receivable (long polling). */
async function receiveWaiting(
  queue: LocalQueue,
  max: number,
  visibility: number,
  waitMs: number,
): Promise<QueueMessage[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const messages = queue.receive(max, visibility);
    const left = deadline - Date.now();
    if (messages.length > 0 || left <= 0) return messages;
    await new Promise<void>((resolve) => {
      const next = queue.nextVisibleAt();
      const timer = setTimeout(done, Math.max(1, Math.min(left, next === undefined ? left : next - Date.now())));
      const unsubscribe = queue.onChange(done);
      function done(): void {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
  }
}

function wireMessage(message: QueueMessage, wanted: readonly string[]): Json {
  const all: Record<string, string | undefined> = {
    SenderId: LOCAL_SENDER_ID,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    SequenceNumber: message.sequenceNumber,
    MessageGroupId: message.groupId,
    MessageDeduplicationId: message.deduplicationId,
  };
  const names = wanted.includes('All') ? Object.keys(all) : wanted;
  const attributes = Object.fromEntries(names.flatMap((name) => (all[name] === undefined ? [] : [[name, all[name]]])));
  return {
    MessageId: message.messageId,
    ReceiptHandle: message.receiptHandle,
    MD5OfBody: message.md5OfBody,
    Body: message.body,
    ...(Object.keys(attributes).length > 0 ? { Attributes: attributes } : {}),
  };
}

function outgoing(entry: Json): { body: string; groupId?: string; deduplicationId?: string } {
  if (entry.DelaySeconds !== undefined && entry.DelaySeconds !== 0) {
    throw new SqsError('InvalidParameterValue', 'DelaySeconds is not supported by the local SQS');
  }
  return {
    body: typeof entry.MessageBody === 'string' ? entry.MessageBody : '',
    ...(typeof entry.MessageGroupId === 'string' ? { groupId: entry.MessageGroupId } : {}),
    ...(typeof entry.MessageDeduplicationId === 'string' ? { deduplicationId: entry.MessageDeduplicationId } : {}),
  };
}

/** The entries of a batch request, checked as SQS checks them before looking at any entry. */
function batchEntries(input: Json): Array<Json & { Id: string }> {
  const entries = input.Entries;
  if (!Array.isArray(entries) || entries.length === 0) {
    throw new SqsError(
      'EmptyBatchRequest',
      'There should be at least one SendMessageBatchRequestEntry in the request.',
      'AWS.SimpleQueueService.EmptyBatchRequest',
    );
  }
  if (entries.length > MAX_BATCH_ENTRIES) {
    throw new SqsError(
      'TooManyEntriesInBatchRequest',
      `Maximum number of entries per request are ${MAX_BATCH_ENTRIES}.`,
      'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    );
  }
  const ids = new Set<string>();
  for (const entry of entries as Json[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,80}$/.test(id)) {
      throw new SqsError(
        'InvalidBatchEntryId',
        'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.',
        'AWS.SimpleQueueService.InvalidBatchEntryId',
      );
    }
    if (ids.has(id)) {
      throw new SqsError(
        'BatchEntryIdsNotDistinct',
        `Id ${id} repeated.`,
        'AWS.SimpleQueueService.BatchEntryIdsNotDistinct',
      );
    }
    ids.add(id);
  }
  return entries as Array<Json & { Id: string }>;
}

function stringField(input: Json, name: string): string {
  const value = input[name];
  if (typeof value !== 'string' || value === '') {
    throw new SqsError('MissingParameter', `The request must contain the parameter ${name}.`);
  }
  return value;
}

function integerField(input: Json, name: string, fallback: number, min: number, max: number): number {
  const value = input[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new SqsError(
      'InvalidParameterValue',
      `Value ${JSON.stringify(value)} for parameter ${name} is invalid. Reason: must be between ${min} and ${max}.`,
    );
  }
  return value;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function send(response: ServerResponse, body: Json, status = 200, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(text);
}

/** The SDK names the error from `__type`; `x-amzn-query-error` carries the query protocol's code. */
function sendError(response: ServerResponse, error: SqsError, status = 400): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  send(response, { __type: `com.amazonaws.sqs#${error.code}`, message: error.message }, status, {
    'x-amzn-query-error': `${error.queryCode};${status >= 500 ? 'Receiver' : 'Sender'}`,
  });
}
