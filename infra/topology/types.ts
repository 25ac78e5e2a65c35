/**
 * The vocabulary of the topology: what a function is, what starts it and what it may touch.
 * Both hosts read declarations written in it — `infra/stack` turns them into CDK resources,
 * `infra/local` into the embedded stack — so neither can wire a function the other lacks.
 */

import type { EventPattern } from '../../shared/event-pattern';

/** An EventBridge event pattern (also the syntax of Lambda event-source filter criteria). */
export type { EventPattern };

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * `public`: anyone; `reader`: a reader's token is required (`POST /readers/anonymous`, or the site's
 * own for a signed-in reader), which the handler verifies in both hosts, so API Gateway sees the
 * route as public; `editor`: a valid JWT is required at the gateway, and handlers check the
 * editors group.
 */
export type RouteAccess = 'public' | 'reader' | 'editor';

/**
 * An API Gateway route limit, shared by every caller of the route (it is not per client: per-source
 * limits are the handlers' keyed-hash rate limits). Requests beyond it get 429 from API Gateway.
 */
export interface RouteThrottle {
  /** Steady requests per second. */
  rateLimit: number;
  /** Requests that may arrive at once above the steady rate. */
  burstLimit: number;
}

export interface HttpTrigger {
  kind: 'http';
  method: HttpMethod;
  /** API Gateway v2 route path, with `{name}` parameters. */
  path: string;
  access: RouteAccess;
  /**
   * A tighter limit than the stage's default for this route, one of `ROUTE_THROTTLES`. Applied by
   * the CDK stack as the stage's route settings; the local stack does not throttle.
   */
  throttle?: RouteThrottle;
}

/** An object created in the bucket under `prefix`; invoked asynchronously, with retries. */
export interface S3Trigger {
  kind: 's3';
  prefix: string;
  /** Retries after the first failed attempt before the event goes to the dead-letter queue (0–2, as Lambda). */
  retryAttempts: number;
}

/** A rule on the project's event bus delivering matching events to the function. */
export interface EventTrigger {
  kind: 'event';
  ruleName: string;
  pattern: EventPattern;
  retryAttempts: number;
  maxEventAgeSeconds: number;
}

/** The table's stream, read like Lambda's event source mapping. */
export interface StreamTrigger {
  kind: 'stream';
  batchSize: number;
  maxBatchingWindowSeconds: number;
  /** Records are delivered only if they match one of these (Lambda filter criteria). */
  filters: readonly EventPattern[];
  retryAttempts: number;
  bisectBatchOnError: boolean;
  startingPosition: 'TRIM_HORIZON' | 'LATEST';
}

/**
 * A queue of the feature's own that the stream router fills with the table stream's records the
 * feature wants: the table's stream allows two readers per shard, so every stream consumer but
 * the vote aggregator reads it through the router (`needs.routeStreamRecords`). The feature keeps
 * its stream code (it is handed the same records) and gets its own retries, partial batch
 * failures and dead-letter queue. FIFO keeps each item's changes in order (a message group per
 * item) with at most 10 messages a batch and no batching window; a standard queue suits a
 * feature whose effects do not depend on order and that batches more.
 */
export interface QueueTrigger {
  kind: 'queue';
  fifo: boolean;
  /** The stream records the router forwards to this queue (Lambda filter criteria syntax). */
  streamFilters: readonly EventPattern[];
  /** FIFO: 1–10. Standard: up to 10,000, above 10 only with a batching window. */
  batchSize: number;
  /** Standard queues only: how long Lambda gathers a batch that is not full (0–300). */
  maxBatchingWindowSeconds?: number;
  /** Receives of a message (each failed attempt is one) before it goes to the dead-letter queue. */
  maxReceiveCount: number;
  /**
   * How long a received message stays invisible: a failed one is tried again after this. At
   * least six times the function's timeout, as AWS advises for Lambda's SQS event sources.
   */
  visibilityTimeoutSeconds: number;
}

export type Trigger = HttpTrigger | S3Trigger | EventTrigger | StreamTrigger | QueueTrigger;

/**
 * A DynamoDB data operation a function sends to the table, granted as exactly one IAM action
 * (`infra/grants`). `query` reads the table's own partitions, `queryIndex` its global secondary
 * indexes. Transactions have no action of their own: DynamoDB authorizes each item of a
 * `TransactWriteItems` by that item's action (Put → `put`, Update → `update`, Delete → `delete`,
 * ConditionCheck → `conditionCheck`) and each item of a `TransactGetItems` as `get`, so a
 * function that transacts declares those. `DescribeTable` is never needed: the SDK does not call it.
 */
export type TableAction =
  'get' | 'batchGet' | 'query' | 'queryIndex' | 'scan' | 'put' | 'update' | 'delete' | 'batchWrite' | 'conditionCheck';

export interface TableNeeds {
  /** Every operation the function's handler sends, and nothing else: each one is a permission. */
  actions: readonly TableAction[];
}

export type ObjectAction = 'read' | 'write' | 'delete';

export interface BucketGrant {
  /** Key prefix, e.g. `articles/`. */
  prefix: string;
  actions: readonly ObjectAction[];
}

/** What a function may touch; grants are derived from this and nothing else. */
export interface ResourceNeeds {
  /**
   * The operations its handler sends to the table. `test/infra/stack.test.ts` writes the IAM
   * actions they grant out per function, and the handler unit tests fail if a handler sends an
   * operation its entry does not list (`test/support/table-use`).
   */
  table?: TableNeeds;
  bucket?: readonly BucketGrant[];
  publishEvents?: boolean;
  /** Reads the key that hashes reader secrets (voter tokens, source addresses, contacts). */
  readerHashKey?: boolean;
  /** Reads the keys that sign and verify anonymous reader tokens (shared/identity/reader-token). */
  readerTokenKey?: boolean;
  /**
   * Accepts the news site's own reader tokens where the deployment configures site sign-in: told
   * the site's issuer, audience and key set, or may read the shared secret the stack keeps.
   */
  siteSignIn?: boolean;
  /**
   * The stream router: forwards the table's stream records to the queue of every queue-triggered
   * function. May send messages to those queues and nothing else, and is told their URLs and
   * stream filters (`STREAM_ROUTES`). One function at most has it.
   */
  routeStreamRecords?: boolean;
  /**
   * Publishes live updates to the pages readers have open: `appsync:EventPublish` on the Event
   * API's story channel namespace, and nothing else of the API (readers may only subscribe; only
   * the backend publishes), and is told the API's HTTP endpoint (`LIVE_EVENTS_HTTP_URL`).
   */
  publishLiveUpdates?: boolean;
}

export interface FunctionDeclaration {
  /** Kebab-case `<verb>-<noun>`; also the folder under `functions/`. */
  name: string;
  description: string;
  trigger: Trigger;
  needs: ResourceNeeds;
  timeoutSeconds?: number;
  memoryMb?: number;
}

/**
 * A rule on the bus that delivers matching events to the editors rather than to a function: to
 * the editors' alert topic (e-mail) and to their inbox queue, which has its own dead-letter queue.
 */
export interface EditorAlertRule {
  ruleName: string;
  description: string;
  pattern: EventPattern;
  /** Retries of a failed delivery to the topic or the inbox before the dead-letter queue. */
  retryAttempts: number;
  maxEventAgeSeconds: number;
}

export interface Topology {
  functions: readonly FunctionDeclaration[];
  /** What editors are alerted to; no alert resources at all when absent or empty. */
  editorAlerts?: readonly EditorAlertRule[];
}

/** Where a function's handler lives, relative to the repository root. */
export function handlerEntry(fn: Pick<FunctionDeclaration, 'name'>): string {
  return `functions/${fn.name}/handler.ts`;
}

export function isHttp(fn: FunctionDeclaration): fn is FunctionDeclaration & { trigger: HttpTrigger } {
  return fn.trigger.kind === 'http';
}
