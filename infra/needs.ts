/**
 * What a function's declared needs give it, as plain data: the IAM statements its role holds and
 * the environment variables that name its resources. Both hosts read this one module: the CDK
 * stack grants the statements (`infra/grants.ts`) and sets the variables on the function; the
 * local stack enforces the same statements in front of its engines (`infra/local/access/`) and
 * gives each function's isolate the same variables. No CDK import here, so the local stack
 * loads without the CDK; ARNs and names are strings (CDK tokens in the stack, real ARNs locally).
 */
import { ENV } from '../shared/config';
import { EVENT_SOURCE } from '../shared/events/catalog';
import type { ObjectAction, ResourceNeeds, TableAction, TableNeeds } from './topology/types';

/** One Allow statement: every action on every resource (IAM wildcards `*` and `?` allowed). */
export interface PolicyStatement {
  actions: readonly string[];
  resources: readonly string[];
}

/** The ARNs of the shared resources a function's needs refer to. */
export interface NeededArns {
  table: string;
  bucket: string;
  bus: string;
  readerHashKey: string;
  readerTokenKey: string;
  /** The site's shared secret, when site sign-in is configured without a key set. */
  siteTokenSecret?: string;
  /** The Event API's story channel namespace (`arn:…:apis/<id>/channelNamespace/stories`), where live updates are published. */
  liveUpdatesNamespace?: string;
}

/** The names a handler is told; each is what the resource's construct calls it (`tableName`, …). */
export interface NeededNames {
  table: { tableName: string };
  bucket: { bucketName: string };
  bus: { eventBusName: string };
  readerHashKey: { secretArn: string };
  readerTokenKey: { secretArn: string };
  /** Site sign-in as configured (`infra/site-sign-in.ts`), with its secret's ARN in shared-secret mode. */
  siteSignIn?: { issuer: string; audience: string; jwksUrl?: string; secretArn?: string };
  /** The Event API's HTTP endpoint that takes publishes (`https://<http domain>/event`). */
  liveUpdates?: { httpUrl: string };
}

/** The one IAM action each declared table operation is authorized by. */
export const TABLE_ACTIONS: Record<TableAction, string> = {
  get: 'dynamodb:GetItem',
  batchGet: 'dynamodb:BatchGetItem',
  query: 'dynamodb:Query',
  queryIndex: 'dynamodb:Query',
  scan: 'dynamodb:Scan',
  put: 'dynamodb:PutItem',
  update: 'dynamodb:UpdateItem',
  delete: 'dynamodb:DeleteItem',
  batchWrite: 'dynamodb:BatchWriteItem',
  conditionCheck: 'dynamodb:ConditionCheckItem',
};

/** Operations on the global secondary indexes, whose ARNs are `<table arn>/index/<name>`. */
const INDEX_OPERATIONS: ReadonlySet<TableAction> = new Set(['queryIndex']);

/** Whether the declared table needs reach the indexes (`<table arn>/index/*`) at all. */
export function readsTableIndexes(needs: TableNeeds | undefined): boolean {
  return (needs?.actions ?? []).some((action) => INDEX_OPERATIONS.has(action));
}

/**
 * The object actions each declared bucket action is granted as, the lists CDK's `BucketGrants`
 * `read`, `put` and `delete` use (so the stack's statements are what they were when it called
 * those). `read` also lists the bucket (`s3:List*` on the bucket's own ARN): without it S3
 * answers a missing key with 403 instead of 404. `write` is `put`, not CDK's `write`, which
 * would add s3:DeleteObject*: a function must declare deletes on their own.
 */
export const OBJECT_ACTIONS: Record<ObjectAction, { actions: readonly string[]; alsoOnBucket: boolean }> = {
  read: { actions: ['s3:GetObject*', 's3:GetBucket*', 's3:List*'], alsoOnBucket: true },
  write: {
    actions: [
      's3:PutObject',
      's3:PutObjectLegalHold',
      's3:PutObjectRetention',
      's3:PutObjectTagging',
      's3:PutObjectVersionTagging',
      's3:Abort*',
    ],
    alsoOnBucket: false,
  },
  delete: { actions: ['s3:DeleteObject*'], alsoOnBucket: false },
};

/** Whether a function reads any secret, and so needs the secrets extension (a Lambda layer in AWS). */
export function readsSecrets(needs: ResourceNeeds): boolean {
  return Boolean(needs.readerHashKey || needs.readerTokenKey);
}

/** What reading a secret takes (CDK's `Secret.grantRead`). */
export const SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'] as const;

/**
 * The statements a function's role holds for its declared needs, and nothing else: table
 * operations one by one (item operations on the table, index reads on `<table>/index/*`), object
 * actions scoped to each declared prefix (`<bucket>/<prefix>*`), PutEvents on the bus, reading
 * the reader hash key. Permissions a trigger needs (reading the stream, sending to a dead-letter
 * queue) belong to the trigger's wiring, not to the function's code, and are not here.
 */
export function policyFor(needs: ResourceNeeds, arns: NeededArns): PolicyStatement[] {
  const statements: PolicyStatement[] = [];
  if (needs.table) {
    // A table need without operations would hand the function the table's name and no way to use it.
    if (needs.table.actions.length === 0) throw new Error('A table need must name the operations it sends');
    const onTable = new Set<string>();
    const onIndexes = new Set<string>();
    for (const action of needs.table.actions) {
      (INDEX_OPERATIONS.has(action) ? onIndexes : onTable).add(TABLE_ACTIONS[action]);
    }
    if (onTable.size > 0) statements.push({ actions: [...onTable], resources: [arns.table] });
    if (onIndexes.size > 0) statements.push({ actions: [...onIndexes], resources: [`${arns.table}/index/*`] });
  }
  for (const { prefix, actions } of needs.bucket ?? []) {
    const objects = `${arns.bucket}/${prefix}*`;
    for (const action of new Set(actions)) {
      const { actions: granted, alsoOnBucket } = OBJECT_ACTIONS[action];
      statements.push({ actions: granted, resources: alsoOnBucket ? [arns.bucket, objects] : [objects] });
    }
  }
  if (needs.publishEvents) statements.push({ actions: ['events:PutEvents'], resources: [arns.bus] });
  if (needs.readerHashKey) statements.push({ actions: SECRET_READ_ACTIONS, resources: [arns.readerHashKey] });
  if (needs.readerTokenKey) statements.push({ actions: SECRET_READ_ACTIONS, resources: [arns.readerTokenKey] });
  if (needs.siteSignIn && arns.siteTokenSecret) {
    statements.push({ actions: SECRET_READ_ACTIONS, resources: [arns.siteTokenSecret] });
  }
  if (needs.publishLiveUpdates) {
    if (!arns.liveUpdatesNamespace) throw new Error('A live-update publisher needs the Event API namespace ARN');
    statements.push({ actions: ['appsync:EventPublish'], resources: [arns.liveUpdatesNamespace] });
  }
  return statements;
}

/**
 * The stream router's statement (`routeStreamRecords`): `sqs:SendMessage`, which SendMessageBatch
 * is authorized by, on the queues of the features it feeds, and nothing else; not even reading
 * them. Apart from `policyFor` because the queues exist only once the features are wired.
 */
export function streamRoutingStatement(queueArns: readonly string[]): PolicyStatement {
  return { actions: ['sqs:SendMessage'], resources: queueArns };
}

/**
 * The variables (names from `shared/config`) that tell a handler where the resources it
 * needs are. A function is only told about what it may touch, so a handler that reads a
 * resource it did not declare fails at cold start with the variable's name.
 */
export function environmentFor(needs: ResourceNeeds, resources: NeededNames): Record<string, string> {
  const environment: Record<string, string> = {};
  if (needs.table) environment[ENV.tableName] = resources.table.tableName;
  if (needs.bucket?.length) environment[ENV.bucketName] = resources.bucket.bucketName;
  if (needs.publishEvents) {
    environment[ENV.eventBusName] = resources.bus.eventBusName;
    environment[ENV.eventSource] = EVENT_SOURCE;
  }
  if (needs.readerHashKey) environment[ENV.readerHashKeySecretArn] = resources.readerHashKey.secretArn;
  if (needs.readerTokenKey) environment[ENV.readerTokenKeySecretArn] = resources.readerTokenKey.secretArn;
  const site = needs.siteSignIn ? resources.siteSignIn : undefined;
  if (site) {
    environment[ENV.siteTokenIssuer] = site.issuer;
    environment[ENV.siteTokenAudience] = site.audience;
    if (site.jwksUrl) environment[ENV.siteTokenJwksUrl] = site.jwksUrl;
    if (site.secretArn) environment[ENV.siteTokenSecretArn] = site.secretArn;
  }
  if (needs.publishLiveUpdates) {
    if (!resources.liveUpdates) throw new Error("A live-update publisher needs the Event API's HTTP endpoint");
    environment[ENV.liveEventsHttpUrl] = resources.liveUpdates.httpUrl;
  }
  return environment;
}
