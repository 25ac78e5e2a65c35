/**
 * The schema library every module validates with: zod's tree-shakable `mini` build with
 * English messages. Import it as `import * as z from '…/validation'`: a namespace import keeps
 * it tree-shakable. The classic `zod` entry (or re-exporting `z` as one object) bundles every
 * method and locale, about 440 KB minified, most of a handler's bundle and of its load time.
 */
import { config } from 'zod/mini';
import { en } from 'zod/locales';

config(en());

export * from 'zod/mini';

/**
 * The entries of `record` that `fields` names, in the record's own order. On an object schema's
 * `shape` it gives a narrower object the field schemas of a wider one (one definition of each
 * field); on a value, the same fields of the data.
 */
export function pickFields<T extends object, K extends keyof T & string>(record: T, fields: readonly K[]): Pick<T, K> {
  const wanted = new Set<string>(fields);
  // Typed records hold every field of `K`; an untyped one (a stored item) is parsed afterwards,
  // and the schema reports any field it lacks.
  return Object.fromEntries(Object.entries(record).filter(([field]) => wanted.has(field))) as Pick<T, K>;
}
