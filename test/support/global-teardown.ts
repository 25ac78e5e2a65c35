/** Jest globalTeardown: stops the engines globalSetup started and removes their data. */
import { rm } from 'node:fs/promises';
import { TEST_ENGINES_KEY, type TestEngines } from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const holder = globalThis as Record<string, unknown>;
  const engines = holder[TEST_ENGINES_KEY] as TestEngines | undefined;
  if (!engines) return; // JEST_ENGINES=off, or setup failed (and cleaned up after itself)
  delete holder[TEST_ENGINES_KEY];
  await Promise.all([engines.dynamo.stop(), engines.s3.stop()]);
  await rm(engines.dataDir, { recursive: true, force: true });
}
