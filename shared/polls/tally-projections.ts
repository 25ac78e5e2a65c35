/**
 * What follows from a story's tally once the aggregator has changed it: the `PollTallyUpdated`
 * event, `counts.votes` on the article, and the rankings behind `GET /polls/top` and
 * `GET /articles?sort=votes`. All of it is derived from the absolute tally and written only if
 * its version is newer than what is stored, so a redelivered or repeated update changes nothing.
 */
import { DETAIL_TYPES } from '../events/catalog';
import type { Clock, DomainEvent, EventPublisher } from '../ports';
import type { OptionCounts, PollDefinition, PollTally } from './poll';
import { pollResults } from './results';

/** Votes of one story over some period, per option. */
export interface VoteCounts {
  counts: OptionCounts;
  totalVotes: number;
}

/** No votes at all: the base of a story's first day. */
export const NO_VOTES: VoteCounts = Object.freeze({ counts: new Map<string, number>(), totalVotes: 0 });

/** The story's entry in the all-time ranking, as of tally `version`. */
export interface AllTimeRanking extends VoteCounts {
  version: number;
}

/**
 * The story's entry in one UTC day's ranking: the votes counted that day, i.e. the tally minus
 * the tally as it was when the day's first update came (`base`).
 */
export interface DayRanking extends VoteCounts {
  day: string;
  base: VoteCounts;
  version: number;
}

export interface ProjectionState {
  definition: PollDefinition | null;
  tally: PollTally;
  /** The tally version whose projections are all written (0 when none). */
  projectedVersion: number;
  allTime: AllTimeRanking | null;
  /** The entry of the day being updated, if it exists yet. */
  day: DayRanking | null;
}

export interface PollProjections {
  read(articleId: string, day: string): Promise<ProjectionState>;
  /** Each save writes only if `version` is newer than the stored one. */
  saveDay(articleId: string, ranking: DayRanking): Promise<void>;
  saveAllTime(articleId: string, ranking: AllTimeRanking): Promise<void>;
  /** Sets `counts.votes` on the article; records `version` as projected. Written last. */
  saveVoteCount(articleId: string, totalVotes: number, version: number): Promise<void>;
}

export type ProjectionOutcome = 'published' | 'unchanged' | 'no-poll';

/** `2024-03-14`: the UTC day a time falls on. */
export const utcDay = (at: Date): string => at.toISOString().slice(0, 10);

/**
 * Projects the story's current tally. Order matters for retries: the event goes first (a retry
 * after a crash publishes it again with the same version, which consumers ignore), the day's
 * entry before the all-time one (a new day's base is the all-time entry as it was before this
 * update), and the vote count last (it marks the version as fully projected).
 */
export async function projectTally(
  deps: { projections: PollProjections; events: EventPublisher; clock: Clock },
  articleId: string,
): Promise<ProjectionOutcome> {
  const day = utcDay(deps.clock.now());
  const state = await deps.projections.read(articleId, day);
  if (!state.definition) return 'no-poll';
  const { tally } = state;
  if (tally.version <= state.projectedVersion) return 'unchanged';
  await deps.events.publish([tallyUpdatedEvent(state.definition, tally)]);
  await deps.projections.saveDay(articleId, dayRanking(state, day));
  await deps.projections.saveAllTime(articleId, {
    counts: tally.counts,
    totalVotes: tally.totalVotes,
    version: tally.version,
  });
  await deps.projections.saveVoteCount(articleId, tally.totalVotes, tally.version);
  return 'published';
}

/** The day's entry for the current tally: its base is kept once set, else taken from the all-time entry. */
export function dayRanking(state: ProjectionState, day: string): DayRanking {
  const base = state.day?.day === day ? state.day.base : (state.allTime ?? NO_VOTES);
  const counts = new Map<string, number>();
  for (const [option, votes] of state.tally.counts) {
    const sinceBase = votes - (base.counts.get(option) ?? 0);
    if (sinceBase > 0) counts.set(option, sinceBase);
  }
  return {
    day,
    base: { counts: base.counts, totalVotes: base.totalVotes },
    counts,
    totalVotes: state.tally.totalVotes - base.totalVotes,
    version: state.tally.version,
  };
}

/** The event for a tally: absolute counts, so a consumer that missed one is healed by the next. */
export function tallyUpdatedEvent(definition: PollDefinition, tally: PollTally): DomainEvent {
  const results = pollResults(definition, tally);
  return {
    detailType: DETAIL_TYPES.pollTallyUpdated,
    detail: {
      schemaVersion: 1,
      articleId: definition.articleId,
      version: tally.version,
      question: results.question,
      options: results.options.map(({ id, label, votes }) => ({ id, label, votes })),
      totalVotes: results.totalVotes,
      updatedAt: tally.updatedAt ?? definition.definedAt,
    },
  };
}
