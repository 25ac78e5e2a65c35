/**
 * The reader poll under every story ("My Take on This Story"): what it asks, what readers can
 * answer, and the tally of their answers. A poll is defined from its article when the article is
 * indexed, and then kept as it is: readers who already voted must keep seeing the options they
 * chose from, whatever later edits or configuration changes do.
 */
import { slugify } from '../slug';
import type { PollOption } from './poll-shapes';

export interface PollDefinition {
  articleId: string;
  question: string;
  options: PollOption[];
  /** The story's headline when the poll was defined, for listings of polls. */
  headline: string;
  definedAt: string;
}

/**
 * Votes per option id. A `Map`, never a plain object: option ids come from story pages, and one
 * named `constructor` must not read as `Object.prototype.constructor`.
 */
export type OptionCounts = ReadonlyMap<string, number>;

/** Absolute vote counts of one poll; `version` grows by one with every applied aggregation. */
export interface PollTally {
  counts: OptionCounts;
  totalVotes: number;
  version: number;
  /** When the tally last changed; null before the first vote is counted. */
  updatedAt: string | null;
}

export const EMPTY_TALLY: PollTally = Object.freeze({
  counts: new Map<string, number>(),
  totalVotes: 0,
  version: 0,
  updatedAt: null,
});

/** What a poll is defined from: the parts of the article it needs. */
export interface PollSource {
  articleId: string;
  headline: string;
  poll: { question: string; options: string[] } | null;
}

/** Labels longer than this are cut; a poll has at most {@link MAX_OPTIONS} options. */
export const MAX_LABEL_LENGTH = 80;
export const MAX_OPTIONS = 12;

/**
 * The poll of an article: its own question and options when the article carries them, the
 * question `<headline> is...` otherwise, and the default reactions when it names fewer than two
 * options (a poll with one answer asks nothing).
 */
export function definePoll(source: PollSource, defaultReactions: readonly string[], now: Date): PollDefinition {
  const question = source.poll?.question.trim() || `${source.headline} is...`;
  const ownOptions = toOptions(source.poll?.options ?? []);
  return {
    articleId: source.articleId,
    question,
    options: ownOptions.length >= 2 ? ownOptions : toOptions(defaultReactions),
    headline: source.headline,
    definedAt: now.toISOString(),
  };
}

/**
 * The poll a story shows: its stored definition, or — for a story indexed before polls were
 * defined at ingest, and not voted on since — the one it would be given now.
 */
export function pollShown(
  stored: PollDefinition | null,
  source: PollSource,
  defaultReactions: readonly string[],
  now: Date,
): PollDefinition {
  return stored ?? definePoll(source, defaultReactions, now);
}

/** Options with unique ids, in the order given; labels whose id repeats an earlier one are dropped. */
export function toOptions(labels: readonly string[]): PollOption[] {
  const options: PollOption[] = [];
  const seen = new Set<string>();
  for (const raw of labels) {
    const label = raw.replace(/\s+/g, ' ').trim().slice(0, MAX_LABEL_LENGTH).trim();
    if (label === '') continue;
    const id = optionIdFor(label) || `option-${options.length + 1}`;
    if (seen.has(id)) continue;
    seen.add(id);
    options.push({ id, label });
    if (options.length === MAX_OPTIONS) break;
  }
  return options;
}

/** The id of an option label: its slug, so the same label always has the same id. */
export function optionIdFor(label: string): string {
  return slugify(label).slice(0, 40).replace(/-+$/, '');
}

export function findOption(definition: PollDefinition, optionId: string): PollOption | undefined {
  return definition.options.find((option) => option.id === optionId);
}
