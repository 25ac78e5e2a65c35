/**
 * Jest globalSetup: starts DynamoDB Local (in memory) and the S3 emulator once per run and
 * hands their endpoints to the workers through environment variables (workers are forked
 * after this runs and inherit `process.env`). Each test file isolates itself with its own
 * table and bucket (see `engines.ts`).
 *
 * `JEST_ENGINES=off npx jest test/unit` skips starting the engines, for fast unit-only runs;
 * a test that needs them then fails with a message saying so.
 *
 * The S3 emulator's object-created events fire in this process, not in the workers: tests use
 * this instance as a plain S3, and a test that needs notifications starts its own emulator.
 *
 * Meanwhile it brings the local stack's function bundles up to date (`.bundles/local/`), so the
 * end-to-end files, which each start a local stack, find them built instead of all building them
 * at once on both workers.
 */
// Set here, before the workers are forked, so every test file's SDK clients stay quiet too.
import '../../infra/local/quiet-sdk-node-warning';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../infra/local/engines/dynamodb-local';
import { startS3Emulator, type S3Emulator } from '../../infra/local/engines/s3-emulator';
import { ACCESS_THREAD_ENTRY } from '../../infra/local/access/access-thread';
import { prepareBundles } from '../../infra/local/function-bundles';
import { handlerEntry, topology } from '../../infra/topology';

/** What globalTeardown needs; globalSetup and globalTeardown share one `globalThis`. */
export interface TestEngines {
  dynamo: DynamoDbLocal;
  s3: S3Emulator;
  /** Temporary directory holding the emulator's objects; removed on teardown. */
  dataDir: string;
}

/** The `globalThis` property holding {@link TestEngines}. */
export const TEST_ENGINES_KEY = '__newsroomTestEngines';

/** Starts the engines unless `JEST_ENGINES=off`; see the file comment. */
export default async function globalSetup(): Promise<void> {
  if (process.env.JEST_ENGINES === 'off') return;
  const dataDir = await mkdtemp(join(tmpdir(), 'newsroom-test-'));
  // All at once: the JVM takes seconds, s3rver milliseconds, bundling nothing or seconds.
  const [dynamo, s3, bundles] = await Promise.allSettled([
    startDynamoDbLocal({}),
    startS3Emulator({ dataDir: join(dataDir, 's3'), buckets: [] }),
    prepareBundles(topology.functions.map((fn) => ({ name: fn.name, entry: handlerEntry(fn) }))).then(() =>
      prepareBundles([{ name: 'access-guards', entry: ACCESS_THREAD_ENTRY }]),
    ),
  ]);
  // A bundle that does not build fails the test files that start a stack, with esbuild's message.
  if (bundles.status === 'rejected') console.warn('Bundling the local functions failed:', bundles.reason);
  if (dynamo.status === 'rejected' || s3.status === 'rejected') {
    if (dynamo.status === 'fulfilled') await dynamo.value.stop();
    if (s3.status === 'fulfilled') await s3.value.stop();
    await rm(dataDir, { recursive: true, force: true });
    throw dynamo.status === 'rejected' ? dynamo.reason : (s3 as PromiseRejectedResult).reason;
  }
  process.env.TEST_DYNAMODB_ENDPOINT = dynamo.value.endpoint;
  process.env.TEST_S3_ENDPOINT = s3.value.endpoint;
  const engines: TestEngines = { dynamo: dynamo.value, s3: s3.value, dataDir };
  (globalThis as Record<string, unknown>)[TEST_ENGINES_KEY] = engines;
}
