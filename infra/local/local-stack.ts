import { mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { S3Client } from '@aws-sdk/client-s3';
import { faultCounters } from '../../shared/faults';
import { LIVE_NAMESPACE } from '../../shared/live/channels';
import { REPO_ROOT } from '../constructs/function-defaults';
import { policyFor, streamRoutingStatement, type PolicyStatement } from '../needs';
import { handlerEntry, topology as defaultTopology, type FunctionDeclaration, type Topology } from '../topology';
import type { AccessDenial, ObservedCall } from './access/access-guard';
import { ACCESS_THREAD_ENTRY, startAccessThread } from './access/access-thread';
import { IdentityRegistry, localIdentity } from './access/identities';
import {
  loadOrCreateSigningKey,
  LOCAL_AUDIENCE,
  LOCAL_DESK_CLIENT_ID,
  LOCAL_ISSUER,
  type LocalSigningKey,
} from './auth';
import { JsonFileCheckpointStore } from './checkpoint-store';
import { ensureBucket } from './create-bucket';
import { ensureTable } from './create-table';
import { LIVE_API_KEY_FILE, loadOrCreateKey, localCorsOrigins, SITE_TOKEN_SECRET_FILE } from './data-dir';
import { DeadLetterSink } from './dead-letters';
import { createApiReferenceSite } from './api-reference-site';
import { createDeskSite, localDeskConfig, localDeskUrl } from './desk-site';
import { wireEditorAlerts } from './editor-alerts';
import { startDynamoDbLocal } from './engines/dynamodb-local';
import { LOCAL_ACCOUNT, LOCAL_REGION, localClientConfig, localS3ClientConfig } from './engines/local-clients';
import { startS3Emulator } from './engines/s3-emulator';
import { LocalEventBus, startEventBridgeEndpoint } from './event-bus';
import { prepareBundles } from './function-bundles';
import {
  functionEnvironment,
  localArns,
  settingsFromEnvironment,
  type FunctionEndpoints,
  type LocalResourceNames,
} from './function-environment';
import { startHttpGateway, type GatewayRoute } from './http-gateway';
import { newAppSyncApiKey } from './live/api-key';
import { startLiveEventsServer } from './live/live-events-server';
import { isolatedFunction, type FunctionOutputLine, type IsolatedFunction, type LocalFunction } from './local-function';
import { createLocalOAuth, localEditorAccount, type LocalEditorAccount } from './oauth';
import { S3NotificationDispatcher } from './s3-notifications';
import { StreamPoller } from './stream-poller';
import { startLocalStreamRouting } from './stream-routing';
import type { StreamRoute } from '../../shared/store/stream-routes';
import { TtlSweeper } from './ttl-sweeper';
import { createWidgetSite } from './widget-site';

/** The repository root: handler entries in the topology are relative to it. */
export { REPO_ROOT };

export const LOCAL_NAMES = {
  table: 'newsroom',
  bucket: 'newsroom',
  bus: 'newsroom',
  readerHashKey: 'newsroom-reader-hash-key',
  readerTokenKey: 'newsroom-reader-token-key',
  siteTokenSecret: 'newsroom-site-token-secret',
} as const;

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
  /** Where the handlers' own output (their JSON log lines) goes; this process's stdout and stderr when omitted. */
  handlerOutput?: (line: FunctionOutputLine) => void;
  /** Sandboxes (worker threads) each function may run at once; see `DEFAULT_SANDBOXES_PER_FUNCTION`. */
  sandboxesPerFunction?: number;
  /** Handler modules by function name, for test topologies whose handlers are not under `functions/`. */
  handlerEntries?: Readonly<Record<string, string>>;
  /** Every DynamoDB call of every function, with its consumed capacity: for measurement (see `ObservedCall`). */
  observeDynamoDb?: (call: ObservedCall) => void;
  pollIntervalMs?: number;
  /** See `StreamPollerOptions.idlePollMaxMs`: how far the table's stream readers back off while idle. */
  idlePollMaxMs?: number;
  /** How often expired items are deleted (DynamoDB Local has no TTL of its own); default one minute. */
  ttlSweepIntervalMs?: number;
  /** `on`: the gateway takes the caller's address from `X-Forwarded-For` (tests only); LOCAL_TRUST_FORWARDED_FOR by default. */
  trustForwardedFor?: 'on' | 'off';
  /** Told of every invocation by a stream or queue trigger once it ends (benchmarks measure the hops). */
  onInvoke?: (invocation: TriggeredInvocation) => void;
  /** Who signs in to the desk locally; LOCAL_EDITOR_EMAIL and LOCAL_EDITOR_PASSWORD (or their defaults) when omitted. */
  editorAccount?: LocalEditorAccount;
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
  /** The editor desk, `http://127.0.0.1:<port>/desk/`: its app client's callback and sign-out URL. */
  deskUrl: string;
  /** The desk's (local) app client, public: the `client_id` of its access tokens. */
  deskClientId: string;
  /** The imitated user pool domain's endpoints, on the API's origin (infra/local/oauth.ts). */
  oauthAuthorizeUrl: string;
  oauthTokenUrl: string;
  oauthRevokeUrl: string;
  oauthLogoutUrl: string;
  dataDir: string;
  /** The reader hash key's (local) Secrets Manager ARN, as the functions that read it are told. */
  readerHashKeySecret: string;
  /** The reader token keys' (local) Secrets Manager ARN. */
  readerTokenKeySecret: string;
  /** The imitated site's shared secret's (local) ARN. */
  siteTokenSecret: string;
  /** The local Event API's real-time WebSocket, `ws://127.0.0.1:<port>/event/realtime`: where readers subscribe. */
  liveRealtimeUrl: string;
  /** Its HTTP publish, `http://127.0.0.1:<port>/event`: where the backend publishes, signed (LIVE_EVENTS_HTTP_URL). */
  liveHttpUrl: string;
  /** Its public, subscribe-only API key, kept in the data folder (`da2-…`, as AppSync's). */
  liveApiKey: string;
  /**
   * Where the functions reach the engines: the access guards that hold each function to its
   * grants, and the secrets extension imitation. The endpoints above are the engines' own,
   * unrestricted, for tools and tests.
   */
  functions: FunctionEndpoints;
}

/** What one function's sandboxes are given: their environment and the grants enforced on them. */
export interface LocalFunctionSetup {
  name: string;
  environment: Readonly<Record<string, string>>;
  grants: readonly PolicyStatement[];
}

export interface RunningLocalStack {
  endpoints: LocalEndpoints;
  bus: LocalEventBus;
  signingKey: LocalSigningKey;
  deadLetters: DeadLetterSink;
  /** What was actually wired, one line per trigger; the drift test compares it with the CDK template. */
  wiring: readonly LocalWiring[];
  /** What each function was given; the drift test compares it with the CDK template too. */
  functions: readonly LocalFunctionSetup[];
  /** The stream router's routes, as the router is told them: each feature's queue URL and filters. */
  streamRoutes: readonly StreamRoute[];
  /** Each queue-triggered function's queue ARN, by function: what the router may send to. */
  featureQueueArns: ReadonlyMap<string, string>;
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
 * a local SQS for the stream router's feature queues, a local AppSync Event API for live updates
 * (`live/`), and the HTTP API — each wired from the same
 * declaration as the CDK stack, invoking the same handlers, each function isolated as a Lambda
 * function is (`local-function.ts`): its own worker threads running its own bundle, with only its
 * own environment (`function-environment.ts`), and its own credentials, which access guards in
 * front of the engines hold to its declared grants (`access/`).
 */
export async function startLocalStack(options: LocalStackOptions): Promise<RunningLocalStack> {
  const log = options.log ?? (() => undefined);
  const topology = options.topology ?? defaultTopology;
  const dataDir = resolve(options.dataDir);
  const names: LocalResourceNames = {
    table: options.tableName ?? LOCAL_NAMES.table,
    bucket: options.bucketName ?? LOCAL_NAMES.bucket,
    bus: LOCAL_NAMES.bus,
    readerHashKey: LOCAL_NAMES.readerHashKey,
    readerTokenKey: LOCAL_NAMES.readerTokenKey,
    siteTokenSecret: LOCAL_NAMES.siteTokenSecret,
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

    // Each function's own identity, holding the statements its declared needs grant in AWS.
    const arns = localArns(names);
    const identities = new Map(
      topology.functions.map((fn) => {
        const statements = policyFor(fn.needs, arns);
        // The router may send to the feature queues, as `grantStreamRouting` allows it in the stack.
        if (fn.needs.routeStreamRecords) statements.push(streamRoutingStatement([...routing.queueArns.values()]));
        return [fn.name, localIdentity(fn.name, statements)] as const;
      }),
    );
    // The local Event API (live updates): readers subscribe with the public key; a publish must be
    // signed by a function's identity whose grants allow it, as IAM decides in AWS.
    const liveApiKey = await loadOrCreateKey(dataDir, LIVE_API_KEY_FILE, newAppSyncApiKey);
    const live = await startLiveEventsServer({
      apiKey: liveApiKey,
      identities: new IdentityRegistry(identities.values()),
      region: LOCAL_REGION,
      namespace: LIVE_NAMESPACE,
      namespaceArn: arns.liveUpdatesNamespace!,
      log,
    });
    stops.push(() => live.stop());
    const onDenied = ({ functionName, action, resource }: AccessDenial) =>
      log(`${functionName} AccessDenied: ${action} on ${resource}`);
    const requests = topology.functions.map((fn) => ({
      name: fn.name,
      entry: options.handlerEntries?.[fn.name] ?? handlerEntry(fn),
    }));
    const [bundles, accessBundle] = await Promise.all([
      prepareBundles(requests),
      prepareBundles([{ name: 'access-guards', entry: ACCESS_THREAD_ENTRY }]),
    ]);
    if (bundles.built.length > 0) {
      log(`bundled ${bundles.built.length} function(s) in ${(bundles.buildMs / 1000).toFixed(1)} s`);
    }
    const access = await startAccessThread(accessBundle.paths.get('access-guards')!, {
      upstreams: { dynamodb: dynamo.endpoint, s3: s3.endpoint, events: eventBridge.endpoint, sqs: routing.endpoint },
      identities: [...identities.values()],
      scope: { region: LOCAL_REGION, account: LOCAL_ACCOUNT },
      secrets: [
        {
          arn: arns.readerHashKey,
          name: names.readerHashKey,
          value: await loadOrCreateKey(dataDir, 'reader-hash-key'),
        },
        {
          arn: arns.readerTokenKey,
          name: names.readerTokenKey,
          // The stack's secret has the same shape: one current key, no previous one yet.
          value: JSON.stringify({ current: await loadOrCreateKey(dataDir, 'reader-token-key') }),
        },
        // The imitated site's shared secret (`npm run token -- --role site-reader` signs with it).
        {
          arn: arns.siteTokenSecret!,
          name: names.siteTokenSecret,
          value: await loadOrCreateKey(dataDir, SITE_TOKEN_SECRET_FILE),
        },
      ],
      onDenied,
      onCrash: (error) => log(`access guards crashed (${error.message}): functions can no longer reach the engines`),
      ...(options.observeDynamoDb ? { observe: options.observeDynamoDb } : {}),
    });
    stops.push(() => access.stop());
    const functionEndpoints: FunctionEndpoints = {
      dynamodb: access.endpoints.dynamodb,
      s3: access.endpoints.s3,
      eventBridge: access.endpoints.events,
      sqs: access.endpoints.sqs,
      secretsExtensionPort: access.secretsExtensionPort,
      liveEvents: live.httpUrl,
    };
    const streamRoutes = routing.routesThrough(functionEndpoints.sqs);

    const settings = settingsFromEnvironment(process.env);
    const setups: LocalFunctionSetup[] = [];
    const functions: IsolatedFunction[] = [];
    // Readers of the table's stream back off while it is quiet (idlePollMaxMs). The table's writes
    // come from functions, so when one has run they read again at once: its records are read as
    // promptly as without the back-off, and an idle stack costs next to nothing. Other writes (the
    // TTL sweeper's deletions, a tool writing to the engine directly) wait at most idlePollMaxMs.
    const streamReaders: StreamPoller[] = [];
    const wakeStreamReaders = (): void => {
      for (const reader of streamReaders) reader.nudge();
    };
    for (const declaration of topology.functions) {
      const identity = identities.get(declaration.name)!;
      const environment = functionEnvironment({
        declaration,
        names,
        endpoints: functionEndpoints,
        identity,
        settings,
        streamRoutes,
        logLevel: options.handlerLogLevel ?? 'WARN',
        // EMF lines would drown the console; POWERTOOLS_METRICS_DISABLED=false shows them.
        metricsDisabled: process.env.POWERTOOLS_METRICS_DISABLED || 'true',
      });
      const fn = isolatedFunction({
        onInvoked: wakeStreamReaders,
        declaration,
        bundle: bundles.paths.get(declaration.name)!,
        environment,
        faultCounters: faultCounters(),
        log,
        ...(options.handlerOutput ? { output: options.handlerOutput } : {}),
        ...(options.sandboxesPerFunction ? { maxSandboxes: options.sandboxesPerFunction } : {}),
      });
      stops.push(() => fn.stop());
      functions.push(fn);
      setups.push({ name: declaration.name, environment, grants: identity.statements });
    }
    // Stops run in reverse: the bus's deliveries in flight finish (or give up) before any function stops.
    stops.push(() => bus.stop());

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
            ...(options.idlePollMaxMs ? { idlePollMaxMs: options.idlePollMaxMs } : {}),
          });
          streamReaders.push(poller);
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
        for (const { feature } of streamRoutes) {
          wiring.push({ functionName: fn.declaration.name, wire: `forwards to ${feature}` });
        }
      }
    }
    wireEditorAlerts({ bus, rules: topology.editorAlerts ?? [], dataDir, deadLetters, log });
    idlers.push(() => bus.idle());

    const signingKey = await loadOrCreateSigningKey(dataDir);
    let apiUrl = '';
    const [widgetSite, deskSite, apiReferenceSite] = await Promise.all([
      createWidgetSite(() => apiUrl, { realtimeUrl: live.realtimeUrl, host: live.host, apiKey: liveApiKey }),
      createDeskSite(() => apiUrl, LOCAL_DESK_CLIENT_ID),
      createApiReferenceSite(() => apiUrl),
    ]);
    const oauth = createLocalOAuth({
      signingKey,
      clientId: LOCAL_DESK_CLIENT_ID,
      redirectUri: () => localDeskUrl(apiUrl),
      account: options.editorAccount ?? localEditorAccount(),
    });
    const gateway = await startHttpGateway({
      site: {
        serve: (pathname) => deskSite.serve(pathname) ?? apiReferenceSite.serve(pathname) ?? widgetSite.serve(pathname),
      },
      oauth,
      routes,
      signingKey,
      port: options.port,
      extraOrigins: localCorsOrigins(),
      trustForwardedFor: (options.trustForwardedFor ?? process.env.LOCAL_TRUST_FORWARDED_FOR) === 'on',
      onRequest: ({ method, path, status, ms }) => log(`${method} ${path} → ${status} (${ms} ms)`),
    });
    stops.push(() => gateway.stop());
    apiUrl = gateway.url;
    const desk = localDeskConfig(gateway.url, LOCAL_DESK_CLIENT_ID);

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
      deskUrl: desk.auth.redirectUri,
      deskClientId: desk.auth.clientId,
      oauthAuthorizeUrl: desk.auth.authorizeUrl,
      oauthTokenUrl: desk.auth.tokenUrl,
      oauthRevokeUrl: desk.auth.revokeUrl,
      oauthLogoutUrl: desk.auth.logoutUrl,
      dataDir,
      readerHashKeySecret: arns.readerHashKey,
      readerTokenKeySecret: arns.readerTokenKey,
      siteTokenSecret: arns.siteTokenSecret!,
      liveRealtimeUrl: live.realtimeUrl,
      liveHttpUrl: live.httpUrl,
      liveApiKey,
      functions: functionEndpoints,
    };
    await writeFile(endpointsFile(dataDir), `${JSON.stringify(endpoints, null, 2)}\n`);

    return {
      endpoints,
      bus,
      signingKey,
      deadLetters,
      wiring,
      functions: setups,
      streamRoutes,
      featureQueueArns: routing.queueArns,
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

function assertNever(value: never): never {
  throw new Error(`Unhandled trigger ${JSON.stringify(value)}`);
}

export type { FunctionDeclaration };
