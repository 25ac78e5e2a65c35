/**
 * Fault injection for the local stack and tests: `FAULT_INJECTION=<name>[:<times>],…` makes the
 * named point fail its first `<times>` passes (default 1) in this process, so a test can prove
 * that retries and idempotency hold. The variable is read at each pass, so a test can switch a
 * fault on while the stack runs. Nothing sets it on AWS.
 */
import { ENV, optionalEnv } from './config';

/** The points that can be made to fail. */
export type FaultName =
  /** The vote aggregator fails right after applying a batch (tallies must still end exact). */
  | 'poll-tally-after-apply'
  /** The S3-triggered ingest fails before touching the object (a poison drop). */
  | 'ingest-object'
  /** The article-change publisher fails a record (a poison stream record). */
  | 'publish-article-change';

export class InjectedFaultError extends Error {
  constructor(readonly fault: FaultName) {
    super(`Injected fault: ${fault}`);
    this.name = 'InjectedFaultError';
  }
}

const injected = new Map<FaultName, number>();

/** Throws InjectedFaultError if `fault` is switched on and has not yet failed as often as asked. */
export function failIfInjected(fault: FaultName, env: NodeJS.ProcessEnv = process.env): void {
  const times = faultTimes(fault, env);
  const done = injected.get(fault) ?? 0;
  if (done >= times) return;
  injected.set(fault, done + 1);
  throw new InjectedFaultError(fault);
}

/** How many times `fault` has been injected in this process. */
export function injectedFaultCount(fault: FaultName): number {
  return injected.get(fault) ?? 0;
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
