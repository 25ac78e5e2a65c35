/**
 * The local EventBridge through its HTTP endpoint, driven by the real SDK client the handlers
 * use: validation, the events log, rule matching, retries and dead letters.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EventBridgeClient,
  ListRulesCommand,
  PutEventsCommand,
  type PutEventsRequestEntry,
} from '@aws-sdk/client-eventbridge';
import { DeadLetterSink } from '../../infra/local/dead-letters';
import {
  LocalEventBus,
  startEventBridgeEndpoint,
  type BusEvent,
  type BusLogger,
  type BusRule,
  type EventBridgeEndpoint,
} from '../../infra/local/event-bus';

const silent: BusLogger = { warn: () => undefined, error: () => undefined };

let dataDir: string;
let bus: LocalEventBus;
let endpoint: EventBridgeEndpoint;
let client: EventBridgeClient;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'event-bus-'));
  bus = new LocalEventBus({
    eventsLogPath: join(dataDir, 'logs', 'events.jsonl'),
    busName: 'newsroom',
    retryDelayMs: 5,
    logger: silent,
  });
  endpoint = await startEventBridgeEndpoint(bus, { host: '127.0.0.1' });
  client = new EventBridgeClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    endpoint: endpoint.endpoint,
  });
});

afterEach(async () => {
  await bus.idle();
  client.destroy();
  await endpoint.stop();
  await rm(dataDir, { recursive: true, force: true });
});

function entry(overrides: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry {
  return {
    EventBusName: 'newsroom',
    Source: 'newsroom.articles',
    DetailType: 'ArticleIngested',
    Detail: JSON.stringify({ schemaVersion: 1, articleId: 'a1', section: 'city' }),
    ...overrides,
  };
}

async function loggedEvents(): Promise<BusEvent[]> {
  const text = await readFile(join(dataDir, 'logs', 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as BusEvent);
}

/** A rule that records what it receives; `fail` makes every delivery throw. */
function recordingRule(name: string, pattern: BusRule['pattern'], overrides: Partial<BusRule> = {}) {
  const received: BusEvent[] = [];
  const deadLetters: Array<{ event: BusEvent; error: string }> = [];
  const rule: BusRule = {
    name,
    pattern,
    retryAttempts: 2,
    maxEventAgeSeconds: 3600,
    invoke: async (event) => {
      received.push(event);
    },
    onFailure: async (event, error) => {
      deadLetters.push({ event, error });
    },
    ...overrides,
  };
  bus.addRule(rule);
  return { received, deadLetters };
}

describe('local EventBridge', () => {
  it('logs an accepted event as one JSON line holding the EventBridge envelope', async () => {
    const response = await client.send(
      new PutEventsCommand({ Entries: [entry({ Resources: ['arn:aws:s3:::b/articles/a1.json'] })] }),
    );

    expect(response.FailedEntryCount).toBe(0);
    const eventId = response.Entries?.[0]?.EventId;
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
    const text = await readFile(join(dataDir, 'logs', 'events.jsonl'), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.trimEnd().split('\n')).toHaveLength(1);
    const logged = JSON.parse(text) as BusEvent;
    expect(Object.keys(logged)).toEqual([
      'version',
      'id',
      'detail-type',
      'source',
      'account',
      'time',
      'region',
      'resources',
      'detail',
    ]);
    expect(logged).toEqual({
      version: '0',
      id: eventId,
      'detail-type': 'ArticleIngested',
      source: 'newsroom.articles',
      account: '000000000000',
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      region: 'us-east-1',
      resources: ['arn:aws:s3:::b/articles/a1.json'],
      detail: { schemaVersion: 1, articleId: 'a1', section: 'city' },
    });
  });

  it('uses the entry Time, to the second', async () => {
    await client.send(new PutEventsCommand({ Entries: [entry({ Time: new Date('2026-05-01T12:34:56.789Z') })] }));

    const [logged] = await loggedEvents();
    expect(logged?.time).toBe('2026-05-01T12:34:56Z');
  });

  it('delivers to rules whose pattern matches and not to the others', async () => {
    const matching = recordingRule('articles-to-search', {
      source: ['newsroom.articles'],
      detail: { section: ['city'] },
    });
    const other = recordingRule('comments-to-moderation', { 'detail-type': ['CommentPosted'] });
    const seen: string[] = [];
    bus.onEvent((event) => seen.push(event.id));

    const response = await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.idle();

    expect(matching.received.map((e) => e.id)).toEqual([response.Entries?.[0]?.EventId]);
    expect(matching.received[0]?.detail).toEqual({ schemaVersion: 1, articleId: 'a1', section: 'city' });
    expect(other.received).toEqual([]);
    expect(seen).toEqual([response.Entries?.[0]?.EventId]);
  });

  it('answers PutEvents before the targets have run', async () => {
    let release: () => void = () => undefined;
    const { received } = recordingRule(
      'slow',
      { source: ['newsroom.articles'] },
      {
        invoke: async (event) => {
          await new Promise<void>((resolve) => {
            release = resolve;
          });
          received.push(event);
        },
      },
    );

    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    expect(received).toEqual([]);

    await new Promise((r) => setImmediate(r));
    release();
    await bus.idle();
    expect(received).toHaveLength(1);
  });

  it('retries a failing target, then dead-letters the event', async () => {
    const sink = new DeadLetterSink(dataDir);
    let attempts = 0;
    recordingRule(
      'always-fails',
      { source: ['newsroom.articles'] },
      {
        retryAttempts: 2,
        invoke: async () => {
          attempts += 1;
          throw new Error('target down');
        },
        onFailure: (event, error) =>
          sink.write({ source: 'event', functionName: 'index-article', error, payload: event }),
      },
    );

    const response = await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.idle();

    expect(attempts).toBe(3);
    const letters = await sink.read('index-article');
    expect(letters).toEqual([
      {
        at: expect.any(String),
        source: 'event',
        functionName: 'index-article',
        error: 'Error: target down',
        payload: expect.objectContaining({ id: response.Entries?.[0]?.EventId, 'detail-type': 'ArticleIngested' }),
      },
    ]);
  });

  it('stops retrying once the event is older than maxEventAgeSeconds', async () => {
    let attempts = 0;
    const { deadLetters } = recordingRule(
      'too-old',
      { source: ['newsroom.articles'] },
      {
        retryAttempts: 5,
        maxEventAgeSeconds: 0,
        invoke: async () => {
          attempts += 1;
          throw new Error('nope');
        },
      },
    );

    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.idle();

    expect(attempts).toBe(1);
    expect(deadLetters).toHaveLength(1);
  });

  it('a target that recovers during its retries gets the event once', async () => {
    let attempts = 0;
    const { received, deadLetters } = recordingRule(
      'flaky',
      { source: ['newsroom.articles'] },
      {
        invoke: async (event) => {
          attempts += 1;
          if (attempts === 1) throw new Error('cold start failed');
          received.push(event);
        },
      },
    );

    await client.send(new PutEventsCommand({ Entries: [entry()] }));
    await bus.idle();

    expect(received).toHaveLength(1);
    expect(deadLetters).toEqual([]);
  });

  it('when stopping, lets a delivery in flight finish within the grace, then gives up retries quietly', async () => {
    let recovering = 0;
    const recovered = recordingRule(
      'recovers',
      { source: ['newsroom.articles'] },
      {
        retryAttempts: 50,
        invoke: async (event) => {
          recovering += 1;
          if (recovering < 3) throw new Error('cold start failed');
          recovered.received.push(event);
        },
      },
    );
    let failing = 0;
    const down = recordingRule(
      'down',
      { source: ['newsroom.articles'] },
      {
        retryAttempts: 1_000,
        invoke: async () => {
          failing += 1;
          throw new Error('stopped');
        },
      },
    );
    await client.send(new PutEventsCommand({ Entries: [entry()] }));

    await bus.stop(300);
    const attemptsAtStop = failing;
    await new Promise((resolve) => setTimeout(resolve, 100));

    expect(recovered.received).toHaveLength(1);
    expect(attemptsAtStop).toBeGreaterThan(1);
    expect(failing).toBeLessThanOrEqual(attemptsAtStop + 1);
    expect(down.deadLetters).toEqual([]);
  });

  it('reports invalid entries as failed, as EventBridge does, and accepts the valid ones', async () => {
    const { received } = recordingRule('all', { source: [{ prefix: '' }] });

    const response = await client.send(
      new PutEventsCommand({
        Entries: [
          entry({ Detail: 'not json' }),
          entry({ Detail: '[1, 2]' }),
          entry({ DetailType: undefined }),
          entry({ EventBusName: 'arn:aws:events:us-east-1:000000000000:event-bus/other' }),
          entry(),
        ],
      }),
    );
    await bus.idle();

    expect(response.FailedEntryCount).toBe(4);
    expect(response.Entries).toEqual([
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' },
      { ErrorCode: 'InvalidArgument', ErrorMessage: expect.stringContaining('DetailType') },
      { ErrorCode: 'ResourceNotFoundException', ErrorMessage: 'Event bus other does not exist.' },
      { EventId: expect.any(String) },
    ]);
    expect((await loggedEvents()).map((e) => e.id)).toEqual([response.Entries?.[4]?.EventId]);
    expect(received).toHaveLength(1);
  });

  it('rejects requests over the PutEvents limits with ValidationException', async () => {
    await expect(
      client.send(new PutEventsCommand({ Entries: Array.from({ length: 11 }, () => entry()) })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
    const big = JSON.stringify({ text: 'x'.repeat(256 * 1024) });
    await expect(client.send(new PutEventsCommand({ Entries: [entry({ Detail: big })] }))).rejects.toMatchObject({
      name: 'ValidationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('answers other operations with UnknownOperationException', async () => {
    await expect(client.send(new ListRulesCommand({}))).rejects.toMatchObject({
      name: 'UnknownOperationException',
      $metadata: { httpStatusCode: 400 },
    });
  });

  it('refuses a rule with a malformed pattern when it is added', () => {
    expect(() => recordingRule('typo', { source: [{ prefx: 'newsroom' }] })).toThrow(/unsupported operator "prefx"/);
  });
});
