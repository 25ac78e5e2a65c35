/**
 * `npm run bench -- poll`: what a vote costs and how hot any key gets, measured on the local stack.
 *
 * 1. Measured: the local stack runs in this process (rate limits off) on its own DynamoDB Local;
 *    votes for one story page are sent over HTTP as fast as the engine takes them for
 *    BENCH_POLL_SECONDS (10). Every DynamoDB call of every handler is counted with
 *    ReturnConsumedCapacity, as the stack's access guard forwards it (the handlers run in
 *    isolates of their own; see capacity-meter.ts, also for where AWS bills differently).
 * 2. Computed: DynamoDB Local takes a few hundred writes a second from one process, far from
 *    1,000 or 10,000 votes a second, so those rates are computed from the unit costs measured in
 *    1 with the real batching and grouping (poll-model.ts), over a stated number of stream shards.
 * 3. The naive design — the vote and a per-story counter in one transaction — measured the same way.
 * 4. The table stream's readers (issue 11): GetRecords calls per shard per second now and before
 *    the stream router, the latency the router adds (measured on the tally changes of 1 and on
 *    comments posted afterwards) and what forwarding costs per million records (stream-readers.ts).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { ingestFiles, type FileOutcome } from '../infra/cli/ingest-files';
import { DynamoPollStore } from '../shared/adapters/polls/dynamo-poll-store';
import { issueReaderToken, readerTokenKeysFrom, verifyReaderToken } from '../shared/identity/reader-token';
import { startDynamoDbLocal } from '../infra/local/engines/dynamodb-local';
import { localClientConfig, localS3ClientConfig } from '../infra/local/engines/local-clients';
import { REPO_ROOT, startLocalStack } from '../infra/local/local-stack';
import { topology } from '../infra/topology';
import { BAN_LIST_KEY } from '../shared/store/reader-ban-keys';
import { CapacityMeter, unitsPerKeyPerSecond, type MeteredCall } from './capacity-meter';
import { grouped } from './charts/bar-chart';
import { writeChart } from './charts/chart-files';
import {
  ASSUMED,
  costPerMillionVotes,
  PRICES,
  schedule,
  type Batching,
  type Schedule,
  type UnitCosts,
} from './poll-model';
import {
  LAMBDA_POLLS_PER_SHARD_PER_SECOND,
  READERS_PER_SHARD_ADVISED,
  RouterProbe,
  ROUTING_ASSUMED,
  ROUTING_PRICES,
  routingCostPerMillionRecords,
  streamReaderRates,
} from './stream-readers';

// An original story page with a default-reaction poll (the seed page is not in the repository).
const STORY = resolve(REPO_ROOT, 'test', 'fixtures', 'stories', 'gull-point-lighthouse-logbooks.txt');
const OPTIONS = ['important', 'interesting', 'encouraging', 'sad', 'scary', 'infuriating', 'silly'];
/** Comments posted for the router's latency to a FIFO feature. */
const COMMENTS = 60;

type Kind = 'vote' | 'vote read' | 'aggregate' | 'project' | 'project read' | 'other';

function kindOf(call: MeteredCall): Kind {
  const input = call.input;
  if (call.command === 'PutCommand' && String(input.Item?.pk).startsWith('VOTE#')) return 'vote';
  if (
    call.command === 'TransactWriteCommand' &&
    String(input.TransactItems?.[0]?.Put?.Item?.sk).startsWith('POLL#APPLIED#')
  )
    return 'aggregate';
  if (call.command === 'PutCommand' && String(input.Item?.sk).startsWith('POLL#RANK#')) return 'project';
  if (call.command === 'UpdateCommand' && String(input.UpdateExpression).includes('pollVersion')) return 'project';
  // The list of bans every reader write reads (eventually consistent, at most once a second per
  // function instance); editors read it strongly consistent.
  if (call.command === 'GetCommand' && input.Key?.pk === BAN_LIST_KEY.pk && input.Key?.sk === BAN_LIST_KEY.sk) {
    return input.ConsistentRead ? 'other' : 'vote read';
  }
  if (call.command === 'BatchGetCommand') {
    const keys = Object.values(
      input.RequestItems as Record<string, { Keys: Array<{ sk: string }>; ConsistentRead?: boolean }>,
    )[0]!;
    if (keys.Keys.some((key) => key.sk === 'POLL')) return keys.ConsistentRead ? 'project read' : 'vote read';
  }
  return 'other';
}

const sum = (calls: readonly MeteredCall[], pick: (c: MeteredCall) => number) =>
  calls.reduce((total, call) => total + pick(call), 0);
const writeUnits = (call: MeteredCall) =>
  call.writeUnits + Object.values(call.indexWriteUnits).reduce((a, b) => a + b, 0);
const fixed = (value: number, digits = 3) => Number(value.toFixed(digits));

export async function benchPoll(options: { seconds: number; concurrency: number }): Promise<void> {
  const meter = new CapacityMeter();
  meter.install();
  process.env.RATE_LIMITS = 'off';
  const dataDir = await mkdtemp(join(tmpdir(), 'newsroom-bench-poll-'));
  const dynamo = await startDynamoDbLocal({});
  const probe = new RouterProbe(topology);
  // Streams are polled four times a second, as Lambda does: every consumer's polls load the same engine.
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    pollIntervalMs: 250,
    handlerLogLevel: 'ERROR',
    observeDynamoDb: (call) => meter.recordObserved(call),
    onInvoke: probe.observe,
  });
  try {
    const api = stack.endpoints.api;
    const s3 = new S3Client(localS3ClientConfig(stack.endpoints.s3));
    const [outcome] = await ingestFiles({
      s3,
      bucket: stack.endpoints.bucket,
      files: [STORY],
      timeoutMs: 30_000,
      pollMs: 50,
    });
    const storyId = (outcome as Extract<FileOutcome, { status: 'ingested' }>).articleId;
    await fetch(`${api}/articles/${storyId}/poll`); // defines the poll, as the story page would
    await stack.idle();
    meter.reset();

    const pollStore = new DynamoPollStore(
      DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(dynamo.endpoint)), {
        marshallOptions: { removeUndefinedValues: true },
      }),
      stack.endpoints.table,
    );
    const eventsPath = join(dataDir, 'events.jsonl');
    const phase = async (name: string, vote: (n: number) => Promise<void>, alreadyCounted: number): Promise<Phase> => {
      console.log(`${name}: voting for ${options.seconds} s, ${options.concurrency} at a time…`);
      meter.reset();
      const started = Date.now();
      const deadline = started + options.seconds * 1000;
      let sent = 0;
      let lastVoteAt = started;
      await Promise.all(
        Array.from({ length: options.concurrency }, async () => {
          while (Date.now() < deadline) {
            await vote(alreadyCounted + sent++);
            lastVoteAt = Date.now();
          }
        }),
      );
      const total = alreadyCounted + sent;
      const tallyLag = await waitFor(async () => {
        const reply = await fetch(`${api}/articles/${storyId}/poll`);
        return ((await reply.json()) as { totalVotes: number }).totalVotes === total;
      }, lastVoteAt);
      const eventLag = await waitFor(
        async () => (await tallyEvents(eventsPath, storyId)).some((event) => event.detail.totalVotes === total),
        lastVoteAt,
      );
      await stack.idle();
      const events = (await tallyEvents(eventsPath, storyId)).filter(
        (event) => Date.parse(event.time) >= Math.floor(started / 1000) * 1000,
      );
      return {
        name,
        calls: [...meter.calls],
        votes: sent,
        seconds: (lastVoteAt - started) / 1000,
        lastVoteAt,
        tallyLag,
        eventLag,
        events,
      };
    };

    // Readers' tokens are signed here with the stack's own key, as POST /readers/anonymous would
    // sign them: minting is its own path, and the vote path is what this measures.
    const readerKeys = readerTokenKeysFrom(
      JSON.stringify({ current: (await readFile(join(dataDir, 'reader-token-key'), 'utf8')).trim() }),
      new Date(),
    );
    const readerToken = async (n: number) =>
      (
        await issueReaderToken(readerKeys, {
          readerId: `bench-reader-${n.toString().padStart(7, '0')}`,
          now: new Date(),
          ttlDays: 1,
        })
      ).token;

    // 1a. The whole vote path: HTTP API, handler (token verified), results read and vote record.
    const overHttp = await phase(
      'over HTTP',
      async (n) => {
        const reply = await fetch(`${api}/articles/${storyId}/poll/votes`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${await readerToken(n)}` },
          body: JSON.stringify({ option: OPTIONS[n % OPTIONS.length] }),
        });
        await reply.arrayBuffer();
        if (reply.status !== 201) throw new Error(`Vote ${n} answered ${reply.status}`);
      },
      0,
    );
    // 1b. Only the vote record, written by the same adapter: the engine takes about twice as many.
    const direct = await phase(
      'vote records only',
      async (n) => {
        const outcome = await pollStore.record({
          articleId: storyId,
          voterHash: `bench-voter-${n}`,
          option: OPTIONS[n % OPTIONS.length]!,
          votedAt: new Date().toISOString(),
        });
        if (!outcome.recorded) throw new Error(`Vote ${n} was not recorded`);
      },
      overHttp.votes,
    );

    // 3. The naive design on the same engine: vote and counter in one transaction per vote.
    meter.reset();
    const naive = await naiveVotes(dynamo.endpoint, stack.endpoints.table, 300, options.concurrency);

    // 4. Comments, for the router's latency to a FIFO feature (the votes gave the standard one's).
    console.log(`comments: posting ${COMMENTS} over HTTP, 4 at a time…`);
    let posted = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (posted < COMMENTS) {
          const n = posted++;
          const reply = await fetch(`${api}/articles/${storyId}/comments`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              authorization: `Bearer ${await readerToken(1_000_000 + n)}`,
            },
            body: JSON.stringify({ author: `Reader ${n}`, body: `Comment number ${n} on the logbooks.` }),
          });
          await reply.arrayBuffer();
          if (reply.status !== 201) throw new Error(`Comment ${n} answered ${reply.status}`);
        }
      }),
    );
    await stack.idle();
    await report({ phases: [overHttp, direct], naiveCalls: [...meter.calls], naive, probe });
  } finally {
    meter.uninstall();
    await stack.stop();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

interface Phase {
  name: string;
  calls: MeteredCall[];
  votes: number;
  seconds: number;
  lastVoteAt: number;
  tallyLag: number;
  eventLag: number;
  events: Array<{ time: string; detail: { totalVotes: number } }>;
}

async function tallyEvents(path: string, storyId: string): Promise<Phase['events']> {
  return (await readFile(path, 'utf8').catch(() => ''))
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((event) => event['detail-type'] === 'PollTallyUpdated' && event.detail.articleId === storyId);
}

/** Seconds from `since` until `done()` holds, checked every 20 ms (at most 60 s). */
async function waitFor(done: () => Promise<boolean>, since: number): Promise<number> {
  const limit = Date.now() + 60_000;
  while (!(await done())) {
    if (Date.now() > limit) throw new Error('The tally did not become exact within 60 s');
    await new Promise((r) => setTimeout(r, 20));
  }
  return (Date.now() - since) / 1000;
}

/** The naive design: each vote puts its record and adds to one counter item, in one transaction. */
async function naiveVotes(
  endpoint: string,
  tableName: string,
  count: number,
  concurrency: number,
): Promise<{ votes: number; counterKey: string }> {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient(localClientConfig(endpoint)));
  const counterKey = 'NAIVE#POLL#fedcba9876543210';
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const n = next++;
        for (let attempt = 0; ; attempt++) {
          try {
            await db.send(
              new TransactWriteCommand({
                TransactItems: [
                  {
                    Put: {
                      TableName: tableName,
                      Item: {
                        pk: `NAIVE#VOTE#fedcba9876543210#voter-${n}`,
                        sk: 'VOTE',
                        option: OPTIONS[n % OPTIONS.length],
                        votedAt: new Date().toISOString(),
                      },
                      ConditionExpression: 'attribute_not_exists(pk)',
                    },
                  },
                  {
                    Update: {
                      TableName: tableName,
                      Key: { pk: counterKey, sk: 'TALLY' },
                      UpdateExpression: 'ADD #option :one, totalVotes :one',
                      ExpressionAttributeNames: { '#option': `opt#${OPTIONS[n % OPTIONS.length]}` },
                      ExpressionAttributeValues: { ':one': 1 },
                    },
                  },
                ],
              }),
            );
            break;
          } catch (error) {
            // Concurrent transactions on the one counter conflict: the hot key, in miniature.
            if ((error as Error).name !== 'TransactionCanceledException' || attempt > 20) throw error;
          }
        }
      }
    }),
  );
  return { votes: count, counterKey };
}

interface Measured {
  costs: UnitCosts;
  readUnitsPerVote: number;
}

/** The figures of one measured phase, as table rows. */
function measuredRows(phase: Phase): Record<string, number | string> {
  const byKind = (kind: Kind) => phase.calls.filter((call) => kindOf(call) === kind);
  const perVote = (calls: MeteredCall[]) => fixed(sum(calls, writeUnits) / phase.votes);
  const written = [...byKind('vote'), ...byKind('aggregate'), ...byKind('project')];
  // Reads made while voting: the waiting for the exact tally afterwards reads results too.
  const reads = byKind('vote read').filter((call) => call.at <= phase.lastVoteAt);
  const eventsPerSecond = new Map<string, number>();
  for (const event of phase.events) eventsPerSecond.set(event.time, (eventsPerSecond.get(event.time) ?? 0) + 1);
  const hottest = [...unitsPerKeyPerSecond(written)]
    .map(([key, seconds]) => ({ key, max: Math.max(...seconds.values()) }))
    .sort((a, b) => b.max - a.max)[0]!;
  return {
    'votes (one story)': phase.votes,
    'votes/s sustained': fixed(phase.votes / phase.seconds, 0),
    'write units per vote, amortized': perVote(written),
    '  vote record': perVote(byKind('vote')),
    '  aggregation (marker + tally shard, ×2 transactional)': perVote(byKind('aggregate')),
    '  projection (counts, ranking items + index)': perVote(byKind('project')),
    'read units per vote (vote path)': reads.length
      ? fixed(sum(reads, (c) => c.readUnits) / phase.votes)
      : 'n/a (no vote path)',
    'aggregator transactions (story × batch)': byKind('aggregate').length,
    'PollTallyUpdated events': phase.events.length,
    'PollTallyUpdated events/s, busiest second': Math.max(0, ...eventsPerSecond.values()),
    'most write units on one key in a second': `${fixed(hottest.max, 1)} (${hottest.key.replace(/#[0-9a-f]{16}/, '#<story>')})`,
    'lag: last vote → exact results (s)': fixed(phase.tallyLag, 2),
    'lag: last vote → final PollTallyUpdated (s)': fixed(phase.eventLag, 2),
  };
}

/** Unit costs over every measured phase, for the model. */
function unitCosts(phases: readonly Phase[]): Measured {
  const calls = phases.flatMap((phase) => phase.calls);
  const of = (kind: Kind) => calls.filter((call) => kindOf(call) === kind);
  const votes = of('vote');
  const groups = of('aggregate');
  const projectionWrites = of('project');
  const projections = projectionWrites.filter((call) => call.command === 'UpdateCommand').length;
  const indexUnits = new Map<string, number>();
  for (const call of projectionWrites) {
    for (const [index, units] of Object.entries(call.indexWriteUnits))
      indexUnits.set(index, Math.max(indexUnits.get(index) ?? 0, units));
  }
  const http = phases[0]!;
  const reads = http.calls.filter((call) => kindOf(call) === 'vote read' && call.at <= http.lastVoteAt);
  return {
    costs: {
      vote: sum(votes, writeUnits) / votes.length,
      group: sum(groups, writeUnits) / groups.length,
      projectionOnStoryKey: sum(projectionWrites, (c) => c.writeUnits) / projections,
      projectionOnIndexKeys: [...indexUnits.values()],
    },
    readUnitsPerVote: sum(reads, (c) => c.readUnits) / http.votes,
  };
}

async function report(run: {
  phases: Phase[];
  naiveCalls: MeteredCall[];
  naive: { votes: number; counterKey: string };
  probe: RouterProbe;
}): Promise<void> {
  console.log(
    '\nMEASURED on the local stack (DynamoDB Local, ReturnConsumedCapacity; AWS billing rules applied, see bench/capacity-meter.ts):',
  );
  const byPhase = run.phases.map((phase) => measuredRows(phase));
  console.table(
    Object.fromEntries(
      Object.keys(byPhase[0]!).map((row) => [
        row,
        Object.fromEntries(run.phases.map((phase, i) => [phase.name, byPhase[i]![row]])),
      ]),
    ),
  );
  console.log(
    'The local engine serves a few hundred requests a second from one process: "over HTTP" is the whole vote path at the rate it allows;\n' +
      '"vote records only" writes just the vote items, through the same adapter, as fast as it can, with the same aggregator and publisher behind.\n' +
      'Amortization improves with the rate: the per-batch writes are spread over more votes.',
  );

  const { costs, readUnitsPerVote } = unitCosts(run.phases);
  const aggregator = streamBatching('aggregate-poll-votes');
  const publisher = streamBatching('publish-poll-tallies');
  const rows: Record<string, Record<string, number | string>> = {};
  const modelled: Array<{ rate: number; shards: number; schedule: Schedule }> = [];
  for (const [rate, shards] of MODELLED_RATES) {
    const s = schedule({ rate, seconds: 10, shards }, aggregator, publisher, costs);
    modelled.push({ rate, shards, schedule: s });
    rows[`${rate.toLocaleString('en')} votes/s × 10 s, ${shards} stream shard${shards > 1 ? 's' : ''}`] = {
      'write units/vote': fixed(s.unitsPerVote),
      'max units/s on one key': fixed(s.hottestKey.unitsPerSecond, 1),
      'hottest key': s.hottestKey.key,
      'events/s': s.maxEventsPerSecond,
    };
  }
  // Successful transactions only: conflicts on the counter are retried, and would only add to its cost.
  const naiveDone = run.naiveCalls.filter((call) => call.command === 'TransactWriteCommand' && !call.refused);
  const naiveConflicts = run.naiveCalls.filter((call) => call.refused).length;
  const naiveVoteUnits = sum(naiveDone, writeUnits) / run.naive.votes;
  const naiveCounterUnits = sum(naiveDone, (c) => c.writeUnits / c.keys.length) / run.naive.votes; // the counter's share of each
  for (const rate of [1000, 10_000]) {
    rows[`naive design: ${rate.toLocaleString('en')} votes/s × 10 s`] = {
      'write units/vote': fixed(naiveVoteUnits),
      'max units/s on one key': fixed(rate * naiveCounterUnits, 1),
      'hottest key': `the story's counter item (over 1,000/s: throttled; at most ${Math.floor(1000 / naiveCounterUnits)} votes/s a story)`,
      'events/s': 'n/a',
    };
  }
  console.log(
    `\nCOMPUTED from the measured unit costs — a vote ${fixed(costs.vote)}, an aggregation ${fixed(costs.group)} per story per batch, a projection ` +
      `${fixed(costs.projectionOnStoryKey)} on the story's key + ${costs.projectionOnIndexKeys.map((u) => fixed(u)).join(' + ')} on index keys — with the ` +
      `topology's batching (aggregator ${aggregator.batchSize} records / ${aggregator.maxBatchingWindowSeconds} s, publisher ${publisher.batchSize} / ` +
      `${publisher.maxBatchingWindowSeconds} s) and the aggregator's own grouping, votes spread evenly over the given number of stream shards ` +
      `(DynamoDB gives a table at least one per 1,000 write units/s it takes). Naive rows: ${run.naive.votes} votes of the naive design measured on the same ` +
      `engine (${naiveConflicts} transaction conflicts on its counter retried), scaled.`,
  );
  console.table(rows);

  const designCost = (at: Schedule) =>
    costPerMillionVotes({
      writeUnitsPerVote: at.unitsPerVote,
      readUnitsPerVote,
      // One aggregator invocation per shard batch (one story), one publisher invocation per projection.
      aggregatorInvocationsPerVote: at.groups / at.votes,
      publisherInvocationsPerVote: at.projections / at.votes,
      eventsPerVote: at.projections / at.votes,
    });
  const mine = designCost(schedule({ rate: 1000, seconds: 10, shards: 4 }, aggregator, publisher, costs));
  const naiveCost = costPerMillionVotes({
    writeUnitsPerVote: naiveVoteUnits,
    // The naive vote answers with the results too: the definition and the counter, read together.
    readUnitsPerVote: 1,
    aggregatorInvocationsPerVote: 0,
    publisherInvocationsPerVote: 0,
    eventsPerVote: 0,
  });
  console.log(
    `\nCOST per million votes, USD, us-east-1 list prices: HTTP API $${PRICES.httpApiPerMillionRequests}/M requests; Lambda arm64 ` +
      `$${PRICES.lambdaPerMillionRequests}/M requests + $${PRICES.lambdaArmPerGbSecond}/GB-s at ${ASSUMED.memoryGb * 1024} MB (billed durations assumed: ` +
      `${ASSUMED.voteMs} ms a vote, ${ASSUMED.aggregateBatchMs} ms an aggregator batch, ${ASSUMED.projectBatchMs} ms a publisher batch); DynamoDB on-demand ` +
      `$${PRICES.dynamoPerMillionWriteUnits}/M write units, $${PRICES.dynamoPerMillionReadUnits}/M read units; EventBridge $${PRICES.eventBridgePerMillionEvents}/M events; ` +
      `stream reads by Lambda are free. This design at 1,000 votes/s over 4 stream shards, reads as measured over HTTP. ` +
      `Production configuration: abuse protection on, as reader tokens, which add no write to a vote (minting a token ` +
      `writes the source's issuance counter once per new reader, not per vote); votes go straight to the API, not through a CDN.`,
  );
  const verification = await tokenVerificationMicros();
  console.log(
    `Reader token verification on the vote path: ${verification.micros.toFixed(1)} µs per vote ` +
      `(median of ${verification.rounds} rounds of ${verification.perRound} verifications, HS256 on node:crypto), inside the ${ASSUMED.voteMs} ms assumed.`,
  );
  console.table(
    Object.fromEntries(
      Object.keys(mine).map((line) => [
        line,
        { 'this design': `$${mine[line]!.toFixed(3)}`, naive: `$${naiveCost[line]!.toFixed(3)}` },
      ]),
    ),
  );
  reportStreamReaders(run.probe);

  await writeChart('cost-per-million-votes.svg', {
    title: 'Cost per million votes: this design against the naive counter',
    description:
      'Total USD per million votes on us-east-1 list prices, at the vote rates the poll model computes, for this design ' +
      '(votes aggregated from the table stream) and for the naive design (the vote and a per-story counter in one transaction).',
    axisLabel: 'USD per million votes (us-east-1 list prices)',
    series: ['this design (stream aggregation)', 'naive (vote + counter in one transaction)'],
    groups: modelled.map(({ rate, shards, schedule: at }) => ({
      label: `${grouped(rate)} votes/s, ${shards} stream shard${shards > 1 ? 's' : ''}`,
      values: [designCost(at).total!, naiveCost.total!],
    })),
    format: (usd) => `$${grouped(usd, 3)}`,
    tickFormat: (usd) => `$${grouped(usd, usd % 1 ? 1 : 0)}`,
    references: [
      { value: COST_GOAL_PER_MILLION_VOTES, label: `goal: at most $${grouped(COST_GOAL_PER_MILLION_VOTES, 2)}` },
    ],
    notes: [
      `Computed by npm run bench -- poll from unit costs measured on the local stack in this run (${cpus().length} cores, load ` +
        `average ${loadavg()[0]!.toFixed(1)} as it ended; ${run.phases[0]!.votes} votes over ` +
        `HTTP at ${fixed(run.phases[0]!.votes / run.phases[0]!.seconds, 0)} a second, ${run.phases[1]!.votes} vote records, ` +
        `${run.naive.votes} naive transactions: ${grouped(costs.vote, 3)} write units a vote, ${grouped(naiveVoteUnits, 3)} naive; ` +
        `${grouped(readUnitsPerVote, 3)} read units a vote over HTTP, whose 1 s caches pay off more the faster votes come), ` +
        `with the topology's batching and the aggregator's own grouping; Lambda ${ASSUMED.voteMs} ms a vote at ` +
        `${ASSUMED.memoryGb * 1024} MB, assumed. The naive counter is one item: DynamoDB throttles it above 1,000 write units a ` +
        `second, so that design cannot take more than ${Math.floor(1000 / naiveCounterUnits)} votes a second on one story at any price.`,
    ],
  });
}

/** The rates and stream shard counts the model computes (the local engine cannot take them). */
const MODELLED_RATES = [
  [1000, 1],
  [1000, 4],
  [1000, 16],
  [10_000, 16],
  [10_000, 32],
] as const;

/** Issue 12's goal: at most $2.00 per million votes with abuse protection on. */
const COST_GOAL_PER_MILLION_VOTES = 2;

/** Microseconds to verify one reader token, as the vote handler does. */
async function tokenVerificationMicros(): Promise<{ micros: number; rounds: number; perRound: number }> {
  const now = new Date();
  const keys = readerTokenKeysFrom('bench-reader-token-key-0123456789abcdef0123', now);
  const { token } = await issueReaderToken(keys, { readerId: 'bench-reader-0000001', now, ttlDays: 1 });
  const rounds = 7;
  const perRound = 5_000;
  const samples: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++) await verifyReaderToken(keys, token, now);
    samples.push(Number(process.hrtime.bigint() - started) / 1000 / perRound);
  }
  return { micros: samples.sort((a, b) => a - b)[rounds >> 1]!, rounds, perRound };
}

/** Issue 11: the stream's readers, the router's added latency and its cost. */
function reportStreamReaders(probe: RouterProbe): void {
  const rates = streamReaderRates(topology);
  console.log(
    `\nSTREAM READERS, computed from the mappings' polling rule: Lambda polls every shard ${LAMBDA_POLLS_PER_SHARD_PER_SECOND} times a second ` +
      `per event source mapping; DynamoDB throttles a shard read by more than ${READERS_PER_SHARD_ADVISED} readers.`,
  );
  console.table({
    'before: one mapping per stream feature': {
      'mappings (readers per shard)': rates.before.mappings,
      'GetRecords calls per shard per second': rates.before.getRecordsPerShardPerSecond,
    },
    'now: vote aggregator + stream router': {
      'mappings (readers per shard)': rates.now.mappings,
      'GetRecords calls per shard per second': rates.now.getRecordsPerShardPerSecond,
    },
  });

  const seen = probe.summary();
  console.log(
    `\nROUTER LATENCY, measured on the local stack, ms, p50 / p95 / max: from the router's invocation holding a record to the ` +
      `queue accepting it, then to the feature's invocation holding it, not counting time the feature was busy with its previous ` +
      `batch (it would have been on the stream too) nor a standard queue's batching window (the stream mapping had the same). ` +
      `Tally changes from the votes above; ${COMMENTS} comments posted afterwards. The local queue hands a message to an idle poller ` +
      `at once, as Lambda's long-polling SQS pollers do. Records per router invocation: ${seen.recordsPerRouterInvocation.toFixed(1)}.`,
  );
  console.table(seen.latency);

  const features = new Map(
    topology.functions.flatMap((fn) => (fn.trigger.kind === 'queue' ? [[fn.name, fn.trigger] as const] : [])),
  );
  const rows: Record<string, Record<string, string>> = {};
  const row = (name: string, batching: Parameters<typeof routingCostPerMillionRecords>[0]) => {
    const cost = routingCostPerMillionRecords(batching);
    rows[name] = Object.fromEntries(Object.entries(cost).map(([line, usd]) => [line, `$${usd.toFixed(3)}`]));
  };
  row('worst case: every record alone (FIFO)', {
    recordsPerRouterInvocation: 1,
    messagesPerSendRequest: 1,
    messagesPerConsumerBatch: 1,
    fifo: true,
  });
  for (const [name, consumerBatch] of Object.entries(seen.messagesPerConsumerBatch)) {
    const trigger = features.get(name)!;
    row(`measured: ${name} (${trigger.fifo ? 'FIFO' : 'standard'}), this run's batching`, {
      recordsPerRouterInvocation: seen.recordsPerRouterInvocation,
      messagesPerSendRequest: seen.messagesPerSendRequest[name] ?? 1,
      messagesPerConsumerBatch: consumerBatch,
      fifo: trigger.fifo,
    });
  }
  row('full batches: 100 records a router invocation, 10 a request and a FIFO batch', {
    recordsPerRouterInvocation: 100,
    messagesPerSendRequest: 10,
    messagesPerConsumerBatch: 10,
    fifo: true,
  });
  row('full batches, tallies (standard queue, 1,000 a batch)', {
    recordsPerRouterInvocation: 100,
    messagesPerSendRequest: 10,
    messagesPerConsumerBatch: 1000,
    fifo: false,
  });
  console.log(
    `\nCOST of the stream router per million records forwarded to one feature, USD, ${ROUTING_PRICES.asOf}: SQS FIFO ` +
      `$${ROUTING_PRICES.sqsFifoPerMillionRequests}/M requests, standard $${ROUTING_PRICES.sqsStandardPerMillionRequests}/M (each 64 KB of payload one request); ` +
      `Lambda arm64 $${ROUTING_PRICES.lambdaPerMillionRequests}/M requests + $${ROUTING_PRICES.lambdaArmPerGbSecond}/GB-s at ${ROUTING_ASSUMED.memoryGb * 1024} MB ` +
      `(billed durations assumed: ${ROUTING_ASSUMED.routerMs} ms a router invocation, ${ROUTING_ASSUMED.consumerBatchMs} ms a feature batch). Queue requests: ` +
      `SendMessageBatch, and Lambda's ReceiveMessage and DeleteMessageBatch per batch. Before the router the feature read the stream itself: ` +
      `stream reads are free, so only the feature's own invocations were billed (at its stream batch size).`,
  );
  console.table(rows);
}

/** A stream or queue consumer's batching, as the topology declares it. */
export function streamBatching(name: string): Batching {
  const declaration = topology.functions.find((fn) => fn.name === name);
  const { trigger: declared } = declaration ?? {};
  if (declared?.kind !== 'stream' && declared?.kind !== 'queue') throw new Error(`${name} reads no stream records`);
  return declared;
}
