/**
 * `npm start`: the whole backend on this machine, on embedded engines, with the same handlers
 * that run in Lambda. Data persists in LOCAL_DATA_DIR (default `.local/`) across restarts.
 */
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BUCKET_PREFIXES } from '../../shared/store/bucket-layout';
import { localDataDir, localPort } from './data-dir';
import { localS3ClientConfig } from './engines/local-clients';
import { contentTypeFor } from './content-types';
import { editorInboxPath } from './editor-alerts';
import { REPO_ROOT, startLocalStack, type RunningLocalStack } from './local-stack';

const SAMPLES_DIR = join(REPO_ROOT, 'samples', 'stories');

async function main(): Promise<void> {
  const dataDir = localDataDir();
  const started = Date.now();
  const stack = await startLocalStack({
    dataDir,
    port: localPort(),
    log: (line) => console.log(`[local] ${line}`),
    handlerLogLevel: process.env.POWERTOOLS_LOG_LEVEL || 'WARN',
  });
  const { endpoints } = stack;
  console.log(`\nNewsroom local stack ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  console.log(`  API       ${endpoints.api}`);
  console.log(`  S3        ${endpoints.s3}  (bucket ${endpoints.bucket})`);
  console.log(`  DynamoDB  ${endpoints.dynamodb}  (table ${endpoints.table})`);
  console.log(`  Events    ${join(dataDir, 'events.jsonl')}`);
  console.log(`  Inbox     ${editorInboxPath(dataDir)}  (editor alerts)`);
  console.log(`  Endpoints ${join(dataDir, 'endpoints.json')}`);
  console.log('Try: curl -s ' + `${endpoints.api}/articles | head -c 600`);
  console.log('Press Ctrl-C to stop.\n');

  await loadSamplesOnce(stack, dataDir);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the local stack…`);
    await stack.stop();
    console.log('Stopped. Data kept in', dataDir);
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

/** Drops the sample stories into `incoming/` on the first start, so the API has content to show. */
async function loadSamplesOnce(stack: RunningLocalStack, dataDir: string): Promise<void> {
  const marker = join(dataDir, 'samples-loaded');
  if (existsSync(marker) || !existsSync(SAMPLES_DIR)) return;
  const s3 = new S3Client(localS3ClientConfig(stack.endpoints.s3));
  const files = (await readdir(SAMPLES_DIR)).sort();
  for (const file of files) {
    await s3.send(
      new PutObjectCommand({
        Bucket: stack.endpoints.bucket,
        Key: `${BUCKET_PREFIXES.incoming}samples/${basename(file)}`,
        Body: await readFile(join(SAMPLES_DIR, file)),
        ContentType: contentTypeFor(file),
      }),
    );
  }
  await stack.idle();
  await writeFile(marker, new Date().toISOString());
  console.log(`[local] loaded ${files.length} sample stories from samples/stories/`);
}

main().catch((error: unknown) => {
  console.error('The local stack could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
