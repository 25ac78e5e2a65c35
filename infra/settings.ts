import { TUNABLE_SETTING } from '../shared/config';

/**
 * The deployment's tunable settings from the CDK context `settings` (an object, or its JSON
 * text as `-c settings=…` passes it), checked against the names handlers actually read.
 */
export function settingsFromContext(context: unknown): Record<string, string> {
  if (context === undefined || context === null || context === '') return {};
  const parsed: unknown = typeof context === 'string' ? JSON.parse(context) : context;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('The CDK context "settings" must be an object of NAME: value');
  }
  const settings: Record<string, string> = {};
  for (const [name, value] of Object.entries(parsed)) {
    if (!TUNABLE_SETTING.test(name)) throw new Error(`Unknown setting ${name} in the CDK context "settings"`);
    settings[name] = String(value);
  }
  return settings;
}
