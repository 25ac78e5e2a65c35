/**
 * The poll's write schedule at rates the local engine cannot take, computed from unit costs the
 * benchmark measured. The batching is the topology's (batch size and window of both stream
 * consumers) and the grouping is the aggregator's own code (`votesByStory`); what is modelled is
 * only time: votes arrive evenly, spread over `shards` stream shards, each read one batch at a
 * time; a batch closes when full or when its window ends; handlers take no time.
 */
import { votesByStory, type StreamedVote } from '../shared/polls/vote-batches';

/** How a consumer is batched: its event source mapping's batch size and window (stream or queue). */
export interface Batching {
  batchSize: number;
  maxBatchingWindowSeconds?: number;
}

/** Write units measured per operation (AWS rules applied), and where they land. */
export interface UnitCosts {
  /** One recorded vote: the vote item, on its own partition key. */
  vote: number;
  /** One aggregation of a story's group: the marker and a tally shard, on the story's key. */
  group: number;
  /** One projection of a story's tally: counts and ranking items on the story's key... */
  projectionOnStoryKey: number;
  /** ...and on each ranking index key it writes. */
  projectionOnIndexKeys: number[];
}

export interface Schedule {
  votes: number;
  groups: number;
  projections: number;
  totalUnits: number;
  unitsPerVote: number;
  /** The most write units one partition key takes in one second, and which kind of key. */
  hottestKey: { key: string; unitsPerSecond: number };
  /** PollTallyUpdated events for the story in its busiest second. */
  maxEventsPerSecond: number;
  /** From the last vote to the last projection (the final exact tally and its event). */
  lagSeconds: number;
}

const STORY = '0123456789abcdef';

/**
 * Batches of one consumer: each closes when full or when its window since its first record ends
 * (without a window, with the records that arrived at the same moment).
 */
function batchTimes(arrivals: readonly number[], trigger: Batching): Array<{ closeAt: number; size: number }> {
  const batches: Array<{ closeAt: number; size: number }> = [];
  let i = 0;
  while (i < arrivals.length) {
    const window = trigger.maxBatchingWindowSeconds ?? 0;
    const windowEnd = arrivals[i]! + window;
    const joins = (at: number) => (window > 0 ? at < windowEnd : at === windowEnd);
    let j = i + 1;
    while (j < arrivals.length && j - i < trigger.batchSize && joins(arrivals[j]!)) j++;
    const full = j - i === trigger.batchSize;
    batches.push({ closeAt: full ? arrivals[j - 1]! : windowEnd, size: j - i });
    i = j;
  }
  return batches;
}

/** `rate` votes a second on one story for `seconds`, over `shards` stream shards. */
export function schedule(
  request: { rate: number; seconds: number; shards: number },
  aggregator: Batching,
  publisher: Batching,
  costs: UnitCosts,
): Schedule {
  const perShard = Math.round((request.rate * request.seconds) / request.shards);
  const votes = perShard * request.shards;
  const storyUnits = new Map<number, number>();
  const add = (map: Map<number, number>, at: number, units: number) =>
    map.set(Math.floor(at), (map.get(Math.floor(at)) ?? 0) + units);
  const tallyChanges: number[] = [];
  let groups = 0;
  let sequence = 0;
  let lastVoteAt = 0;
  for (let shard = 0; shard < request.shards; shard++) {
    const arrivals = Array.from(
      { length: perShard },
      (_, i) => (i + (shard + 1) / (request.shards + 1)) / (request.rate / request.shards),
    );
    lastVoteAt = Math.max(lastVoteAt, arrivals.at(-1) ?? 0);
    for (const batch of batchTimes(arrivals, aggregator)) {
      const records: StreamedVote[] = Array.from({ length: batch.size }, () => ({
        sequence: String(++sequence),
        eventId: `e${sequence}`,
        articleId: STORY,
        option: 'important',
      }));
      for (const _group of votesByStory(records)) {
        groups++;
        add(storyUnits, batch.closeAt, costs.group);
        tallyChanges.push(batch.closeAt);
      }
    }
  }
  tallyChanges.sort((a, b) => a - b);
  const projectionsAt = batchTimes(tallyChanges, publisher).map((batch) => batch.closeAt);
  const events = new Map<number, number>();
  for (const at of projectionsAt) {
    add(storyUnits, at, costs.projectionOnStoryKey);
    add(events, at, 1);
  }
  const projectionUnits = costs.projectionOnStoryKey + costs.projectionOnIndexKeys.reduce((a, b) => a + b, 0);
  const totalUnits = votes * costs.vote + groups * costs.group + projectionsAt.length * projectionUnits;
  const maxOf = (map: Map<number, number>) => Math.max(0, ...map.values());
  const candidates = [
    // Every vote has a key of its own (story and hashed reader), written once.
    { key: 'VOTE#<story>#<voter> (any one)', unitsPerSecond: costs.vote },
    { key: 'ARTICLE#<story> (tally shards, markers, counts, ranking items)', unitsPerSecond: maxOf(storyUnits) },
    // Each projection writes each of its index keys once.
    {
      key: 'gsi POLLTOP#<day>#<shard> or POLLTOP#ALL#<shard>',
      unitsPerSecond: maxOf(events) * Math.max(0, ...costs.projectionOnIndexKeys),
    },
  ];
  return {
    votes,
    groups,
    projections: projectionsAt.length,
    totalUnits,
    unitsPerVote: totalUnits / votes,
    hottestKey: candidates.reduce((a, b) => (b.unitsPerSecond > a.unitsPerSecond ? b : a)),
    maxEventsPerSecond: maxOf(events),
    lagSeconds: Math.max(...projectionsAt) - lastVoteAt,
  };
}

/** us-east-1 list prices (USD), as assumed by the cost table. */
export const PRICES = {
  httpApiPerMillionRequests: 1.0,
  lambdaPerMillionRequests: 0.2,
  lambdaArmPerGbSecond: 0.0000133334,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  eventBridgePerMillionEvents: 1.0,
} as const;

/** Billed durations assumed for warm invocations (the local engine's timings say nothing about Lambda's). */
export const ASSUMED = { voteMs: 30, aggregateBatchMs: 300, projectBatchMs: 150, memoryGb: 0.25 } as const;

export interface CostInputs {
  writeUnitsPerVote: number;
  readUnitsPerVote: number;
  /** Stream-consumer invocations and events per vote (zero for a design without them). */
  aggregatorInvocationsPerVote: number;
  publisherInvocationsPerVote: number;
  eventsPerVote: number;
}

/** USD per million votes, by line. */
export function costPerMillionVotes(inputs: CostInputs): Record<string, number> {
  const million = 1_000_000;
  const lambda = (invocations: number, ms: number) =>
    invocations * (PRICES.lambdaPerMillionRequests / million) +
    invocations * ASSUMED.memoryGb * (ms / 1000) * PRICES.lambdaArmPerGbSecond;
  const lines = {
    'HTTP API': PRICES.httpApiPerMillionRequests,
    'Lambda (vote)': lambda(million, ASSUMED.voteMs),
    'Lambda (stream consumers)':
      lambda(inputs.aggregatorInvocationsPerVote * million, ASSUMED.aggregateBatchMs) +
      lambda(inputs.publisherInvocationsPerVote * million, ASSUMED.projectBatchMs),
    'DynamoDB writes': inputs.writeUnitsPerVote * PRICES.dynamoPerMillionWriteUnits,
    'DynamoDB reads': inputs.readUnitsPerVote * PRICES.dynamoPerMillionReadUnits,
    EventBridge: inputs.eventsPerVote * PRICES.eventBridgePerMillionEvents,
  };
  return { ...lines, total: Object.values(lines).reduce((a, b) => a + b, 0) };
}
