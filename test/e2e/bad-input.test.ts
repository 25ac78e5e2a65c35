import { join } from 'node:path';
import * as fc from 'fast-check';
import { type RunningLocalStack } from '../../infra/local/local-stack';
import { isHttp, topology } from '../../infra/topology';
import { badCases, routeKey, toRequest, validParts, type BadCase, type Tokens } from '../support/bad-input/cases';
import { createFixtures, issueTokens } from '../support/bad-input/fixtures';
import { routeSpecs, type Fixtures, type RouteSpec } from '../support/bad-input/route-specs';
import { testDynamoClient } from '../support/engines';
import { withLocalStack } from '../support/local-stack';
import { rawClient, type RawReply } from '../support/raw-http';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';
import { snapshotStore, storeChanges, type StoreSnapshot } from '../support/store-snapshot';

/**
 * The bad-input suite: every HTTP route of the topology, driven through the local stack with
 * generated malformed requests, each one defect away from a request that succeeds. Every case
 * must get the 4xx its defect calls for, as a JSON `{ error: { code, message } }`, and leave
 * the table, the bucket and the event log exactly as they were. Rate limits are off, so a
 * limiter's counters (legitimate writes) cannot hide a validation gap behind a 429.
 *
 * `BAD_INPUT_CASES` (per route, default 50: about 1,200 over the 24 routes that take input; 1000
 * for a deeper run) and
 * `BAD_INPUT_SEED` (to replay a run) tune it. The default keeps `npm test` within its 5 minutes on
 * 2 cores; the seed differs every run, so each run tries defects the last one did not.
 */
const CASES_PER_ROUTE = Number(process.env.BAD_INPUT_CASES ?? 50);
const SEED = Number(process.env.BAD_INPUT_SEED ?? Date.now() % 2 ** 31);
/** Cases per property run; each run sends them through a pool, so no request waits on a slow neighbour. */
const BATCH = 50;
/** Requests in flight at once: enough to hide DynamoDB Local's latency, few enough not to queue on it. */
const CONCURRENCY = 12;
// A thousand requests per route take seconds on an idle 2-core machine, but a loaded one (a busy
// CI neighbour) can take ten times that, and jest's default timeout would then hide the real result.
jest.setTimeout(180_000);

const routes = topology.functions.filter(isHttp).map((fn) => fn.trigger);

interface RouteResult {
  route: string;
  cases: number;
  clientErrors: number;
  serverErrors: number;
  writes: number;
}

let stack: RunningLocalStack;
let dataDir: string;
let client: ReturnType<typeof rawClient>;
let fixtures: Fixtures;
let tokens: Tokens;
let specs: Record<string, RouteSpec>;
/** The store as the fixtures left it, and as the last route left it. */
let baseline: StoreSnapshot;
let latest: StoreSnapshot;
const results: RouteResult[] = [];
const casesByKind = new Map<string, number>();

const local = withLocalStack({
  name: 'bad-input',
  env: { RATE_LIMITS: 'off' },
  // Expired items (duplicate-comment claims) must not vanish between two snapshots.
  ttlSweepIntervalMs: 3_600_000,
});

beforeAll(async () => {
  ({ stack, dataDir } = local);
  client = rawClient(stack.endpoints.api, { maxSockets: CONCURRENCY });
  tokens = await issueTokens(stack, dataDir);
  fixtures = await createFixtures(stack, tokens);
  specs = routeSpecs(fixtures, { storyText: SAMPLE_STORY_TEXT });
  baseline = latest = await snapshot();
}, 90_000);

afterAll(() => {
  client?.close();
  if (results.length > 0) console.log(summary(results));
});

describe('every route refuses malformed input with a 4xx JSON error and writes nothing', () => {
  it.each(routes.map((trigger) => [routeKey(trigger), trigger] as const))('%s', async (key, trigger) => {
    // Prepare
    const spec = specs[key];
    if (!spec) throw new Error(`No bad-input spec for ${key}: add one to test/support/bad-input/route-specs.ts`);
    if (spec.takesNoInput) {
      results.push({ route: `${key} (takes no input)`, cases: 0, clientErrors: 0, serverErrors: 0, writes: 0 });
      return;
    }
    const cases = badCases(trigger, spec, fixtures, tokens);
    if (!cases) throw new Error(`${key} has no input the suite can make malformed; describe it in route-specs.ts`);
    const result: RouteResult = { route: key, cases: 0, clientErrors: 0, serverErrors: 0, writes: 0 };
    const failures: string[] = [];

    // Act: the property records rather than throws, so one run reports every failing case
    // (with the seed to replay it), not only the first one.
    await fc.assert(
      fc.asyncProperty(fc.array(cases, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await inPool(batch, CONCURRENCY, async (c) => {
          const reply = await client.send(c.request);
          result.cases++;
          casesByKind.set(c.kind, (casesByKind.get(c.kind) ?? 0) + 1);
          if (reply.status >= 500) result.serverErrors++;
          else if (reply.status >= 400) result.clientErrors++;
          const problem = checkReply(c, reply);
          if (problem && failures.length < 25) failures.push(problem);
        });
      }),
      { numRuns: Math.ceil(CASES_PER_ROUTE / BATCH), seed: SEED },
    );
    // Refused requests write nothing synchronously; anything a stream consumer would add later
    // is caught by the final check below, once they have caught up.
    const after = await snapshot();
    const changes = storeChanges(latest, after);
    latest = after;
    result.writes = changes.total;
    results.push(result);

    // Assess
    expect(result.cases).toBeGreaterThanOrEqual(CASES_PER_ROUTE);
    expect({ seed: SEED, failures }).toEqual({ seed: SEED, failures: [] });
    expect(result.serverErrors).toBe(0);
    expect(changes).toEqual({ items: 0, objects: 0, events: 0, total: 0 });
  });
});

describe('after every route', () => {
  it('the store is as the fixtures left it, once the stream consumers have caught up', async () => {
    await stack.idle();

    expect(storeChanges(baseline, await snapshot())).toEqual({ items: 0, objects: 0, events: 0, total: 0 });
  });
});

describe('the cases were near misses', () => {
  it('the valid request each case was derived from succeeds, and the snapshot sees what it writes', async () => {
    const before = await snapshot();

    // Moderation last, so a hidden or changed comment cannot affect the other requests.
    const ordered = routes
      .filter((trigger) => !specs[routeKey(trigger)]?.takesNoInput)
      .sort((a, b) => Number(a.method === 'PATCH') - Number(b.method === 'PATCH'));
    const statuses: Record<string, number> = {};
    for (const trigger of ordered) {
      const reply = await client.send(
        toRequest(trigger, validParts(trigger, specs[routeKey(trigger)]!, fixtures, tokens)),
      );
      statuses[routeKey(trigger)] = reply.status;
    }
    await stack.idle();

    const failed = Object.entries(statuses).filter(([, status]) => status < 200 || status > 299);
    expect(failed).toEqual([]);
    expect(storeChanges(before, await snapshot()).items).toBeGreaterThan(0);
  });
});

/** Runs `work` on every item, at most `concurrency` at a time. */
async function inPool<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
}

/** Why a reply is wrong for its case, or undefined if it is right. */
function checkReply(c: BadCase, reply: RawReply): string | undefined {
  const describe = () =>
    `${c.kind} (${c.note}) ${c.request.method} ${c.request.path.slice(0, 120)} → ${reply.status} ${reply.text.slice(0, 200)}`;
  if (!c.expect.includes(reply.status)) return `expected ${c.expect.join('|')}: ${describe()}`;
  if (!String(reply.headers['content-type']).startsWith('application/json')) return `not JSON: ${describe()}`;
  let body: { error?: { code?: unknown; message?: unknown } };
  try {
    body = JSON.parse(reply.text);
  } catch {
    return `unparseable body: ${describe()}`;
  }
  if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') {
    return `not an error body: ${describe()}`;
  }
  return undefined;
}

function snapshot(): Promise<StoreSnapshot> {
  return snapshotStore({
    dynamo: testDynamoClient(),
    table: stack.endpoints.table,
    s3: local.s3,
    bucket: stack.endpoints.bucket,
    eventsLog: join(dataDir, 'events.jsonl'),
  });
}

function summary(rows: RouteResult[]): string {
  const total = rows.reduce(
    (sum, row) => ({
      route: 'total',
      cases: sum.cases + row.cases,
      clientErrors: sum.clientErrors + row.clientErrors,
      serverErrors: sum.serverErrors + row.serverErrors,
      writes: sum.writes + row.writes,
    }),
    { route: 'total', cases: 0, clientErrors: 0, serverErrors: 0, writes: 0 },
  );
  const width = Math.max(...rows.map((row) => row.route.length));
  const line = (row: RouteResult) =>
    `${row.route.padEnd(width)}  cases ${String(row.cases).padStart(5)}  4xx ${String(row.clientErrors).padStart(5)}  5xx ${row.serverErrors}  writes ${row.writes}`;
  const kinds = [...casesByKind].map(([kind, count]) => `${kind} ${count}`).join(', ');
  return [`bad-input suite (seed ${SEED})`, ...rows.map(line), line(total), `cases by defect: ${kinds}`].join('\n');
}
