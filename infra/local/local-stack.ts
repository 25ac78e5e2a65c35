import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { ENV } from '../../shared/config';
import { EVENT_SOURCE } from '../../shared/events/catalog';
import { topology as defaultTopology, type FunctionDeclaration, type Topology } from '../topology';
import { loadOrCreateSigningKey, LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalSigningKey } from './auth';
import { JsonFileCheckpointStore } from './checkpoint-store';
import { ensureBucket } from './create-bucket';
import { ensureTable } from './create-table';
import { localCorsOrigins } from './data-dir';
import { DeadLetterSink } from './dead-letters';
import { wireEditorAlerts } from './editor-alerts';
import { startDynamoDbLocal } from './engines/dynamodb-local';
import { LOCAL_CREDENTIALS, LOCAL_REGION, localClientConfig, localS3ClientConfig } from './engines/local-clients';
import { startS3Emulator } from './engines/s3-emulator';
import { LocalEventBus, startEventBridgeEndpoint } from './event-bus';
import { startHttpGateway, type GatewayRoute } from './http-gateway';
import { loadLocalFunction, type LocalFunction } from './local-function';
import { S3NotificationDispatcher } from './s3-notifications';
import { StreamPoller } from './stream-poller';
import { startLocalStreamRouting } from './stream-routing';
import { TtlSweeper } from './ttl-sweeper';

/** The repository root: handler entries in the topology are relative to it. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

export const LOCAL_NAMES = { table: 'newsroom', bucket: 'newsroom', bus: 'newsroom' } as const;

export interface LocalStackOptions {
  /** Everything the stack keeps: DynamoDB and S3 data, signing key, events, dead letters. */
  dataDir: string;
  /** HTTP API port; 0 picks a free one. */
  port: number;
  /** Use a DynamoDB Local that is already running (tests share one per run) instead of starting one. */
  dynamoEndpoint?: string;
  /** Names, so tests sharing one DynamoDB Local do not see each other's data. */
  tableName?: string;
  bucketName?: string;
  /** Defaults to the project's topology; tests may pass another. */
  topology?: Topology;
  /** Where log lines go (requests, events, failures); silent when omitted. */
  log?: (line: string) => void;
  /** Level for the handlers' Powertools logger. */
  handlerLogLevel?: string;
  pollIntervalMs?: number;
  /** How often expired items are deleted (DynamoDB Local has no TTL of its own); default one minute. */
  ttlSweepIntervalMs?: number;
  /** Told of every invocation by a stream or queue trigger once it ends (benchmarks measure the hops). */
  onInvoke?: (invocation: TriggeredInvocation) => void;
}

/** One invocation by a stream or queue trigger, as {@link LocalStackOptions.onInvoke} reports it. */
export interface TriggeredInvocation {
  functionName: string;
  event: unknown;
  /** Epoch milliseconds. */
  startedAt: number;
  endedAt: number;
  failed: boolean;
}

export interface LocalEndpoints {
  api: string;
  s3: string;
  dynamodb: string;
  eventBridge: string;
  sqs: string;
  region: string;
  bucket: string;
  table: string;
  eventBus: string;
  tokenIssuer: string;
  tokenAudience: string;
  dataDir: string;
}

export interface RunningLocalStack {
  endpoints: LocalEndpoints;
  bus: LocalEventBus;
  signingKey: LocalSigningKey;
  deadLetters: DeadLetterSink;
  /** What was actually wired, one line per trigger; the drift test compares it with the CDK template. */
  wiring: readonly LocalWiring[];
  /** Resolves when every notification, stream record and event so far has been handled. */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * One trigger as wired, e.g. `route GET /articles`, `s3 incoming/`, `rule {...}`, `stream table`,
 * `queue fifo`, or the stream router's `forwards to <function>`.
 */
export interface LocalWiring {
  functionName: string;
  wire: string;
}

export const endpointsFile = (dataDir: string): string => join(dataDir, 'endpoints.json');

/**
 * Runs the whole topology on this machine: DynamoDB Local, an S3 emulator, a local EventBridge,
 * a local SQS for the stream router's feature queues, and the HTTP API — each wired from the same declaration as the CDK stack, invoking the same
 * handler modules. Only the environment differs: endpoints point at the local engines.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<RunningLocalStack> {
  const log = options.log ?? (() => undefined);
  const topology = options.topology ?? defaultTopology;
  const dataDir = resolve(options.dataDir);
  const names = {
    table: options.tableName ?? LOCAL_NAMES.table,
    bucket: options.bucketName ?? LOCAL_NAMES.bucket,
    bus: LOCAL_NAMES.bus,
  };
  await mkdir(dataDir, { recursive: true });
  const stops: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
  };

  try {
    const dynamo = options.dynamoEndpoint
      ? { endpoint: options.dynamoEndpoint }
      : await startDynamoDbLocal({ dataDir: join(dataDir, 'dynamodb') }).then((engine) => {
          stops.push(() => engine.stop());
          return engine;
        });
    const s3 = await startS3Emulator({ dataDir: join(dataDir, 's3'), buckets: [names.bucket] });
    stops.push(() => s3.stop());

    const dynamoClient = new DynamoDBClient(localClientConfig(dynamo.endpoint));
    await ensureTable(dynamoClient, names.table);
    const ttlSweeper = new TtlSweeper({
      client: dynamoClient,
      tableName: names.table,
      intervalMs: options.ttlSweepIntervalMs,
      log,
    });
    ttlSweeper.start();
    stops.push(() => ttlSweeper.stop());
    await ensureBucket(new S3Client(localS3ClientConfig(s3.endpoint)), names.bucket);

    const deadLetters = new DeadLetterSink(dataDir);
    const bus = new LocalEventBus({ eventsLogPath: join(dataDir, 'events.jsonl'), busName: names.bus });
    bus.onEvent((event) => log(`event ${event['detail-type']} ${JSON.stringify(event.detail)}`));
    const eventBridge = await startEventBridgeEndpoint(bus, { host: '127.0.0.1' });
    stops.push(() => eventBridge.stop());
    // The feature queues the stream router fills; their pollers stop after the router's stream poller.
    /** Invokes a stream- or queue-triggered function, telling `onInvoke` about it. */
    const invokeObserved = (fn: LocalFunction, event: unknown): Promise<unknown> => {
      if (!options.onInvoke) return fn.invoke(event);
      const observe = options.onInvoke;
      const startedAt = Date.now();
      const report = (failed: boolean) =>
        observe({ functionName: fn.declaration.name, event, startedAt, endedAt: Date.now(), failed });
      return fn.invoke(event).then(
        (result) => {
          report(false);
          return result;
        },
        (error: unknown) => {
          report(true);
          throw error;
        },
      );
    };
    const routing = await startLocalStreamRouting({
      topology,
      prefix: names.table,
      deadLetters,
      region: LOCAL_REGION,
      log,
      invoke: invokeObserved,
    });
    stops.push(() => routing.stop());

    const readerHashKey = await loadOrCreateReaderHashKey(dataDir);
    setHandlerEnvironment({
      readerHashKey,
      dynamoEndpoint: dynamo.endpoint,
      s3Endpoint: s3.endpoint,
      eventBridgeEndpoint: eventBridge.endpoint,
      sqsEndpoint: routing.endpoint,
      streamRoutes: JSON.stringify(routing.routes),
      names,
      logLevel: options.handlerLogLevel ?? 'WARN',
    });

    const functions: LocalFunction[] = [];
    for (const declaration of topology.functions) functions.push(await loadLocalFunction(declaration, REPO_ROOT));

    const idlers: Array<() => Promise<void>> = [];
    const wiring: LocalWiring[] = [];
    const routes: GatewayRoute[] = [];
    const streamsClient = new DynamoDBStreamsClient(localClientConfig(dynamo.endpoint));

    for (const fn of functions) {
      const trigger = fn.declaration.trigger;
      switch (trigger.kind) {
        case 'http':
          routes.push({ trigger, fn });
          wiring.push({ functionName: fn.declaration.name, wire: `route ${trigger.method} ${trigger.path}` });
          break;
        case 's3': {
          const dispatcher = new S3NotificationDispatcher(fn, trigger, deadLetters, log);
          s3.onObjectCreated((created) => {
            if (created.bucket === names.bucket) dispatcher.notify(created);
          });
          wiring.push({ functionName: fn.declaration.name, wire: `s3 ${trigger.prefix}` });
          idlers.push(() => dispatcher.idle());
          break;
        }
        case 'event':
          wiring.push({ functionName: fn.declaration.name, wire: `rule ${JSON.stringify(trigger.pattern)}` });
          bus.addRule({
            name: trigger.ruleName,
            pattern: trigger.pattern,
            retryAttempts: trigger.retryAttempts,
            maxEventAgeSeconds: trigger.maxEventAgeSeconds,
            invoke: (event) => fn.invoke(event),
            onFailure: (event, error) =>
              deadLetters.write({ source: 'event', functionName: fn.declaration.name, error, payload: event }),
          });
          break;
        case 'stream': {
          const poller = new StreamPoller({
            streamsClient,
            dynamoClient,
            tableName: names.table,
            trigger,
            invoke: (event) => invokeObserved(fn, event),
            onFailure: (failure) =>
              deadLetters.write({
                source: 'stream',
                functionName: fn.declaration.name,
                error: failure.error,
                payload: failure.records,
              }),
            checkpointStore: new JsonFileCheckpointStore(
              join(dataDir, 'checkpoints', `${names.table}-${fn.declaration.name}.json`),
            ),
            ...(options.pollIntervalMs ? { pollIntervalMs: options.pollIntervalMs } : {}),
          });
          await poller.start();
          wiring.push({ functionName: fn.declaration.name, wire: 'stream table' });
          stops.push(() => poller.stop());
          idlers.push(() => poller.idle());
          break;
        }
        case 'queue': {
          const poller = routing.wireFeature(fn, trigger);
          wiring.push({ functionName: fn.declaration.name, wire: `queue ${trigger.fifo ? 'fifo' : 'standard'}` });
          idlers.push(() => poller.idle());
          break;
        }
        default:
          assertNever(trigger);
      }
      if (fn.declaration.needs.routeStreamRecords) {
        for (const { feature } of routing.routes) {
          wiring.push({ functionName: fn.declaration.name, wire: `forwards to ${feature}` });
        }
      }
    }
    wireEditorAlerts({ bus, rules: topology.editorAlerts ?? [], dataDir, deadLetters, log });
    idlers.push(() => bus.idle());

    const signingKey = await loadOrCreateSigningKey(dataDir);
    const gateway = await startHttpGateway({
      routes,
      signingKey,
      port: options.port,
      extraOrigins: localCorsOrigins(),
      onRequest: ({ method, path, status, ms }) => log(`${method} ${path} → ${status} (${ms} ms)`),
    });
    stops.push(() => gateway.stop());

    const endpoints: LocalEndpoints = {
      api: gateway.url,
      s3: s3.endpoint,
      dynamodb: dynamo.endpoint,
      eventBridge: eventBridge.endpoint,
      sqs: routing.endpoint,
      region: LOCAL_REGION,
      bucket: names.bucket,
      table: names.table,
      eventBus: names.bus,
      tokenIssuer: LOCAL_ISSUER,
      tokenAudience: LOCAL_AUDIENCE,
      dataDir,
    };
    await writeFile(endpointsFile(dataDir), `${JSON.stringify(endpoints, null, 2)}\n`);

    return {
      endpoints,
      bus,
      signingKey,
      deadLetters,
      wiring,
      // Work spreads: a notification writes the table, whose stream publishes an event, whose
      // rule invokes a function. Settle until one full round finds nothing left to do.
      async idle() {
        for (let round = 0; round < 3; round++) {
          for (const idle of idlers) await idle();
        }
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/**
 * The configuration Lambda would give the functions, pointed at the local engines. Handlers
 * read the same variables in both hosts; the SDK takes service endpoints from AWS_ENDPOINT_URL_*.
 */
function setHandlerEnvironment(config: {
  readerHashKey: string;
  dynamoEndpoint: string;
  s3Endpoint: string;
  eventBridgeEndpoint: string;
  sqsEndpoint: string;
  /** The stream router's routes (JSON), with the local queues' URLs. */
  streamRoutes: string;
  names: { table: string; bucket: string; bus: string };
  logLevel: string;
}): void {
  Object.assign(process.env, {
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: config.dynamoEndpoint,
    AWS_ENDPOINT_URL_S3: config.s3Endpoint,
    AWS_ENDPOINT_URL_EVENTBRIDGE: config.eventBridgeEndpoint,
    AWS_ENDPOINT_URL_SQS: config.sqsEndpoint,
    // s3rver stores streamed uploads with their chunk framing unless checksums are off.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    [ENV.s3ForcePathStyle]: 'true',
    [ENV.tableName]: config.names.table,
    [ENV.bucketName]: config.names.bucket,
    [ENV.eventBusName]: config.names.bus,
    [ENV.eventSource]: EVENT_SOURCE,
    [ENV.readerHashKey]: config.readerHashKey,
    [ENV.streamRoutes]: config.streamRoutes,
    POWERTOOLS_LOG_LEVEL: config.logLevel,
    POWERTOOLS_SERVICE_NAME: 'newsroom-local',
    // EMF lines would drown the console; POWERTOOLS_METRICS_DISABLED=false shows them.
    POWERTOOLS_METRICS_DISABLED: process.env.POWERTOOLS_METRICS_DISABLED || 'true',
  });
  delete process.env.AWS_PROFILE;
  delete process.env.AWS_SESSION_TOKEN;
}

/** The local stand-in for the stack's Secrets Manager key, kept so hashes stay stable across restarts. */
async function loadOrCreateReaderHashKey(dataDir: string): Promise<string> {
  const path = join(dataDir, 'reader-hash-key');
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = randomBytes(32).toString('base64url');
  await writeFile(path, key, { mode: 0o600 });
  return key;
}

function assertNever(value: never): never {
  throw new Error(`Unhandled trigger ${JSON.stringify(value)}`);
}

export type { FunctionDeclaration };
