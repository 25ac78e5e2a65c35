import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Context } from 'aws-lambda';
import { FUNCTION_SIZE_DEFAULTS } from '../constructs/function-defaults';
import type { FunctionDeclaration } from '../topology';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './engines/local-clients';

/** A topology function as the local stack invokes it: the way the Lambda service invokes it. */
export interface LocalFunction {
  declaration: FunctionDeclaration;
  invoke(event: unknown): Promise<unknown>;
}

/**
 * Lambda runs one invocation per sandbox at a time and starts another sandbox when all are busy.
 * Locally, each function gets up to this many sandboxes; more concurrent calls wait for one to be
 * free. Every sandbox compiles and warms its own copy of the SDK and the handler, so on two cores
 * a sandbox is worth starting only for a queue that lasts (see `scaleUpAfterMs`).
 */
export const DEFAULT_SANDBOXES_PER_FUNCTION = 4;

/**
 * Sandboxes start lazily: the first call starts one; the second starts once a call has waited
 * 100 ms for a busy one, each further one once a call has waited a second. Measured on this
 * project's 2-core machine (shared with other jobs): the bad-input suite (12 concurrent requests
 * on every route, each answered in milliseconds) took 93 s with at most one sandbox per function,
 * 78 s with two and 92 s with four started as soon as calls waited; its queues rarely last a
 * second, so it keeps to about two. 1,000 votes sent 40 at a time queue for longer and get all four.
 */
export function scaleUpAfterMs(running: number): number {
  return running < 2 ? 100 : 1_000;
}

/** Lambda's limit on the init phase (module loading); a slower init fails the invocation. */
const INIT_TIMEOUT_MS = 10_000;

/** A sandbox left unused this long is shut down, as Lambda reclaims idle execution environments. */
const DEFAULT_IDLE_MS = 10 * 60_000;

const SANDBOX_SCRIPT = join(__dirname, 'function-sandbox.mjs');

export class FunctionTimeoutError extends Error {
  constructor(name: string, seconds: number) {
    super(`${name}: Task timed out after ${seconds.toFixed(2)} seconds`);
    this.name = 'FunctionTimeoutError';
  }
}

/** A failure inside a sandbox, carrying the error's own name (Lambda's `errorType`) and message. */
export class FunctionError extends Error {
  constructor(name: string, message: string, stack?: string) {
    super(message);
    this.name = name;
    if (stack) this.stack = stack;
  }
}

export interface IsolatedFunctionOptions {
  declaration: FunctionDeclaration;
  /** The function's bundle (`function-bundles.ts`). */
  bundle: string;
  /** Everything the function's `process.env` holds, and nothing else (`function-environment.ts`). */
  environment: Readonly<Record<string, string>>;
  /** Counters of injected faults, shared with the host (`shared/faults.ts`). */
  faultCounters: Int32Array;
  /** The stack's log: a REPORT line on each cold start, timeouts, crashed sandboxes. */
  log: (line: string) => void;
  /** Where the handler's own output goes; to this process's stdout and stderr when omitted. */
  output?: (line: FunctionOutputLine) => void;
  maxSandboxes?: number;
  idleMs?: number;
  /** Told when an invocation ends, whatever its outcome (it may have written somewhere). */
  onInvoked?: () => void;
}

/** One line a handler wrote (its logger writes JSON lines to stdout). */
export interface FunctionOutputLine {
  functionName: string;
  stream: 'stdout' | 'stderr';
  text: string;
}

export interface IsolatedFunction extends LocalFunction {
  /** Sandboxes running now (busy or idle). */
  readonly sandboxes: number;
  /** Stops every sandbox; invocations in flight or waiting fail. */
  stop(): Promise<void>;
}

type SandboxMessage =
  | { type: 'ready'; memoryUsedMb: number }
  | { type: 'init-error'; error: ErrorDescription }
  | { type: 'result'; requestId: string; ok: true; payload: string; memoryUsedMb: number }
  | { type: 'result'; requestId: string; ok: false; error: ErrorDescription; memoryUsedMb: number };

interface ErrorDescription {
  name: string;
  message: string;
  stack?: string;
}

interface Sandbox {
  worker: Worker;
  /** How long its init took, once it is ready. */
  initMs: number;
  /** The first invocation reports the init duration. */
  invocations: number;
  /** The message handler of the invocation in flight. */
  onResult?: (message: SandboxMessage) => void;
  /** Fails the invocation in flight when the sandbox dies under it. */
  onDeath?: (error: Error) => void;
  dead: boolean;
  idleTimer?: NodeJS.Timeout;
}

/**
 * Runs a topology function as Lambda does: each sandbox a worker thread of its own, with its own
 * module instances, only the function's environment, its declared memory as the heap limit
 * (`maxOldGenerationSizeMb`), and a timeout that ends the sandbox (Lambda discards a timed-out
 * execution environment; the next invocation starts cold). The first invocation of each sandbox
 * logs a REPORT line with its init duration, as Lambda's does.
 */
export function isolatedFunction(options: IsolatedFunctionOptions): IsolatedFunction {
  const { declaration, log } = options;
  const name = declaration.name;
  const functionName = `local-${name}`;
  const memoryMb = declaration.memoryMb ?? FUNCTION_SIZE_DEFAULTS.memoryMb;
  const timeoutSeconds = declaration.timeoutSeconds ?? FUNCTION_SIZE_DEFAULTS.timeoutSeconds;
  const maxSandboxes = options.maxSandboxes ?? DEFAULT_SANDBOXES_PER_FUNCTION;
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const context = {
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
  } satisfies Partial<Context>;

  const live = new Set<Sandbox>();
  const starting = new Set<Sandbox>();
  const idle: Sandbox[] = [];
  const waiting: Array<{ since: number; resolve: (sandbox: Sandbox) => void; reject: (error: Error) => void }> = [];
  let scaleTimer: NodeJS.Timeout | undefined;
  let stopped = false;

  const discard = (sandbox: Sandbox) => {
    if (sandbox.dead) return;
    sandbox.dead = true;
    clearTimeout(sandbox.idleTimer);
    live.delete(sandbox);
    starting.delete(sandbox);
    const at = idle.indexOf(sandbox);
    if (at >= 0) idle.splice(at, 1);
    void sandbox.worker.terminate();
    pump();
  };

  /** Its init failed: the call it was started for fails with the init error, as in Lambda. */
  const initFailed = (sandbox: Sandbox, error: Error) => {
    if (sandbox.dead) return;
    waiting.shift()?.reject(error);
    discard(sandbox);
  };

  const start = (): void => {
    const started = performance.now();
    const worker = new Worker(SANDBOX_SCRIPT, {
      name: functionName,
      env: { ...options.environment },
      // Only what the sandbox needs: not the host's loaders (tsx, jest) nor its other flags.
      execArgv: ['--enable-source-maps'],
      resourceLimits: { maxOldGenerationSizeMb: memoryMb },
      workerData: { bundle: options.bundle, context, faultCounters: options.faultCounters },
      stdout: options.output !== undefined,
      stderr: options.output !== undefined,
    });
    if (options.output) {
      forwardLines(worker.stdout, (text) => options.output!({ functionName: name, stream: 'stdout', text }));
      forwardLines(worker.stderr, (text) => options.output!({ functionName: name, stream: 'stderr', text }));
    }
    const sandbox: Sandbox = { worker, initMs: 0, invocations: 0, dead: false };
    const initTimer = setTimeout(
      () =>
        initFailed(
          sandbox,
          new FunctionError('Runtime.InitTimeout', `${name}: init did not finish in ${INIT_TIMEOUT_MS} ms`),
        ),
      INIT_TIMEOUT_MS,
    );
    sandbox.onResult = (message) => {
      clearTimeout(initTimer);
      sandbox.onResult = undefined;
      sandbox.onDeath = undefined;
      if (message.type === 'ready') {
        sandbox.initMs = performance.now() - started;
        starting.delete(sandbox);
        return release(sandbox);
      }
      if (message.type === 'init-error') {
        const { name: type, message: text, stack } = message.error;
        log(
          `${name} INIT_REPORT Init Duration: ${ms(performance.now() - started)}\tPhase: init\tStatus: error\tError Type: ${type}`,
        );
        initFailed(sandbox, new FunctionError(type, text, stack));
      }
    };
    sandbox.onDeath = (error) => {
      clearTimeout(initTimer);
      initFailed(sandbox, error);
    };
    worker.on('message', (message: SandboxMessage) => sandbox.onResult?.(message));
    worker.on('error', (error: Error & { code?: string }) => {
      const death =
        error.code === 'ERR_WORKER_OUT_OF_MEMORY'
          ? new FunctionError(
              'Runtime.OutOfMemory',
              `Runtime exited with error: the heap reached its limit (Memory Size: ${memoryMb} MB)`,
            )
          : new FunctionError('Runtime.ExitError', `Runtime exited with error: ${error.name}: ${error.message}`);
      log(`${name} sandbox crashed: ${death.name}: ${death.message}`);
      sandbox.onDeath?.(death);
      discard(sandbox);
    });
    worker.on('exit', (code) => {
      if (!sandbox.dead) {
        sandbox.onDeath?.(new FunctionError('Runtime.ExitError', `Runtime exited with status ${code}`));
        discard(sandbox);
      }
    });
    live.add(sandbox);
    starting.add(sandbox);
  };

  /**
   * Hands warm sandboxes to waiting calls, oldest first, and starts a sandbox for a call nobody
   * will serve soon: at once when none runs, else once it has waited `scaleUpAfterMs`.
   */
  function pump(): void {
    if (stopped) return;
    while (waiting.length > 0 && idle.length > 0) {
      const sandbox = idle.pop()!;
      clearTimeout(sandbox.idleTimer);
      waiting.shift()!.resolve(sandbox);
    }
    clearTimeout(scaleTimer);
    scaleTimer = undefined;
    while (waiting.length > starting.size && live.size < maxSandboxes) {
      // The oldest call no starting sandbox is meant for.
      const waitedMs = performance.now() - waiting[starting.size]!.since;
      const patienceMs = scaleUpAfterMs(live.size);
      if (live.size > 0 && waitedMs < patienceMs) {
        scaleTimer = setTimeout(pump, patienceMs - waitedMs);
        return;
      }
      start();
    }
  }

  const acquire = () =>
    new Promise<Sandbox>((resolve, reject) => {
      if (stopped) return reject(new Error(`${name} is stopped`));
      waiting.push({ since: performance.now(), resolve, reject });
      pump();
    });

  function release(sandbox: Sandbox): void {
    sandbox.onResult = undefined;
    sandbox.onDeath = undefined;
    if (sandbox.dead || stopped) return;
    idle.push(sandbox);
    sandbox.idleTimer = setTimeout(() => discard(sandbox), idleMs);
    sandbox.idleTimer.unref();
    pump();
  }

  const run = async (sandbox: Sandbox, event: unknown): Promise<unknown> => {
    const requestId = randomUUID();
    const started = performance.now();
    const outcome = await new Promise<SandboxMessage>((resolve, reject) => {
      const timer = setTimeout(() => {
        log(`${name} ${requestId} Task timed out after ${timeoutSeconds.toFixed(2)} seconds; its sandbox is discarded`);
        reject(new FunctionTimeoutError(name, timeoutSeconds));
        discard(sandbox);
      }, timeoutSeconds * 1000);
      sandbox.onResult = (message) => {
        if (message.type !== 'result' || message.requestId !== requestId) return;
        clearTimeout(timer);
        resolve(message);
      };
      sandbox.onDeath = (error) => {
        clearTimeout(timer);
        reject(error);
      };
      sandbox.worker.postMessage({
        type: 'invoke',
        requestId,
        event: JSON.stringify(event ?? null),
        deadline: Date.now() + timeoutSeconds * 1000,
        faultInjection: process.env.FAULT_INJECTION,
      });
    });
    if (sandbox.invocations++ === 0 && outcome.type === 'result') {
      const duration = performance.now() - started;
      log(
        `${name} REPORT RequestId: ${requestId}\tDuration: ${ms(duration)}\tBilled Duration: ${Math.ceil(duration)} ms\t` +
          `Memory Size: ${memoryMb} MB\tMax Memory Used: ${outcome.memoryUsedMb} MB\tInit Duration: ${ms(sandbox.initMs)}`,
      );
    }
    if (outcome.type !== 'result') throw new Error(`${name}: unexpected ${outcome.type} from its sandbox`);
    if (!outcome.ok) throw new FunctionError(outcome.error.name, outcome.error.message, outcome.error.stack);
    return JSON.parse(outcome.payload) as unknown;
  };

  return {
    declaration,
    get sandboxes() {
      return live.size;
    },
    async invoke(event) {
      const sandbox = await acquire();
      try {
        return await run(sandbox, event);
      } finally {
        release(sandbox);
        options.onInvoked?.();
      }
    },
    async stop() {
      stopped = true;
      clearTimeout(scaleTimer);
      for (const { reject } of waiting.splice(0)) reject(new Error(`${name} is stopped`));
      const sandboxes = [...live];
      for (const sandbox of sandboxes) {
        sandbox.onDeath?.(new Error(`${name} is stopped`));
        discard(sandbox);
      }
      await Promise.all(sandboxes.map((sandbox) => sandbox.worker.terminate()));
    },
  };
}

function ms(value: number): string {
  return `${value.toFixed(2)} ms`;
}

/** Splits a sandbox's output stream into lines. */
function forwardLines(stream: NodeJS.ReadableStream, onLine: (text: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (pending !== '') onLine(pending);
  });
}
