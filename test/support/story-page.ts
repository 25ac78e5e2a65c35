import { resolve } from 'node:path';

/**
 * An original story page with every feature of the seed page (`../shared/seed/`, which a fresh
 * clone does not have): a non-breaking space in the byline and before the photo credit, a CDT
 * time, the `(Outlet) –` lead-in, cited outlets, page furniture, a poll with the default
 * reactions, "Showing 3 of 41 comments" and three embedded comments, no final newline.
 * Its field-by-field parse is pinned in `test/unit/parse/text-page.test.ts`.
 */
export const STORY_PAGE = resolve(__dirname, '..', 'fixtures', 'stories', 'gull-point-lighthouse-logbooks.txt');
