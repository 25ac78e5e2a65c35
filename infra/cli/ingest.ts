/**
 * `npm run ingest -- FILE...` uploads story files to the running local stack (found through
 * LOCAL_DATA_DIR), or with `--stack NAME` to a deployed stack (standard AWS credential chain),
 * waits for each outcome and prints the article id or the rejection reason, a line per item of a
 * feed. Exits 1 if any file, or any item of a feed, was rejected or produced no outcome in time.
 */
// First, before any SDK client exists: see the module's comment.
import '../local/quiet-sdk-node-warning';
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { S3Client } from '@aws-sdk/client-s3';
import { localDataDir } from '../local/data-dir';
import { localS3ClientConfig } from '../local/engines/local-clients';
import type { LocalEndpoints } from '../local/local-stack';
import { endpointsFile } from '../local/local-stack';
import { describeOutcome, everyStoryIngested, ingestFiles } from './ingest-files';

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      stack: { type: 'string' },
      region: { type: 'string' },
      timeout: { type: 'string', default: '60' },
    },
  });
  if (positionals.length === 0) {
    console.error('usage: npm run ingest -- [--stack NAME [--region REGION]] [--timeout SECONDS] FILE...');
    return 2;
  }
  const target = values.stack ? await deployedTarget(values.stack, values.region) : await localTarget();
  const outcomes = await ingestFiles({ ...target, files: positionals, timeoutMs: Number(values.timeout) * 1000 });
  for (const outcome of outcomes) for (const line of describeOutcome(outcome)) console.log(line);
  return everyStoryIngested(outcomes) ? 0 : 1;
}

async function localTarget(): Promise<{ s3: S3Client; bucket: string }> {
  const path = endpointsFile(localDataDir());
  let endpoints: LocalEndpoints;
  try {
    endpoints = JSON.parse(await readFile(path, 'utf8')) as LocalEndpoints;
  } catch {
    throw new Error(`No local stack found (${path} is missing). Start it with \`npm start\`, or pass --stack NAME.`);
  }
  return { s3: new S3Client(localS3ClientConfig(endpoints.s3)), bucket: endpoints.bucket };
}

async function deployedTarget(
  stackName: string,
  region: string | undefined,
): Promise<{ s3: S3Client; bucket: string }> {
  const config = region ? { region } : {};
  const out = await new CloudFormationClient(config).send(new DescribeStacksCommand({ StackName: stackName }));
  const bucket = out.Stacks?.[0]?.Outputs?.find((output) => output.OutputKey === 'BucketName')?.OutputValue;
  if (!bucket) throw new Error(`Stack ${stackName} has no BucketName output`);
  return { s3: new S3Client(config), bucket };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(/ECONNREFUSED/.test(message) ? 'The local stack is not answering; is `npm start` running?' : message);
    process.exit(2);
  },
);
