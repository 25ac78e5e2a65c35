/**
 * The access guards and the secrets extension imitation, run in a worker thread of their own.
 * Every call a function makes to an engine passes a guard, so on the host's main thread — which
 * also runs the HTTP API, the stream pollers, the bus and the S3 emulator — the guards would be
 * its busiest work; in their own thread they run beside it. The thread runs the bundle of
 * `thread-entry.ts` (built like the functions', see `function-bundles.ts`).
 */
import { parentPort, Worker } from 'node:worker_threads';
import { startAccessGuard, type AccessDenial, type GuardedService, type ObservedCall } from './access-guard';
import { IdentityRegistry, type LocalIdentity } from './identities';
import type { ArnScope } from './request-actions';
import { startSecretsExtension, type LocalSecret } from './secrets-extension';

export interface AccessThreadOptions {
  /** The engines to guard, by service. */
  upstreams: Readonly<Record<GuardedService, string>>;
  identities: readonly LocalIdentity[];
  scope: ArnScope;
  secrets: readonly LocalSecret[];
  onDenied?: (denial: AccessDenial) => void;
  /** See `AccessGuardOptions.observe`; DynamoDB only. */
  observe?: (call: ObservedCall) => void;
  /** The thread failed after it started: the functions can no longer reach the engines. */
  onCrash?: (error: Error) => void;
}

export interface AccessThread {
  /** Where the functions reach each engine. */
  endpoints: Record<GuardedService, string>;
  secretsExtensionPort: number;
  stop(): Promise<void>;
}

/** Its entry module, which `startAccessThread` is given the bundle of. */
export const ACCESS_THREAD_ENTRY = 'infra/local/access/thread-entry.ts';

/** What crosses from the host to the thread (everything but the callbacks). */
export type ThreadConfig = Omit<AccessThreadOptions, 'onDenied' | 'observe' | 'onCrash'> & { observe: boolean };

type ThreadMessage =
  | { type: 'ready'; endpoints: Record<GuardedService, string>; secretsExtensionPort: number }
  | { type: 'denied'; denial: AccessDenial }
  | { type: 'observed'; call: ObservedCall }
  | { type: 'failed'; message: string };

/** Starts the thread from this module's bundle and resolves once every guard listens. */
export async function startAccessThread(bundle: string, options: AccessThreadOptions): Promise<AccessThread> {
  const config: ThreadConfig = {
    upstreams: options.upstreams,
    identities: options.identities,
    scope: options.scope,
    secrets: options.secrets,
    observe: options.observe !== undefined,
  };
  const worker = new Worker(bundle, { name: 'access-guards', workerData: config, env: {}, execArgv: [] });
  let stopping = false;
  const ready = await new Promise<Extract<ThreadMessage, { type: 'ready' }>>((resolve, reject) => {
    let started = false;
    const fail = (error: Error) => (started ? options.onCrash?.(error) : reject(error));
    worker.on('message', (message: ThreadMessage) => {
      if (message.type === 'ready') {
        started = true;
        resolve(message);
      } else if (message.type === 'failed') reject(new Error(`The access guards did not start: ${message.message}`));
      else if (message.type === 'denied') options.onDenied?.(message.denial);
      else if (message.type === 'observed') options.observe?.(message.call);
    });
    worker.on('error', fail);
    worker.on('exit', (code) => {
      if (!stopping) fail(new Error(`The access guards' thread exited with status ${code}`));
    });
  });
  return {
    endpoints: ready.endpoints,
    secretsExtensionPort: ready.secretsExtensionPort,
    stop: async () => {
      stopping = true;
      await worker.terminate();
    },
  };
}

/** Inside the thread: start the guards and the extension, and report to the host. */
export async function runAccessThread(config: ThreadConfig): Promise<void> {
  const port = parentPort!;
  try {
    const identities = new IdentityRegistry(config.identities);
    const onDenied = (denial: AccessDenial) => port.postMessage({ type: 'denied', denial } satisfies ThreadMessage);
    const services = Object.keys(config.upstreams) as GuardedService[];
    const guards = await Promise.all(
      services.map((service) =>
        startAccessGuard({
          service,
          upstream: config.upstreams[service],
          identities,
          scope: config.scope,
          onDenied,
          ...(config.observe && service === 'dynamodb'
            ? { observe: (call: ObservedCall) => port.postMessage({ type: 'observed', call } satisfies ThreadMessage) }
            : {}),
        }),
      ),
    );
    const extension = await startSecretsExtension({ secrets: config.secrets, identities, onDenied });
    port.postMessage({
      type: 'ready',
      endpoints: Object.fromEntries(services.map((service, index) => [service, guards[index]!.endpoint])) as Record<
        GuardedService,
        string
      >,
      secretsExtensionPort: extension.port,
    } satisfies ThreadMessage);
  } catch (error) {
    port.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
  }
}
