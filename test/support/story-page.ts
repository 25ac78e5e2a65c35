import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * An original story page with every feature of the seed page (`../shared/seed/`, which a fresh
 * clone does not have): a non-breaking space in the byline and before the photo credit, a CDT
 * time, the `(Outlet) –` lead-in, cited outlets, page furniture, a poll with the default
 * reactions, "Showing 3 of 41 comments" and three embedded comments, no final newline.
 * Its field-by-field parse is pinned in `test/unit/parse/text-page.test.ts`.
 */
export const STORY_PAGE = resolve(__dirname, '..', 'fixtures', 'stories', 'gull-point-lighthouse-logbooks.txt');

/** The headline on the first line of {@link STORY_PAGE}. */
export const STORY_PAGE_HEADLINE = 'Old Lighthouse Logbooks Fill a Gap in Storm Records';

/**
 * The text of {@link STORY_PAGE} under another headline. A page without a canonical URL is
 * identified by outlet, time and headline, so this is a story of its own: a test that needs a
 * story nobody else reports on, votes on or edits makes one with a headline of its own. Only the
 * first line changes; the page's poll keeps its question.
 */
export function storyPageTitled(headline: string): string {
  const [first, ...rest] = readFileSync(STORY_PAGE, 'utf8').split('\n');
  if (first !== STORY_PAGE_HEADLINE) throw new Error(`${STORY_PAGE} no longer starts with its headline`);
  return [headline, ...rest].join('\n');
}
