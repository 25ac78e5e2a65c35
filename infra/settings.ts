import * as catalog from '../shared/tunable-settings';
import type { TunableSetting } from '../shared/config';

/** Every tunable setting of the catalog (shared/tunable-settings), in its order. */
export const TUNABLE_SETTINGS: readonly TunableSetting[] = Object.values(catalog);

const TUNABLE_NAMES: ReadonlySet<string> = new Set(TUNABLE_SETTINGS.map((setting) => setting.name));

/** Whether a variable is one an operator may set: both hosts pass exactly these to the functions. */
export function isTunableSetting(name: string): boolean {
  return TUNABLE_NAMES.has(name);
}

/**
 * The deployment's tunable settings from the CDK context `settings` (an object, or its JSON
 * text as `-c settings=…` passes it). A name the catalog lacks is refused, so a typo (or a setting
 * no handler reads any more) fails the synth instead of being silently ignored.
 */
export function settingsFromContext(context: unknown): Record<string, string> {
  if (context === undefined || context === null || context === '') return {};
  const parsed: unknown = typeof context === 'string' ? JSON.parse(context) : context;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The CDK context "settings" must be an object of NAME: value');
  }
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!isTunableSetting(name)) {
      throw new Error(
        `Unknown setting ${name} in the CDK context "settings"; known: ${[...TUNABLE_NAMES].join(', ')} (docs/configuration.md)`,
      );
    }
    settings[name] = String(value);
  }
  return settings;
}
