/**
 * `npm run bench -- live`: how fast and how often live updates reach open pages, and what they cost.
 *
 * 1. Vote → receive (local stack, whole path): one vote over HTTP, then the time until readers
 *    subscribed to the story receive the results that count it — through the table stream, the
 *    aggregator, the tally publisher, the bus, the live-update publisher's slot and its signed
 *    publish, and the local Event API's WebSocket. BENCH_LIVE_RUNS (7) runs of 3 votes, 2 s apart.
 * 2. Messages per story per second: votes over HTTP as fast as the local stack takes them, and
 *    PollTallyUpdated events put on the bus at the rate the poll model computes for 1,000 votes/s
 *    (its busiest second over 1 to 16 stream shards) and at ten times that; a subscriber counts the
 *    poll messages it receives in each wall-clock second.
 * 3. Publish → receive (the Event API alone): the publisher's adapter posts signed batches to the
 *    local Event API with BENCH_LIVE_SUBSCRIBERS (50) subscribers on the channel; every delivery's
 *    latency, 7 runs of 100 messages.
 * 4. Cost per million reader-minutes and per million updates on AWS list prices, this design beside
 *    an API Gateway WebSocket API that posts to every connection (live-model.ts), from the message
 *    sizes measured in 1.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { ingestFiles } from '../infra/cli/ingest-files';
import { IdentityRegistry } from '../infra/local/access/identities';
import { startDynamoDbLocal } from '../infra/local/engines/dynamodb-local';
import { LOCAL_REGION, localS3ClientConfig } from '../infra/local/engines/local-clients';
import { REPO_ROOT, startLocalStack, type RunningLocalStack } from '../infra/local/local-stack';
import { newAppSyncApiKey } from '../infra/local/live/api-key';
import { startLiveEventsServer } from '../infra/local/live/live-events-server';
import { AppSyncEventsPublisher } from '../shared/adapters/live/appsync-events-publisher';
import { DETAIL_TYPES, EVENT_SOURCE } from '../shared/events/catalog';
import { LIVE_NAMESPACE, storyChannel } from '../shared/live/channels';
import type { LiveMessage } from '../shared/live/live-shapes';
import { LIVE_TEST_ARNS, liveTestIdentity } from '../test/support/live-identities';
import { LiveSubscriber, type LiveEndpoint } from '../test/support/live-subscriber';
import { mintReader } from '../test/support/reader-tokens';
import { grouped, type BarChartSpec } from './charts/bar-chart';
import { writeChart } from './charts/chart-files';
import { costPerMillionReaderMinutes, costPerMillionUpdates, LIVE_ASSUMED, LIVE_PRICES } from './live-model';
import { schedule } from './poll-model';
import { streamBatching } from './poll';

const STORY = resolve(REPO_ROOT, 'test', 'fixtures', 'stories', 'gull-point-lighthouse-logbooks.txt');
/** Where the issue puts the bar: a vote reaches open pages within 3 s at the 95th percentile. */
const VOTE_TO_PAGE_P95_GOAL_MS = 3_000;
const MAX_MESSAGES_PER_SECOND_GOAL = 2;

export interface LiveBenchOptions {
  runs: number;
  subscribers: number;
  loadSeconds: number;
}

export async function benchLive(options: LiveBenchOptions): Promise<void> {
  process.env.RATE_LIMITS = 'off';
  const dataDir = await mkdtemp(join(tmpdir(), 'newsroom-bench-live-'));
  const dynamo = await startDynamoDbLocal({});
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    dynamoEndpoint: dynamo.endpoint,
    pollIntervalMs: 250,
    handlerLogLevel: 'ERROR',
  });
  const open: LiveSubscriber[] = [];
  try {
    const endpoint: LiveEndpoint = {
      realtimeUrl: stack.endpoints.liveRealtimeUrl,
      host: new URL(stack.endpoints.liveHttpUrl).host,
      apiKey: stack.endpoints.liveApiKey,
    };
    const storyId = await ingestStory(stack);
    // When each PollTallyUpdated event for the story reached the bus.
    const tallyEvents: number[] = [];
    stack.bus.onEvent((event) => {
      if (
        event['detail-type'] === DETAIL_TYPES.pollTallyUpdated &&
        (event.detail as { articleId?: string }).articleId === storyId
      )
        tallyEvents.push(Date.now());
    });
    const poll = (await (await fetch(`${stack.endpoints.api}/articles/${storyId}/poll`)).json()) as PollView;
    const optionIds = poll.options.map((option) => option.id);
    await stack.idle();

    const readers = await Promise.all([0, 1, 2].map(() => LiveSubscriber.connect(endpoint)));
    open.push(...readers);
    await Promise.all(readers.map((reader) => reader.subscribe(storyChannel(storyId))));

    // 1. Vote → receive.
    console.log(`vote → receive: ${options.runs} runs of 3 votes, 2 s apart, ${readers.length} readers…`);
    const latencies: number[] = [];
    let votes = 0;
    const vote = async () => {
      const reader = await mintReader(stack.endpoints.api);
      const reply = await fetch(`${stack.endpoints.api}/articles/${storyId}/poll/votes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...reader.headers },
        body: JSON.stringify({ option: optionIds[votes % optionIds.length] }),
      });
      await reply.arrayBuffer();
      if (reply.status !== 201) throw new Error(`A vote answered ${reply.status}`);
      votes++;
    };
    for (let run = 0; run < options.runs; run++) {
      for (let i = 0; i < 3; i++) {
        const sentAt = Date.now();
        await vote();
        const expected = votes;
        const arrivals = await Promise.all(
          readers.map((reader) =>
            arrivalOf(reader, (message) => message.kind === 'poll' && message.totalVotes >= expected),
          ),
        );
        latencies.push(...arrivals.map((at) => at - sentAt));
        await sleep(2_000);
      }
    }
    const messageBytes = Math.max(...readers[0]!.events.map(({ event }) => Buffer.byteLength(JSON.stringify(event))));

    // 2. Messages per story per second, under load.
    const perSecond: Record<string, Record<string, number | string>> = {};
    console.log(`messages per second: votes over HTTP for ${options.loadSeconds} s, 32 at a time…`);
    const loadFrom = Date.now();
    let loadVotes = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (Date.now() < loadFrom + options.loadSeconds * 1000) {
          await vote();
          loadVotes++;
        }
      }),
    );
    const loadUntil = Date.now();
    await stack.idle();
    await sleep(2_000);
    perSecond[
      `votes over HTTP, ${Math.round(loadVotes / ((loadUntil - loadFrom) / 1000))} votes/s (the local stack's most)`
    ] = messageRates(readers[0]!, loadFrom, loadUntil + 2_000, tallyEventRate(tallyEvents, loadFrom, loadUntil));

    const modelled = Math.max(
      ...[1, 4, 16].map(
        (shards) =>
          schedule(
            { rate: 1000, seconds: 10, shards },
            streamBatching('aggregate-poll-votes'),
            streamBatching('publish-poll-tallies'),
            { vote: 0, group: 0, projectionOnStoryKey: 0, projectionOnIndexKeys: [] },
          ).maxEventsPerSecond,
      ),
    );
    let version = 1_000_000;
    for (const [label, rate] of [
      [`1,000 votes/s: ${modelled} tally events/s (poll model, busiest second)`, modelled],
      ['10 tally events/s', 10],
      ['50 tally events/s (one invocation every 20 ms)', 50],
    ] as const) {
      console.log(`messages per second: ${label} on the bus for ${options.loadSeconds} s…`);
      const from = Date.now();
      for (let sent = 0; sent < rate * options.loadSeconds; sent++) {
        version++;
        await stack.bus.put([tallyEvent(storyId, version, poll)]);
        await sleep(Math.max(0, from + ((sent + 1) * 1000) / rate - Date.now()));
      }
      const until = Date.now();
      await stack.idle();
      await sleep(2_000);
      perSecond[label] = messageRates(readers[0]!, from, until + 2_000, rate);
    }

    // 3. Publish → receive on the Event API alone.
    const fanOut = await publishToReceive(options);

    report({ latencies, perSecond, fanOut, messageBytes, subscribers: options.subscribers, votes });
    await writeChart(
      'vote-to-results-lag.svg',
      lagChart({ latencies, fanOut, runs: options.runs, readers: readers.length }),
    );
  } finally {
    await Promise.all(open.map((reader) => reader.close()));
    await stack.stop();
    await dynamo.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The poll as GET /articles/{id}/poll shows it: what a tally event names. */
interface PollView {
  question: string;
  options: Array<{ id: string; label: string }>;
}

async function ingestStory(stack: RunningLocalStack): Promise<string> {
  const [outcome] = await ingestFiles({
    s3: new S3Client(localS3ClientConfig(stack.endpoints.s3)),
    bucket: stack.endpoints.bucket,
    files: [STORY],
    timeoutMs: 30_000,
    pollMs: 50,
  });
  if (outcome?.status !== 'ingested') throw new Error(`The bench story was not ingested: ${JSON.stringify(outcome)}`);
  return outcome.articleId;
}

/** A tally as the tally publisher puts it on the bus: absolute counts, a version that only grows. */
function tallyEvent(articleId: string, version: number, poll: PollView) {
  const votes = poll.options.map((_, i) => (version + i) % 97);
  return {
    Source: EVENT_SOURCE,
    DetailType: DETAIL_TYPES.pollTallyUpdated,
    Detail: JSON.stringify({
      schemaVersion: 1,
      articleId,
      version,
      question: poll.question,
      options: poll.options.map((option, i) => ({ id: option.id, label: option.label, votes: votes[i] })),
      totalVotes: votes.reduce((a, b) => a + b, 0),
      updatedAt: new Date().toISOString(),
    }),
  };
}

/** When the first message that matches arrived at this reader (waits up to 15 s). */
async function arrivalOf(reader: LiveSubscriber, matches: (message: LiveMessage) => boolean): Promise<number> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const found = reader.events.find(({ event }) => matches(event as LiveMessage));
    if (found) return found.receivedAt;
    if (Date.now() > deadline) throw new Error('No matching live message arrived within 15 s');
    await reader.next((frame) => frame.type === 'data', deadline - Date.now()).catch(() => undefined);
  }
}

/** PollTallyUpdated events per second that reached the bus in the window. */
function tallyEventRate(arrivals: readonly number[], from: number, until: number): number {
  const inWindow = arrivals.filter((at) => at >= from && at <= until).length;
  return Number((inWindow / ((until - from) / 1000)).toFixed(1));
}

function messageRates(reader: LiveSubscriber, from: number, until: number, eventsPerSecond: number) {
  const bySecond = new Map<number, number>();
  for (const { event, receivedAt } of reader.events) {
    if ((event as LiveMessage).kind !== 'poll' || receivedAt < from || receivedAt > until) continue;
    const second = Math.floor(receivedAt / 1000);
    bySecond.set(second, (bySecond.get(second) ?? 0) + 1);
  }
  const busiest = Math.max(0, ...bySecond.values());
  return {
    'tally events in, per s': eventsPerSecond,
    'poll messages out, busiest second': busiest,
    'messages out, mean per s': Number(
      ([...bySecond.values()].reduce((a, b) => a + b, 0) / ((until - from) / 1000)).toFixed(2),
    ),
    [`≤ ${MAX_MESSAGES_PER_SECOND_GOAL}`]: busiest <= MAX_MESSAGES_PER_SECOND_GOAL ? 'yes' : 'NO',
  };
}

/** Every delivery's latency from the publish request to the subscriber, over `runs` runs. */
async function publishToReceive(options: LiveBenchOptions): Promise<{ perRun: number[][]; all: number[] }> {
  const identity = liveTestIdentity('publish-live-updates', { publishLiveUpdates: true });
  const apiKey = newAppSyncApiKey();
  const server = await startLiveEventsServer({
    apiKey,
    identities: new IdentityRegistry([identity]),
    region: LOCAL_REGION,
    namespace: LIVE_NAMESPACE,
    namespaceArn: LIVE_TEST_ARNS.liveUpdatesNamespace!,
  });
  const publisher = new AppSyncEventsPublisher({
    httpUrl: server.httpUrl,
    region: LOCAL_REGION,
    credentials: async () => identity,
  });
  const endpoint = { realtimeUrl: server.realtimeUrl, host: server.host, apiKey };
  const subscribers: LiveSubscriber[] = [];
  try {
    console.log(`publish → receive: ${options.runs} runs of 100 messages to ${options.subscribers} subscribers…`);
    for (let i = 0; i < options.subscribers; i++) subscribers.push(await LiveSubscriber.connect(endpoint));
    const perRun: number[][] = [];
    for (let run = 0; run < options.runs; run++) {
      const channel = storyChannel(`bench${run}`);
      await Promise.all(subscribers.map((subscriber) => subscriber.subscribe(channel)));
      const sentAt = new Map<number, number>();
      for (let n = 0; n < 100; n++) {
        const message: LiveMessage = {
          kind: 'comment-removed',
          articleId: `bench${run}`,
          commentId: `c${n}`,
          version: n + 1,
        };
        sentAt.set(n, Date.now());
        await publisher.publish(channel, [message]);
        await sleep(10);
      }
      await Promise.all(subscribers.map((subscriber) => subscriber.waitForEvents((run + 1) * 100, 15_000)));
      perRun.push(
        subscribers.flatMap((subscriber) =>
          subscriber.events
            .filter(({ event }) => (event as { articleId: string }).articleId === `bench${run}`)
            .map(({ event, receivedAt }) => receivedAt - sentAt.get((event as { version: number }).version - 1)!),
        ),
      );
    }
    return { perRun, all: perRun.flat() };
  } finally {
    await Promise.all(subscribers.map((subscriber) => subscriber.close()));
    await server.stop();
  }
}

function report(run: {
  latencies: number[];
  perSecond: Record<string, Record<string, number | string>>;
  fanOut: { perRun: number[][]; all: number[] };
  messageBytes: number;
  subscribers: number;
  votes: number;
}): void {
  const p95 = percentile(run.latencies, 95);
  console.log(
    `\nVOTE → RECEIVE on the local stack (${run.latencies.length} deliveries: ${run.latencies.length / 3} votes × 3 readers; ` +
      `streams polled every 250 ms as Lambda does, the topology's batching windows):`,
  );
  console.table({
    'vote → results on the page, ms': {
      median: percentile(run.latencies, 50),
      p95,
      max: Math.max(...run.latencies),
      [`p95 ≤ ${VOTE_TO_PAGE_P95_GOAL_MS} ms`]: p95 <= VOTE_TO_PAGE_P95_GOAL_MS ? 'yes' : 'NO',
    },
  });
  console.log('\nMESSAGES PER STORY PER SECOND (poll messages received by one reader, per wall-clock second):');
  console.table(run.perSecond);
  console.log(
    `\nPUBLISH → RECEIVE on the local Event API (${run.fanOut.all.length} deliveries: ${run.fanOut.perRun.length} runs × 100 messages × ${run.subscribers} subscribers):`,
  );
  console.table({
    ...Object.fromEntries(
      run.fanOut.perRun.map((latencies, i) => [
        `run ${i + 1}, ms`,
        { median: percentile(latencies, 50), p99: percentile(latencies, 99) },
      ]),
    ),
    'all runs, ms': { median: percentile(run.fanOut.all, 50), p99: percentile(run.fanOut.all, 99) },
  });

  console.log(
    `\nCOST per million reader-minutes, USD (pages open, ${LIVE_ASSUMED.minutesPerView}-minute views; AppSync Events $${LIVE_PRICES.appSyncEventsPerMillionConnectionMinutes}/M ` +
      `connection-minutes and $${LIVE_PRICES.appSyncEventsPerMillionOperations}/M operations; API Gateway WebSocket $${LIVE_PRICES.webSocketPerMillionConnectionMinutes}/M ` +
      `connection-minutes and $${LIVE_PRICES.webSocketPerMillionMessages}/M messages, with $connect/$disconnect functions writing a connection table):`,
  );
  console.table(byLine(costPerMillionReaderMinutes()));
  for (const subscribers of [10, 1_000]) {
    console.log(
      `\nCOST per million updates to a story with ${subscribers.toLocaleString('en')} open pages, USD (largest message measured: ${run.messageBytes} bytes; ` +
        `the WebSocket design queries the story's connections and calls PostToConnection for each, ${LIVE_ASSUMED.fanOutMsPerConnection} ms apiece):`,
    );
    console.table(byLine(costPerMillionUpdates({ subscribers, messageBytes: run.messageBytes })));
  }
  console.log(
    'Per update the two cost about the same: $1 a million deliveries either way (AppSync also bills the publish, the WebSocket design ' +
      'a fan-out function whose duration grows with every open page). Per reader-minute AppSync Events costs about two thirds as much, ' +
      'and there is no connection table, no $connect/$disconnect function and no per-connection loop to run or get wrong.',
  );
}

/** Rows are the bill's lines, columns the designs: each design's lines side by side. */
function byLine(designs: Record<string, Record<string, number>>): Record<string, Record<string, number | string>> {
  const lines = new Set(Object.values(designs).flatMap((design) => Object.keys(design)));
  // The total last, under every line.
  lines.delete('total');
  lines.add('total');
  return Object.fromEntries(
    [...lines].map((line) => [
      line,
      Object.fromEntries(Object.entries(designs).map(([design, costs]) => [design, costs[line] ?? '—'])),
    ]),
  );
}

/** Vote → results on the page beside the Event API alone: where the time goes. */
function lagChart(run: {
  latencies: number[];
  fanOut: { perRun: number[][]; all: number[] };
  runs: number;
  readers: number;
}): BarChartSpec {
  const points = [
    ['fastest', 0],
    ['median', 50],
    ['p95', 95],
    ['slowest', 100],
  ] as const;
  const at = (values: readonly number[], p: number) => (p === 0 ? Math.min(...values) : percentile(values, p));
  return {
    title: 'Vote → results on the open pages, local stack',
    description:
      `Milliseconds from sending a vote to the open pages receiving results that count it (${run.latencies.length} deliveries), ` +
      `beside the Event API's own publish → receive time (${run.fanOut.all.length} deliveries).`,
    axisLabel: 'milliseconds',
    series: [
      `vote → results on the page (${run.latencies.length} deliveries)`,
      `publish → receive, Event API alone (${grouped(run.fanOut.all.length)})`,
    ],
    groups: points.map(([label, p]) => ({ label, values: [at(run.latencies, p), at(run.fanOut.all, p)] })),
    format: (ms) => `${grouped(ms)} ms`,
    references: [
      { value: VOTE_TO_PAGE_P95_GOAL_MS, label: `goal: p95 at most ${grouped(VOTE_TO_PAGE_P95_GOAL_MS)} ms` },
    ],
    notes: [
      `Measured by npm run bench -- live: ${run.runs} runs × 3 votes × ${run.readers} readers subscribed to one story, on the local ` +
        `stack (DynamoDB Local, streams polled every 250 ms as Lambda does, the topology's batching windows) on a ` +
        `${cpus().length}-core machine (load average ${loadavg()[0]!.toFixed(1)} as the run ended). Most of the vote's time is the two stream batching windows the tally crosses (the ` +
        `aggregator's and the tally publisher's); the live path itself is the Event API's share.`,
    ],
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
