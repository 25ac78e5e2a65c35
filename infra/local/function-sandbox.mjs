/**
 * One sandbox of a local function: the worker thread that `local-function.ts` starts for it, doing
 * what Lambda's Node.js runtime does in an execution environment. It imports the function's
 * bundle once (the init phase: module-scope code runs here, with only the function's own
 * environment), tells the host it is ready, then runs one invocation at a time as the host sends
 * them: the event and the result cross as JSON, as they do in Lambda.
 *
 * Plain JavaScript on purpose: a worker thread gets no TypeScript loader from its host (neither
 * tsx's under `npm start` nor jest's transform), and the bundle it imports is plain JavaScript too.
 */
import { getHeapStatistics } from 'node:v8';
import { pathToFileURL } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';

const { bundle, context, faultCounters } = workerData;

// Fault injection counts in memory the host shares with every sandbox (see shared/faults.ts).
globalThis[Symbol.for('newsroom.faultCounters')] = faultCounters;

let maxMemoryUsedMb = 0;
const memoryUsed = () => {
  const heap = getHeapStatistics();
  maxMemoryUsedMb = Math.max(maxMemoryUsedMb, Math.ceil((heap.used_heap_size + heap.external_memory) / 2 ** 20));
  return maxMemoryUsedMb;
};

/** An error as Lambda reports it: its type (the error's name) and message, and the stack for the log. */
const describe = (error) =>
  error instanceof Error
    ? { name: error.name, message: error.message, stack: error.stack }
    : { name: 'Error', message: String(error) };

let handler;
try {
  const module = await import(pathToFileURL(bundle).href);
  handler = module.handler;
  if (typeof handler !== 'function') throw new Error(`${bundle} does not export a handler`);
  parentPort.postMessage({ type: 'ready', memoryUsedMb: memoryUsed() });
} catch (error) {
  // The host discards this sandbox; the next invocation starts a new one, as Lambda retries init.
  parentPort.postMessage({ type: 'init-error', error: describe(error) });
}

parentPort.on('message', async (message) => {
  if (message.type !== 'invoke' || !handler) return;
  const { requestId, event, deadline, faultInjection } = message;
  // FAULT_INJECTION is the host's switch (a test may flip it while the stack runs); it reaches
  // the sandbox with each invocation. Nothing else of the host's environment does.
  if (faultInjection === undefined) delete process.env.FAULT_INJECTION;
  else process.env.FAULT_INJECTION = faultInjection;
  const lambdaContext = {
    ...context,
    awsRequestId: requestId,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
  try {
    const result = await handler(JSON.parse(event), lambdaContext);
    const payload = result === undefined ? 'null' : JSON.stringify(result);
    parentPort.postMessage({ type: 'result', requestId, ok: true, payload, memoryUsedMb: memoryUsed() });
  } catch (error) {
    parentPort.postMessage({
      type: 'result',
      requestId,
      ok: false,
      error: describe(error),
      memoryUsedMb: memoryUsed(),
    });
  }
});
