import { settingValue } from '../config';
import { POLL_REACTIONS } from '../tunable-settings';

/**
 * The reactions offered when a story's poll names no options of its own: `POLL_REACTIONS`
 * (labels separated by `|`, e.g. `Great|Fair|Bad`), or its default. A malformed value fails at
 * cold start with the variable's name.
 */
export function reactionsFromEnv(env: NodeJS.ProcessEnv = process.env): readonly string[] {
  const raw = settingValue(POLL_REACTIONS, env);
  const labels = raw
    .split('|')
    .map((label) => label.trim())
    .filter(Boolean);
  if (labels.length < 2)
    throw new Error(`${POLL_REACTIONS.name} must name at least two reactions separated by |; got ${raw}`);
  return Object.freeze(labels);
}
