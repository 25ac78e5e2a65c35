/**
 * The table stream's readers (issue 11), reported by `npm run bench -- poll`:
 * - GetRecords calls per stream shard per second, computed from the event source mappings'
 *   polling rule (Lambda polls each shard of a DynamoDB stream four times a second per mapping),
 *   for the topology as it is and for the design it replaced (one mapping per stream feature);
 * - the latency the stream router adds, measured on the local stack: from the router's
 *   invocation holding a record to the feature's invocation holding it (`RouterProbe`);
 * - what forwarding costs per million records, from published list prices.
 */
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import type { TriggeredInvocation } from '../infra/local/local-stack';
import { streamRoutingOf, type Topology } from '../infra/topology';
import { matchesPattern } from '../shared/event-pattern';

/** Lambda polls each shard of a DynamoDB stream at a base rate of four times a second, per mapping. */
export const LAMBDA_POLLS_PER_SHARD_PER_SECOND = 4;
/** DynamoDB's advice: more readers per shard than this are throttled. */
export const READERS_PER_SHARD_ADVISED = 2;

export interface ReaderRates {
  mappings: number;
  getRecordsPerShardPerSecond: number;
}

/** Today's readers (stream mappings) and the design before the router (one mapping per feature). */
export function streamReaderRates(topology: Pick<Topology, 'functions'>): { before: ReaderRates; now: ReaderRates } {
  const onStream = topology.functions.filter((fn) => fn.trigger.kind === 'stream').length;
  const queueFed = streamRoutingOf(topology)?.features.length ?? 0;
  // Before the router, each queue-fed feature read the stream itself; the router's mapping did not exist.
  const before = onStream - (queueFed > 0 ? 1 : 0) + queueFed;
  return {
    before: { mappings: before, getRecordsPerShardPerSecond: before * LAMBDA_POLLS_PER_SHARD_PER_SECOND },
    now: { mappings: onStream, getRecordsPerShardPerSecond: onStream * LAMBDA_POLLS_PER_SHARD_PER_SECOND },
  };
}

interface Delivery {
  feature: string;
  /** Router invocation start → accepted by the queue (ms). */
  toQueue: number;
  /**
   * Accepted by the queue → the feature's invocation start, less any time the feature was busy
   * with its previous batch (which it would have been on the stream too) (ms).
   */
  inQueue: number;
}

/** Watches the local stack's stream and queue invocations (`onInvoke`) and pairs them by stream record. */
export class RouterProbe {
  private readonly routedAt = new Map<string, number>();
  private readonly deliveries: Delivery[] = [];
  private readonly routerBatches: number[] = [];
  /** Per feature: SendMessageBatch requests the router made (computed from its batches, ≤ 10 messages each). */
  private readonly sendRequests = new Map<string, number>();
  private readonly messagesSent = new Map<string, number>();
  private readonly consumerBatches = new Map<string, number[]>();
  /** When each feature's latest invocation ended: invocations of one queue run one at a time. */
  private readonly lastEndedAt = new Map<string, number>();
  private readonly routing;

  constructor(topology: Pick<Topology, 'functions'>) {
    const routing = streamRoutingOf(topology);
    if (!routing) throw new Error('The topology has no stream router');
    this.routing = routing;
  }

  readonly observe = (invocation: TriggeredInvocation): void => {
    const records = (invocation.event as { Records?: unknown[] }).Records ?? [];
    if (invocation.functionName === this.routing.router.name) {
      if (invocation.failed) return;
      this.routerBatches.push(records.length);
      const streamRecords = records as DynamoDBRecord[];
      for (const record of streamRecords) {
        if (record.eventID && !this.routedAt.has(record.eventID))
          this.routedAt.set(record.eventID, invocation.startedAt);
      }
      for (const { name, trigger } of this.routing.features) {
        const count = streamRecords.filter((r) => trigger.streamFilters.some((f) => matchesPattern(f, r))).length;
        this.messagesSent.set(name, (this.messagesSent.get(name) ?? 0) + count);
        this.sendRequests.set(name, (this.sendRequests.get(name) ?? 0) + Math.ceil(count / 10));
      }
      return;
    }
    const messages = records as SQSRecord[];
    if (messages[0]?.eventSource !== 'aws:sqs') return;
    const sizes = this.consumerBatches.get(invocation.functionName) ?? [];
    sizes.push(messages.length);
    this.consumerBatches.set(invocation.functionName, sizes);
    const freeSince = this.lastEndedAt.get(invocation.functionName) ?? 0;
    this.lastEndedAt.set(invocation.functionName, invocation.endedAt);
    for (const message of messages) {
      if (message.attributes.ApproximateReceiveCount !== '1') continue;
      const eventID = (JSON.parse(message.body) as DynamoDBRecord).eventID ?? '';
      const routedAt = this.routedAt.get(eventID);
      if (routedAt === undefined) continue;
      const sentAt = Number(message.attributes.SentTimestamp);
      this.deliveries.push({
        feature: invocation.functionName,
        toQueue: sentAt - routedAt,
        inQueue: invocation.startedAt - Math.max(sentAt, freeSince),
      });
    }
  };

  /** Latency percentiles per feature (with at least `minRecords` records), and the batching the run saw. */
  summary(minRecords = 5): {
    latency: Record<string, Record<string, number | string>>;
    recordsPerRouterInvocation: number;
    messagesPerSendRequest: Record<string, number>;
    messagesPerConsumerBatch: Record<string, number>;
  } {
    const latency: Record<string, Record<string, number | string>> = {};
    const measured = new Set<string>();
    const spread = (values: number[]) =>
      `${percentile(values, 50)} / ${percentile(values, 95)} / ${Math.max(...values)}`;
    for (const { name, trigger } of this.routing.features) {
      const own = this.deliveries.filter((d) => d.feature === name);
      if (own.length < minRecords) continue;
      measured.add(name);
      const windowed = (trigger.maxBatchingWindowSeconds ?? 0) > 0;
      latency[`${name} (${trigger.fifo ? 'FIFO' : 'standard'})`] = {
        records: own.length,
        'router → in the queue': spread(own.map((d) => d.toQueue)),
        'in the queue → feature invoked': windowed
          ? `its ${trigger.maxBatchingWindowSeconds} s window, as on the stream before`
          : spread(own.map((d) => d.inQueue)),
        'added by the router': spread(own.map((d) => d.toQueue + (windowed ? 0 : d.inQueue))),
      };
    }
    const mean = (values: readonly number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);
    return {
      latency,
      recordsPerRouterInvocation: mean(this.routerBatches),
      messagesPerSendRequest: Object.fromEntries(
        [...this.sendRequests]
          .filter(([name, n]) => n > 0 && measured.has(name))
          .map(([name, n]) => [name, this.messagesSent.get(name)! / n]),
      ),
      messagesPerConsumerBatch: Object.fromEntries(
        [...this.consumerBatches].filter(([name]) => measured.has(name)).map(([name, sizes]) => [name, mean(sizes)]),
      ),
    };
  }
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

/** us-east-1 list prices (USD) the routing cost is computed from, and when they were taken. */
export const ROUTING_PRICES = {
  asOf: 'us-east-1 list prices as published in 2025 (aws.amazon.com/sqs/pricing, aws.amazon.com/lambda/pricing)',
  sqsFifoPerMillionRequests: 0.5,
  sqsStandardPerMillionRequests: 0.4,
  /** SQS bills each 64 KB of a request's payload as one request. */
  sqsBilledChunkBytes: 64 * 1024,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
} as const;

/** Billed durations assumed for warm invocations at 256 MB (local timings say nothing about Lambda's). */
export const ROUTING_ASSUMED = { memoryGb: 0.25, routerMs: 40, consumerBatchMs: 100 } as const;

export interface RoutingBatching {
  recordsPerRouterInvocation: number;
  messagesPerSendRequest: number;
  messagesPerConsumerBatch: number;
  fifo: boolean;
}

/**
 * USD per million stream records forwarded to one feature, by line: the router's share of its
 * invocations and the queue's requests (SendMessageBatch, and the ReceiveMessage and
 * DeleteMessageBatch of Lambda's poller, one each per batch) — together what routing adds — and
 * the feature's own invocations at the queue's batching, which it paid before at its stream
 * batching. A record of up to ~6 KB keeps a 10-message request within one billed 64 KB chunk.
 */
export function routingCostPerMillionRecords(batching: RoutingBatching): Record<string, number> {
  const million = 1_000_000;
  const lambda = (invocations: number, ms: number) =>
    invocations * (ROUTING_PRICES.lambdaPerMillionRequests / million) +
    invocations * ROUTING_ASSUMED.memoryGb * (ms / 1000) * ROUTING_PRICES.lambdaArmPerGbSecond;
  const sqsPrice = batching.fifo
    ? ROUTING_PRICES.sqsFifoPerMillionRequests
    : ROUTING_PRICES.sqsStandardPerMillionRequests;
  const consumerBatches = million / batching.messagesPerConsumerBatch;
  const requests = million / batching.messagesPerSendRequest + 2 * consumerBatches;
  const router = lambda(million / batching.recordsPerRouterInvocation, ROUTING_ASSUMED.routerMs);
  const queue = requests * (sqsPrice / million);
  return {
    'router (Lambda)': router,
    'queue (SQS requests)': queue,
    'added by routing': router + queue,
    // Paid before too, at the feature's stream batch size; FIFO batches of at most 10 can mean more invocations.
    'feature invocations (Lambda)': lambda(consumerBatches, ROUTING_ASSUMED.consumerBatchMs),
  };
}
