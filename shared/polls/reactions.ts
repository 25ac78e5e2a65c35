import { ENV, optionalEnv } from '../config';

/** The reactions offered when a story's poll names no options of its own. */
export const DEFAULT_REACTIONS: readonly string[] = Object.freeze([
  'Important',
  'Interesting',
  'Encouraging',
  'Sad',
  'Scary',
  'Infuriating',
  'Silly',
]);

/**
 * The default reactions, from `POLL_REACTIONS` (labels separated by `|`, e.g.
 * `Great|Fair|Bad`) when set. A malformed value fails at cold start with the variable's name.
 */
export function reactionsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const raw = optionalEnv(ENV.pollReactions, env);
  if (raw === undefined) return DEFAULT_REACTIONS;
  const labels = raw
    .split('|')
    .map((label) => label.trim())
    .filter(Boolean);
  if (labels.length < 2)
    throw new Error(`${ENV.pollReactions} must name at least two reactions separated by |; got ${raw}`);
  return Object.freeze(labels);
}
