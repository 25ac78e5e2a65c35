/**
 * The stream router's side of the local stack: the local SQS endpoint, one local queue per
 * queue-triggered function (FIFO or standard as declared, with its redrive policy ending in the
 * dead-letter sink), the router's `STREAM_ROUTES` pointing at them, and each feature's queue
 * poller. The router itself is a stream consumer like any other; the handlers reach the queues
 * through `AWS_ENDPOINT_URL_SQS`, as the CDK stack's reach SQS.
 */
import { streamRoutingOf, type QueueTrigger, type Topology } from '../topology';
import type { StreamRoute } from '../../shared/store/stream-routes';
import type { DeadLetterSink } from './dead-letters';
import type { LocalFunction } from './local-function';
import { QueuePoller } from './queue-poller';
import { LocalQueues, startSqsEndpoint, type SqsEndpoint } from './sqs-endpoint';
import { LocalQueue } from './sqs-queue';

export interface LocalStreamRoutingOptions {
  topology: Pick<Topology, 'functions'>;
  /** Prefixes the queue names, so stacks sharing a process do not share queues (the table name). */
  prefix: string;
  deadLetters: DeadLetterSink;
  region: string;
  log: (line: string) => void;
  /** A failed message comes back after its receive count × this (see queue-poller). */
  retryDelayMs?: number;
  /** How the feature is invoked; the function's own `invoke` by default. */
  invoke?: (fn: LocalFunction, event: unknown) => Promise<unknown>;
}

export interface LocalStreamRouting {
  /** For `AWS_ENDPOINT_URL_SQS`. */
  endpoint: string;
  /**
   * The router's `STREAM_ROUTES`, with the queues' URLs at `endpoint`: where the functions reach
   * SQS (the access guard), since the SDK sends to a queue URL's own host.
   */
  routesThrough(endpoint: string): StreamRoute[];
  /** Each routed feature's queue ARN, by feature: what the router may send to. */
  queueArns: ReadonlyMap<string, string>;
  queues: LocalQueues;
  /** Starts the SQS event source of a queue-triggered function; returns its poller. */
  wireFeature(fn: LocalFunction, trigger: QueueTrigger): QueuePoller;
  stop(): Promise<void>;
}

export async function startLocalStreamRouting(options: LocalStreamRoutingOptions): Promise<LocalStreamRouting> {
  const routing = streamRoutingOf(options.topology);
  const queues = new LocalQueues();
  const sqs: SqsEndpoint = await startSqsEndpoint(queues, { region: options.region });
  const pollers = new Map<string, QueuePoller>();
  const queueNames = new Map<string, string>();

  for (const { name, trigger } of routing?.features ?? []) {
    const queueName = `${`${options.prefix}-${name}`.replace(/[^A-Za-z0-9_-]/g, '-').slice(-75)}${trigger.fifo ? '.fifo' : ''}`;
    queueNames.set(name, queueName);
    queues.add(
      new LocalQueue({
        name: queueName,
        visibilityTimeoutSeconds: trigger.visibilityTimeoutSeconds,
        ...(trigger.fifo ? { deduplicationScope: 'messageGroup' as const } : {}),
        redrive: {
          maxReceiveCount: trigger.maxReceiveCount,
          deadLetter: async (message) => {
            const poller = pollers.get(name);
            const error = poller?.lastErrorOf(message.messageId) ?? 'received maxReceiveCount times';
            options.log(
              `${name} gave up on message ${message.messageId} after ${message.receiveCount} receives: ${error}`,
            );
            await options.deadLetters.write({
              source: 'queue',
              functionName: name,
              error,
              payload: poller?.toLambdaRecord(message) ?? message,
            });
          },
        },
      }),
    );
  }

  return {
    endpoint: sqs.endpoint,
    routesThrough: (endpoint) =>
      (routing?.features ?? []).map(({ name, trigger }) => ({
        feature: name,
        queueUrl: new URL(new URL(sqs.queueUrl(queueNames.get(name)!)).pathname, endpoint).href,
        filters: trigger.streamFilters,
      })),
    queueArns: new Map([...queueNames].map(([feature, queueName]) => [feature, sqs.queueArn(queueName)])),
    queues,
    wireFeature(fn, trigger) {
      const name = fn.declaration.name;
      const queueName = queueNames.get(name);
      if (!queueName) throw new Error(`${name} has a queue trigger but no route`);
      const poller = new QueuePoller({
        queue: queues.get(queueName)!,
        queueArn: sqs.queueArn(queueName),
        awsRegion: options.region,
        batchSize: trigger.batchSize,
        ...(trigger.maxBatchingWindowSeconds ? { maxBatchingWindowSeconds: trigger.maxBatchingWindowSeconds } : {}),
        invoke: (event) => (options.invoke ? options.invoke(fn, event) : fn.invoke(event)),
        ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
      });
      pollers.set(name, poller);
      poller.start();
      return poller;
    },
    async stop() {
      await Promise.all([...pollers.values()].map((poller) => poller.stop()));
      await Promise.all(queues.all().map((queue) => queue.deadLettersSettled()));
      await sqs.stop();
    },
  };
}
