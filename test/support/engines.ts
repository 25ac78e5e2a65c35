/**
 * Clients and per-file isolation for tests that use the engines globalSetup started. Every
 * test file gets fresh, uniquely named tables and buckets, so files can run in parallel
 * against the shared engines without seeing each other's data.
 */
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { ensureBucket } from '../../infra/local/create-bucket';
import { ensureTable } from '../../infra/local/create-table';
import { localClientConfig, localS3ClientConfig } from '../../infra/local/engines/local-clients';

let dynamoClient: DynamoDBClient | undefined;
let s3Client: S3Client | undefined;

/** A DynamoDB client for the shared DynamoDB Local (one per test file). */
export function testDynamoClient(): DynamoDBClient {
  dynamoClient ??= new DynamoDBClient(localClientConfig(endpointFromEnv('TEST_DYNAMODB_ENDPOINT')));
  return dynamoClient;
}

/** An S3 client for the shared S3 emulator (one per test file). */
export function testS3Client(): S3Client {
  s3Client ??= new S3Client(localS3ClientConfig(endpointFromEnv('TEST_S3_ENDPOINT')));
  return s3Client;
}

/** Creates a table with the application's design under a unique name, and returns the name. */
export async function createTestTable(prefix: string): Promise<string> {
  const name = `${prefix.replace(/[^a-zA-Z0-9_.-]/g, '-').slice(0, 200)}-${uniqueSuffix()}`;
  await ensureTable(testDynamoClient(), name);
  return name;
}

/** Creates an empty bucket under a unique, valid bucket name, and returns the name. */
export async function createTestBucket(prefix: string): Promise<string> {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  const name = `${cleaned || 'test'}-${uniqueSuffix()}`;
  await ensureBucket(testS3Client(), name);
  return name;
}

/** Time plus randomness: unique across workers and across runs against a persistent engine. */
function uniqueSuffix(): string {
  return `${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;
}

function endpointFromEnv(name: 'TEST_DYNAMODB_ENDPOINT' | 'TEST_S3_ENDPOINT'): string {
  const endpoint = process.env[name];
  if (!endpoint) {
    throw new Error(
      `${name} is not set: the engines were not started. Run through jest with ` +
        'test/support/global-setup.ts as globalSetup, and without JEST_ENGINES=off.',
    );
  }
  return endpoint;
}
