import type { Clock } from '../ports';
import { definePoll, type PollDefinition, type PollSource } from './poll';
import type { PollStore } from './ports';

export interface PollDefinitionDependencies {
  polls: Pick<PollStore, 'define'>;
  /** Offered when a story's poll names no options of its own. */
  reactions: readonly string[];
  clock: Clock;
}

/**
 * Defines the poll of a story that was just indexed, so that no public read ever has to write
 * it. Safe to repeat: a poll once defined never changes, so a re-ingest or an edit leaves the
 * stored one as it is, and a retry after a crash between the index write and this one defines
 * it then.
 */
export async function definePollOnIngest(
  deps: PollDefinitionDependencies,
  source: PollSource,
): Promise<PollDefinition> {
  return deps.polls.define(definePoll(source, deps.reactions, deps.clock.now()));
}
