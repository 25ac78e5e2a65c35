/**
 * The reference pages under docs/ against the code they describe: a page may not name what the
 * code lacks, nor miss what the code has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../infra/constructs/news-function';
import { DETAIL_TYPES } from '../../../shared/events/catalog';

const page = (name: string) => readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');

/** The first cell of each row of the page's tables, without its code marks. */
const firstColumn = (markdown: string) =>
  [...markdown.matchAll(/^\|\s*`?([^|`]+?)`?\s*\|/gm)]
    .map((match) => match[1]!)
    .filter((cell) => !/^-+$/.test(cell) && cell !== 'detail-type');

describe('docs/events.md', () => {
  it('lists exactly the events of the catalog (shared/events/catalog.ts), each once', () => {
    const documented = firstColumn(page('events.md'));

    expect([...documented].sort()).toEqual(Object.values(DETAIL_TYPES).sort());
  });
});
