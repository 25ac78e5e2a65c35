import { gzipSync } from 'node:zlib';
import {
  buildWidget,
  INITIAL_LOAD_GZIP_BUDGET_BYTES,
  loadedBeforeInteraction,
  WIDGET_LOADER,
} from '../../infra/widget/build-widget';

/**
 * The reader widget's size budget (issue 13): everything a story view loads before the reader
 * interacts at most 20 KB gzip (Isso's client, measured the same way, is about 22 KB: see
 * ISSO_CLIENT in bench/widget.ts). Sizes are deterministic, so this is a budget in `npm test`;
 * `npm run bench -- widget` reports the figures per chunk and charts them.
 */
it('loads a story view in at most 20 KB gzip: the loader and every chunk it imports', async () => {
  const files = await buildWidget();
  const initial = loadedBeforeInteraction(files);
  const [loader, ...imported] = initial;
  const gzipBytes = initial.reduce((sum, name) => sum + gzipSync(files.get(name)!.bytes, { level: 9 }).length, 0);

  expect(loader).toBe(WIDGET_LOADER);
  expect(imported.length).toBeGreaterThan(0);
  expect(imported.every((name) => /-[A-Z0-9]{8}\.js$/.test(name))).toBe(true); // content-hashed
  expect({ initial, withinBudget: gzipBytes <= INITIAL_LOAD_GZIP_BUDGET_BYTES }).toEqual({
    initial,
    withinBudget: true,
  });
});
