import type { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { StreamRoute } from '../shared/store/stream-routes';
import { EVENT_SOURCE } from '../shared/events/catalog';
import { ENV } from '../shared/config';
import type { EventPattern, ObjectAction, ResourceNeeds, TableAction, TableNeeds } from './topology';

/** The shared resources a function's needs refer to. */
export interface NeededResources {
  table: dynamodb.ITableV2;
  bucket: s3.IBucket;
  bus: events.IEventBus;
  readerHashKey: secretsmanager.ISecret;
}

/** The one IAM action each declared table operation is authorized by. */
const TABLE_ACTIONS: Record<TableAction, string> = {
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
 * Grants exactly the declared operations: item operations on the table's ARN, index reads on
 * its indexes' ARNs. Not CDK's `readData`/`writeData`, which add `Scan`, `ConditionCheckItem`,
 * `DeleteItem`, `BatchWriteItem` and `DescribeTable` on the table and every index to whoever reads
 * or writes anything. The table is encrypted with an AWS-owned key, so there is no key to grant.
 */
function grantTable(grantee: iam.IGrantable, needs: TableNeeds, table: dynamodb.ITableV2): void {
  // A table need without operations would hand the function the table's name and no way to use it.
  if (needs.actions.length === 0) throw new Error('A table need must name the operations it sends');
  const onTable = new Set<string>();
  const onIndexes = new Set<string>();
  for (const action of needs.actions) (INDEX_OPERATIONS.has(action) ? onIndexes : onTable).add(TABLE_ACTIONS[action]);
  if (onTable.size > 0) iam.Grant.addToPrincipal({ grantee, actions: [...onTable], resourceArns: [table.tableArn] });
  if (onIndexes.size > 0) {
    iam.Grant.addToPrincipal({ grantee, actions: [...onIndexes], resourceArns: [`${table.tableArn}/index/*`] });
  }
}

/** Every grant is scoped to the declared prefix (`<prefix>*`), never to the whole bucket. */
const OBJECT_GRANTS: Record<
  ObjectAction,
  (grants: s3.BucketGrants, grantee: iam.IGrantable, keys: string) => iam.Grant
> = {
  read: (grants, grantee, keys) => grants.read(grantee, keys),
  // `put`, not `write`: write would add s3:DeleteObject*, which a function must declare on its own.
  write: (grants, grantee, keys) => grants.put(grantee, keys),
  delete: (grants, grantee, keys) => grants.delete(grantee, keys),
};

/**
 * Grants a function exactly what its declared needs imply, and nothing else. Permissions that
 * a trigger itself requires (reading the table stream, sending to its dead-letter queue) are
 * added by the trigger wiring, since the function cannot run without them.
 */
export function grantNeeds(grantee: iam.IGrantable, needs: ResourceNeeds, resources: NeededResources): void {
  if (needs.table) grantTable(grantee, needs.table, resources.table);
  const bucketGrants = s3.BucketGrants.fromBucket(resources.bucket);
  for (const { prefix, actions } of needs.bucket ?? []) {
    for (const action of new Set(actions)) OBJECT_GRANTS[action](bucketGrants, grantee, `${prefix}*`);
  }
  if (needs.publishEvents) resources.bus.grantPutEventsTo(grantee);
  if (needs.readerHashKey) resources.readerHashKey.grantRead(grantee);
}

/**
 * The variables (names from `shared/config`) that tell a handler where the resources it
 * needs are. A function is only told about what it may touch, so a handler that reads a
 * resource it did not declare fails at cold start with the variable's name.
 */
export function environmentFor(needs: ResourceNeeds, resources: NeededResources): Record<string, string> {
  const environment: Record<string, string> = {};
  if (needs.table) environment[ENV.tableName] = resources.table.tableName;
  if (needs.bucket?.length) environment[ENV.bucketName] = resources.bucket.bucketName;
  if (needs.publishEvents) {
    environment[ENV.eventBusName] = resources.bus.eventBusName;
    environment[ENV.eventSource] = EVENT_SOURCE;
  }
  if (needs.readerHashKey) environment[ENV.readerHashKeySecretArn] = resources.readerHashKey.secretArn;
  return environment;
}

/** A feature the stream router forwards to, with its queue as the stack built it. */
export interface RoutedFeature {
  feature: string;
  queue: sqs.IQueue;
  filters: readonly EventPattern[];
}

/**
 * The stream router's grant: `sqs:SendMessage` (which SendMessageBatch is authorized by) on the
 * queues it forwards to, and nothing else; not even reading them.
 */
export function grantStreamRouting(grantee: iam.IGrantable, features: readonly RoutedFeature[]): void {
  iam.Grant.addToPrincipal({
    grantee,
    actions: ['sqs:SendMessage'],
    resourceArns: features.map(({ queue }) => queue.queueArn),
  });
}

/** The router's `STREAM_ROUTES`: each feature's queue URL (resolved at deploy) and stream filters. */
export function streamRoutingEnvironment(scope: Stack, features: readonly RoutedFeature[]): Record<string, string> {
  const routes: StreamRoute[] = features.map(({ feature, queue, filters }) => ({
    feature,
    queueUrl: queue.queueUrl,
    filters,
  }));
  return { [ENV.streamRoutes]: scope.toJsonString(routes) };
}
