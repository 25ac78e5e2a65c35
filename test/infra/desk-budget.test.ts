import { gzipSync } from 'node:zlib';
import { buildDesk } from '../../infra/desk/build-desk';

/**
 * The editor desk's size budget: everything `/desk/` loads — the page, its script and any chunks
 * the script splits off, its styles — at most 21 KB gzip. Measured at 17.7 KB when the desk got
 * its queues, panels, reports and alerts (plain DOM, no framework): the budget is that and about
 * 20% headroom, so a new dependency or a doubled view shows here. Sizes are deterministic, so this
 * is a budget in `npm test`, as the reader widget's (widget-budget.test.ts).
 */
const DESK_GZIP_BUDGET = 21 * 1024;

it('loads the whole desk in at most 21 KB gzip', async () => {
  const files = await buildDesk();
  const names = [...files.keys()].sort();
  const gzipBytes = names.reduce((sum, name) => sum + gzipSync(files.get(name)!.bytes, { level: 9 }).length, 0);

  expect(names).toContain('index.html');
  expect(names.filter((name) => name !== 'index.html').every((name) => /-[A-Z0-9]{8}\.(js|css)$/.test(name))).toBe(
    true,
  ); // content-hashed
  expect({ names, gzipBytes, withinBudget: gzipBytes <= DESK_GZIP_BUDGET }).toEqual({
    names,
    gzipBytes,
    withinBudget: true,
  });
});
