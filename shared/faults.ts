/**
 * Fault injection for the local stack and tests: `FAULT_INJECTION=<name>[:<times>],…` makes the
 * named point fail its first `<times>` passes (default 1) in this process, so a test can prove
 * that retries and idempotency hold. The variable is read at each pass, so a test can switch a
 * fault on while the stack runs. Nothing sets it on AWS.
 *
 * "In this process" includes the local stack's function isolates: the passes are counted in
 * shared memory that the stack hands to each of its worker threads (see `faultCounters`), so a
 * fault fails as often as asked whichever sandbox of whichever function reaches it, and the
 * host (a test) reads the same count.
 */
import { ENV, optionalEnv } from './config';

/** The points that can be made to fail. */
export const FAULT_NAMES = [
  /** The vote aggregator fails right after applying a batch (tallies must still end exact). */
  'poll-tally-after-apply',
  /** The S3-triggered ingest fails before touching the object (a poison drop). */
  'ingest-object',
  /** The article-change publisher fails a record (a poison stream record). */
  'publish-article-change',
] as const;

export type FaultName = (typeof FAULT_NAMES)[number];

export class InjectedFaultError extends Error {
  constructor(readonly fault: FaultName) {
    super(`Injected fault: ${fault}`);
    this.name = 'InjectedFaultError';
  }
}

/** Where the counters live: a global a host may set before the handler modules load. */
const COUNTERS_KEY = Symbol.for('newsroom.faultCounters');

/**
 * The passes failed so far, one counter per {@link FAULT_NAMES} entry, in a SharedArrayBuffer.
 * A host that runs handlers in worker threads passes this array to each of them and sets it as
 * the worker's own before the handler loads (`globalThis[Symbol.for('newsroom.faultCounters')]`).
 */
export function faultCounters(): Int32Array {
  const holder = globalThis as { [COUNTERS_KEY]?: Int32Array };
  holder[COUNTERS_KEY] ??= new Int32Array(new SharedArrayBuffer(FAULT_NAMES.length * Int32Array.BYTES_PER_ELEMENT));
  return holder[COUNTERS_KEY];
}

/** Throws InjectedFaultError if `fault` is switched on and has not yet failed as often as asked. */
export function failIfInjected(fault: FaultName, env: NodeJS.ProcessEnv = process.env): void {
  const times = faultTimes(fault, env);
  const counters = faultCounters();
  const slot = FAULT_NAMES.indexOf(fault);
  // Compare-and-swap: two sandboxes reaching the fault at once must not both take the last pass.
  for (;;) {
    const done = Atomics.load(counters, slot);
    if (done >= times) return;
    if (Atomics.compareExchange(counters, slot, done, done + 1) === done) throw new InjectedFaultError(fault);
  }
}

/** How many times `fault` has been injected in this process (its isolates included). */
export function injectedFaultCount(fault: FaultName): number {
  return Atomics.load(faultCounters(), FAULT_NAMES.indexOf(fault));
}

function faultTimes(fault: FaultName, env: NodeJS.ProcessEnv): number {
  const raw = optionalEnv(ENV.faultInjection, env);
  if (!raw) return 0;
  for (const entry of raw.split(',')) {
    const [name, times] = entry.trim().split(':');
    if (name !== fault) continue;
    const count = times === undefined ? 1 : Number(times);
    if (!Number.isInteger(count) || count < 0) throw new Error(`${ENV.faultInjection}: bad count in ${entry}`);
    return count;
  }
  return 0;
}
