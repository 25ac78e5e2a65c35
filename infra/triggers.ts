import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type {
  EventPattern,
  EventTrigger,
  FunctionDeclaration,
  HttpTrigger,
  QueueTrigger,
  S3Trigger,
  StreamTrigger,
} from './topology';

/** What the triggers attach to. */
export interface TriggerTargets {
  /** Where dead-letter queues and rules are created. */
  scope: Construct;
  api: apigw.HttpApi;
  /** Guards the routes declared `access: 'editor'`. */
  editorAuthorizer: apigw.IHttpRouteAuthorizer;
  bucket: s3.IBucket;
  table: dynamodb.ITableV2;
  bus: events.IEventBus;
}

/**
 * S3 notifications are asynchronous invocations; an event that cannot even be attempted for
 * this long (throttling) goes to the dead-letter queue. Six hours is Lambda's maximum: a burst
 * of dropped files is then ingested late rather than not at all.
 */
export const S3_MAX_EVENT_AGE = Duration.hours(6);

/** Long enough to notice a failure over a holiday weekend and replay it; SQS allows at most 14 days. */
export const DEAD_LETTER_RETENTION = Duration.days(14);

/** What wiring a trigger created that the stack builds on (throttling, alarms). */
export interface WiredTrigger {
  /** The API route of an HTTP trigger. */
  route?: apigw.HttpRoute;
  /** Where the events an asynchronous trigger could not deliver end up. */
  deadLetterQueue?: sqs.Queue;
  /** The queue a queue trigger reads (the stream router fills it). */
  queue?: sqs.Queue;
}

/** Wires the function to the trigger its declaration names. */
export function wireTrigger(fn: lambda.Function, declaration: FunctionDeclaration, on: TriggerTargets): WiredTrigger {
  const { trigger } = declaration;
  switch (trigger.kind) {
    case 'http':
      return wireHttp(fn, trigger, on);
    case 's3':
      return wireS3(fn, trigger, on);
    case 'event':
      return wireEvent(fn, trigger, on);
    case 'stream':
      return wireStream(fn, trigger, on);
    case 'queue':
      return wireQueue(fn, trigger, on);
    default:
      return assertNever(trigger);
  }
}

function wireHttp(fn: lambda.Function, trigger: HttpTrigger, on: TriggerTargets): WiredTrigger {
  const [route] = on.api.addRoutes({
    path: trigger.path,
    methods: [apigw.HttpMethod[trigger.method]],
    integration: new HttpLambdaIntegration(`${fn.node.id}Integration`, fn),
    // Public routes say so explicitly, so a default authorizer added to the API later cannot
    // silently lock readers out (nor an editor route be left open by omission).
    authorizer: trigger.access === 'editor' ? on.editorAuthorizer : new apigw.HttpNoneAuthorizer(),
  });
  return { route };
}

function wireS3(fn: lambda.Function, trigger: S3Trigger, on: TriggerTargets): WiredTrigger {
  const deadLetter = deadLetterQueue(fn, on);
  on.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.LambdaDestination(fn), {
    prefix: trigger.prefix,
  });
  fn.configureAsyncInvoke({
    retryAttempts: trigger.retryAttempts,
    maxEventAge: S3_MAX_EVENT_AGE,
    onFailure: new destinations.SqsDestination(deadLetter),
  });
  return { deadLetterQueue: deadLetter };
}

/** Lambda retries a failed asynchronous invocation at most twice, for at most six hours. */
const LAMBDA_ASYNC_RETRIES = 2;
const LAMBDA_MAX_EVENT_AGE_SECONDS = 6 * 3600;

/**
 * A bus rule invokes its function asynchronously, so two retry policies apply: EventBridge's
 * (the rule target's) covers delivering the event to Lambda, and sends what it cannot deliver to
 * the dead-letter queue; Lambda's own covers the function failing once the event is delivered,
 * which EventBridge never sees. Without an on-failure destination, an event the function failed
 * on after Lambda's retries would be dropped; with it, it ends in the same dead-letter queue.
 */
function wireEvent(fn: lambda.Function, trigger: EventTrigger, on: TriggerTargets): WiredTrigger {
  const deadLetter = deadLetterQueue(fn, on);
  fn.configureAsyncInvoke({
    retryAttempts: Math.min(trigger.retryAttempts, LAMBDA_ASYNC_RETRIES),
    maxEventAge: Duration.seconds(Math.min(trigger.maxEventAgeSeconds, LAMBDA_MAX_EVENT_AGE_SECONDS)),
    onFailure: new destinations.SqsDestination(deadLetter),
  });
  new events.Rule(on.scope, `${fn.node.id}${pascalCase(trigger.ruleName)}Rule`, {
    eventBus: on.bus,
    description: `${trigger.ruleName}: delivers matching events to ${fn.node.id}`,
    eventPattern: toCdkEventPattern(trigger.pattern),
    targets: [
      new targets.LambdaFunction(fn, {
        retryAttempts: trigger.retryAttempts,
        maxEventAge: Duration.seconds(trigger.maxEventAgeSeconds),
        deadLetterQueue: deadLetter,
      }),
    ],
  });
  return { deadLetterQueue: deadLetter };
}

function wireStream(fn: lambda.Function, trigger: StreamTrigger, on: TriggerTargets): WiredTrigger {
  const deadLetter = deadLetterQueue(fn, on);
  fn.addEventSource(
    new DynamoEventSource(on.table, {
      startingPosition: lambda.StartingPosition[trigger.startingPosition],
      batchSize: trigger.batchSize,
      maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds),
      // No filters means every record; an empty filter list is omitted rather than rendered.
      ...(trigger.filters.length > 0
        ? { filters: trigger.filters.map((pattern) => lambda.FilterCriteria.filter(pattern)) }
        : {}),
      // Handlers report the records that failed, so one bad record does not replay its batch.
      reportBatchItemFailures: true,
      retryAttempts: trigger.retryAttempts,
      bisectBatchOnError: trigger.bisectBatchOnError,
      onFailure: new SqsDlq(deadLetter),
    }),
  );
  return { deadLetterQueue: deadLetter };
}

/**
 * The function's own queue, filled by the stream router, with a dead-letter queue behind it
 * (SQS moves a message there after `maxReceiveCount` receives), read by an SQS event source
 * mapping that reports partial batch failures. FIFO queues run in high-throughput mode:
 * deduplication per message group (the router's ids are unique per record anyway) and
 * throughput per group rather than per queue. The mapping grants the function what it needs to
 * read and delete messages on this queue.
 */
function wireQueue(fn: lambda.Function, trigger: QueueTrigger, on: TriggerTargets): WiredTrigger {
  const deadLetter = deadLetterQueue(fn, on, { fifo: trigger.fifo });
  const queue = new sqs.Queue(on.scope, `${fn.node.id}Queue`, {
    ...(trigger.fifo
      ? {
          fifo: true,
          // The router sends a deduplication id per record and feature; the body alone is no identity.
          contentBasedDeduplication: false,
          deduplicationScope: sqs.DeduplicationScope.MESSAGE_GROUP,
          fifoThroughputLimit: sqs.FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
        }
      : {}),
    visibilityTimeout: Duration.seconds(trigger.visibilityTimeoutSeconds),
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    deadLetterQueue: { queue: deadLetter, maxReceiveCount: trigger.maxReceiveCount },
  });
  fn.addEventSource(
    new SqsEventSource(queue, {
      batchSize: trigger.batchSize,
      ...(trigger.maxBatchingWindowSeconds
        ? { maxBatchingWindow: Duration.seconds(trigger.maxBatchingWindowSeconds) }
        : {}),
      reportBatchItemFailures: true,
    }),
  );
  return { deadLetterQueue: deadLetter, queue };
}

/** One queue per function, so a look at its depth says which consumer is failing. */
function deadLetterQueue(fn: lambda.Function, on: TriggerTargets, options: { fifo?: boolean } = {}): sqs.Queue {
  return new sqs.Queue(on.scope, `${fn.node.id}DeadLetterQueue`, {
    // A FIFO queue's dead-letter queue must be FIFO too; it keeps each group's order for a redrive.
    ...(options.fifo ? { fifo: true } : {}),
    // SQS-managed keys: the Lambda and EventBridge services can send without a KMS key policy.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    retentionPeriod: DEAD_LETTER_RETENTION,
  });
}

/**
 * The topology writes patterns in EventBridge's own syntax (`detail-type`); the CDK type names
 * that field `detailType` and renders it back, passing every other field through unchanged.
 */
export function toCdkEventPattern(pattern: EventPattern): events.EventPattern {
  const { ['detail-type']: detailType, ...rest } = pattern;
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (the topology's readonly unknown[] values against CDK's string[]); the rule misreads the contextual type
  return (detailType === undefined ? rest : { ...rest, detailType }) as events.EventPattern;
}

/** `publish-article-changes` → `PublishArticleChanges`: readable construct ids and logical ids. */
export function pascalCase(kebab: string): string {
  return kebab
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

function assertNever(trigger: never): never {
  throw new Error(`Unknown trigger kind: ${JSON.stringify(trigger)}`);
}
