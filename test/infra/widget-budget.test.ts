import { gzipSync } from 'node:zlib';
import { buildWidget, WIDGET_LOADER } from '../../infra/widget/build-widget';

/**
 * The reader widget's size budget (issue 13): everything a story view loads before the reader
 * interacts at most 20 KB gzip (Isso's embed is about 65 KB). Sizes are deterministic, so this is
 * a budget in `npm test`; `npm run bench -- widget` reports the figures per chunk.
 */
const INITIAL_LOAD_GZIP_BUDGET = 20 * 1024;

it('loads a story view in at most 20 KB gzip: the loader and every chunk it imports', async () => {
  const files = await buildWidget();
  const loader = new TextDecoder().decode(files.get(WIDGET_LOADER)!.bytes);
  const imported = [...loader.matchAll(/["']\.\/([\w-]+\.js)["']/g)].map((match) => match[1]!);
  const initial = [WIDGET_LOADER, ...imported];
  const gzipBytes = initial.reduce((sum, name) => sum + gzipSync(files.get(name)!.bytes, { level: 9 }).length, 0);

  expect(imported.length).toBeGreaterThan(0);
  expect(imported.every((name) => /-[A-Z0-9]{8}\.js$/.test(name))).toBe(true); // content-hashed
  expect({ initial, withinBudget: gzipBytes <= INITIAL_LOAD_GZIP_BUDGET }).toEqual({ initial, withinBudget: true });
});
