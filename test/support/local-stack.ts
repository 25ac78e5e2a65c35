/**
 * One local stack per end-to-end test file: started in a `beforeAll` against the DynamoDB Local
 * the run shares (with a table of the file's own), stopped in an `afterAll` with its data
 * directory removed. What the tests use of it — the API's base URL, tokens, the data directory,
 * the events it logged, an S3 client for the drop zone — is on the handle `withLocalStack` returns.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { issueToken } from '../../infra/local/auth';
import { localS3ClientConfig } from '../../infra/local/engines/local-clients';
import { startLocalStack, type LocalStackOptions, type RunningLocalStack } from '../../infra/local/local-stack';
import { mintReader, type MintedReader } from './reader-tokens';

export interface WithLocalStackOptions extends Partial<Omit<LocalStackOptions, 'dataDir' | 'dynamoEndpoint'>> {
  /** Names the data directory and the table, for finding them when a run fails. */
  name: string;
  /**
   * Variables the handler modules read when the stack loads them; `undefined` removes one. They
   * are set before the stack starts and put back as they were once it has stopped.
   */
  env?: Record<string, string | undefined>;
}

export interface LocalStackHandle {
  readonly stack: RunningLocalStack;
  /** The HTTP API's base URL. */
  readonly api: string;
  readonly dataDir: string;
  /** An S3 client for the stack's emulator (the drop zone and the rendered articles). */
  readonly s3: S3Client;
  /** Every line the stack logged (requests, events, failures), in order. */
  readonly logLines: string[];
  /** A new anonymous reader, minted through `POST /readers/anonymous` from its own address (or `sourceIp`). */
  reader(sourceIp?: string): Promise<MintedReader>;
  /** A token the stack accepts, for a role and optionally a subject. */
  token(role: 'editor' | 'reader', subject?: string): Promise<string>;
  /** The records of a JSON-lines file in the data directory (`events.jsonl`, `editor-inbox.jsonl`, …). */
  jsonLines<T = any>(file: string): Promise<T[]>;
  /** The events the local bus delivered, as logged to `events.jsonl`. */
  events<T = any>(): Promise<T[]>;
}

/** Registers the start and stop of a local stack for the calling test file; see the file comment. */
export function withLocalStack({ name, env = {}, ...options }: WithLocalStackOptions): LocalStackHandle {
  let stack: RunningLocalStack | undefined;
  let dataDir: string | undefined;
  let s3: S3Client | undefined;
  const logLines: string[] = [];
  const previousEnv = new Map<string, string | undefined>();
  const started = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The local stack's ${what} is used before the stack started`);
    return value;
  };

  beforeAll(async () => {
    for (const [variable, value] of Object.entries(env)) {
      previousEnv.set(variable, process.env[variable]);
      setEnv(variable, value);
    }
    dataDir = await mkdtemp(join(tmpdir(), `newsroom-${name}-`));
    stack = await startLocalStack({
      dataDir,
      port: 0,
      dynamoEndpoint: process.env.TEST_DYNAMODB_ENDPOINT!,
      tableName: `e2e-${name}-${Date.now().toString(36)}`,
      pollIntervalMs: 50,
      // Quick while records flow, backed off to a second while nothing is written (a function that
      // ran wakes the readers): a stack idling at 50 ms used about a third of a core.
      idlePollMaxMs: 1000,
      // Tests are readers at many addresses: each minted reader gets one of its own.
      trustForwardedFor: 'on',
      log: (line) => logLines.push(line),
      ...options,
    });
  }, 60_000);

  afterAll(async () => {
    s3?.destroy();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
    for (const [variable, value] of previousEnv) setEnv(variable, value);
  });

  const jsonLines = async (file: string) => {
    const text = await readFile(join(started(dataDir, 'data directory'), file), 'utf8').catch(() => '');
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line));
  };

  return {
    get stack() {
      return started(stack, 'handle');
    },
    get api() {
      return started(stack, 'API').endpoints.api;
    },
    get dataDir() {
      return started(dataDir, 'data directory');
    },
    get s3() {
      s3 ??= new S3Client(localS3ClientConfig(started(stack, 'S3 endpoint').endpoints.s3));
      return s3;
    },
    logLines,
    reader: (sourceIp) => mintReader(started(stack, 'API').endpoints.api, sourceIp),
    token: (role, subject) =>
      issueToken(started(stack, 'signing key').signingKey, { role, ...(subject ? { subject } : {}) }),
    jsonLines,
    events: () => jsonLines('events.jsonl'),
  };
}

function setEnv(variable: string, value: string | undefined): void {
  if (value === undefined) delete process.env[variable];
  else process.env[variable] = value;
}
