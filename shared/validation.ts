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
 * True when `A` and `B` are assignable to each other. Schemas assert it against the types they
 * describe (domain interfaces, response bodies), so a field added to one and not the other fails `tsc`.
 */
export type SameShape<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
