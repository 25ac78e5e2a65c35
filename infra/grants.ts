import type { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { StreamRoute } from '../shared/store/stream-routes';
import { ENV } from '../shared/config';
import { policyFor, streamRoutingStatement } from './needs';
import type { EventPattern, ResourceNeeds } from './topology';

export { environmentFor, readsTableIndexes } from './needs';

/** The shared resources a function's needs refer to. */
export interface NeededResources {
  table: dynamodb.ITableV2;
  bucket: s3.IBucket;
  bus: events.IEventBus;
  readerHashKey: secretsmanager.ISecret;
  readerTokenKey: secretsmanager.ISecret;
  /** Site sign-in as configured; its secret when the site signs with a shared secret. */
  siteSignIn?: { issuer: string; audience: string; jwksUrl?: string; secret?: secretsmanager.ISecret };
  /** The Event API of live updates: its story namespace's ARN and its publish endpoint. */
  liveUpdates?: { namespaceArn: string; httpUrl: string };
}

/**
 * Grants a function exactly what its declared needs imply (`policyFor` in `infra/needs`, the
 * statements the local stack enforces too), and nothing else. Not CDK's table `readData` /
 * `writeData`, which add `Scan`, `ConditionCheckItem`, `DeleteItem`, `BatchWriteItem` and
 * `DescribeTable` on the table and every index to whoever reads or writes anything. The table
 * and bucket are encrypted with AWS-owned or S3-managed keys and the secret with the account's
 * default key, so there is no key to grant. Permissions that a trigger itself requires (reading
 * the table stream, sending to its dead-letter queue) are added by the trigger wiring, since the
 * function cannot run without them.
 */
export function grantNeeds(grantee: iam.IGrantable, needs: ResourceNeeds, resources: NeededResources): void {
  const statements = policyFor(needs, {
    table: resources.table.tableArn,
    bucket: resources.bucket.bucketArn,
    bus: resources.bus.eventBusArn,
    readerHashKey: resources.readerHashKey.secretArn,
    readerTokenKey: resources.readerTokenKey.secretArn,
    ...(resources.siteSignIn?.secret ? { siteTokenSecret: resources.siteSignIn.secret.secretArn } : {}),
    ...(resources.liveUpdates ? { liveUpdatesNamespace: resources.liveUpdates.namespaceArn } : {}),
  });
  for (const { actions, resources: resourceArns } of statements) {
    iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [...resourceArns] });
  }
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
  const { actions, resources } = streamRoutingStatement(features.map(({ queue }) => queue.queueArn));
  iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [...resources] });
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
