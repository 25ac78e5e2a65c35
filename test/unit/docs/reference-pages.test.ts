/**
 * The reference pages under docs/ against the code they describe: a page may not name what the
 * code lacks, nor miss what the code has.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../infra/constructs/news-function';
import { DETAIL_TYPES } from '../../../shared/events/catalog';
import { tableHeaded } from '../../support/markdown-tables';

const page = (name: string) => readFileSync(join(REPO_ROOT, 'docs', name), 'utf8');

describe('docs/events.md', () => {
  it('lists exactly the events of the catalog (shared/events/catalog.ts), each once', () => {
    const documented = tableHeaded(page('events.md'), 'detail-type').map(([detailType]) => detailType);

    expect([...documented].sort()).toEqual(Object.values(DETAIL_TYPES).sort());
  });
});
