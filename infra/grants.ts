import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { policyFor } from './needs';
import type { ResourceNeeds } from './topology';

export { environmentFor, readsTableIndexes } from './needs';

/** The shared resources a function's needs refer to. */
export interface NeededResources {
  table: dynamodb.ITableV2;
  bucket: s3.IBucket;
  bus: events.IEventBus;
  readerHashKey: secretsmanager.ISecret;
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
  });
  for (const { actions, resources: resourceArns } of statements) {
    iam.Grant.addToPrincipal({ grantee, actions: [...actions], resourceArns: [...resourceArns] });
  }
}
