/**
 * `writeWidget` (infra/cli/write-widget.ts's work): a site that hosts the widget itself gets the
 * files the stack deploys, byte for byte, each with the Cache-Control the CDN serves it with.
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildWidget, WIDGET_LOADER, writeWidget } from '../../../infra/widget/build-widget';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'widget-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

it('writes the loader and its chunks as the stack deploys them, the loader kept minutes and the chunks a year', async () => {
  const shipped = await buildWidget();

  const written = await writeWidget(join(dir, 'widget', 'v1'));

  expect((await readdir(join(dir, 'widget', 'v1'))).sort()).toEqual([...shipped.keys()].sort());
  for (const [name, file] of shipped) {
    expect(Buffer.compare(await readFile(join(dir, 'widget', 'v1', name)), Buffer.from(file.bytes))).toBe(0);
  }
  expect(written).toHaveLength(shipped.size);
  for (const { name, cacheControl } of written) {
    expect(cacheControl).toBe(name === WIDGET_LOADER ? 'public, max-age=300' : 'public, max-age=31536000, immutable');
  }
});
