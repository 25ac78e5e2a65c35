import { mkdir, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { build, buildSync, type BuildOptions, type OutputFile } from 'esbuild';
import { REPO_ROOT } from '../constructs/function-defaults';
import { STATIC_CACHE_CONTROL } from '../topology/cdn';

/** Where the widget's loader lives under a host: `/widget/v1/newsroom.js`, chunks beside it. */
export const WIDGET_PATH = '/widget/v1/';
export const WIDGET_LOADER = 'newsroom.js';

/**
 * The widget's size budget (issue 13): what a story view loads before the reader interacts, at
 * most 20 KB gzip (level 9). `npm test` holds it; `npm run bench -- widget` charts it.
 */
export const INITIAL_LOAD_GZIP_BUDGET_BYTES = 20 * 1024;

export interface BuiltFile {
  bytes: Uint8Array;
  contentType: string;
  /** Content-hashed chunks never change under their name; the loader and config do. */
  immutable: boolean;
}

/**
 * Builds the reader widget as it ships: the loader (`newsroom.js`, a stable name, cached minutes)
 * and the chunks it imports, named by their content hash (cached a year), minified ES modules for
 * the browsers that support custom elements and shadow DOM. One build serves the local stack,
 * the size budget and the CDK deployment alike.
 */
export async function buildWidget(): Promise<Map<string, BuiltFile>> {
  return builtFiles((await build(WIDGET_BUILD)).outputFiles);
}

/** The same build, synchronously: the CDK stack deploys the files it synthesizes with. */
export function buildWidgetSync(): Map<string, BuiltFile> {
  return builtFiles(buildSync(WIDGET_BUILD).outputFiles);
}

/** A file written for a host of the site's own, with the Cache-Control the CDN gives it. */
export interface WrittenFile {
  name: string;
  cacheControl: string;
}

/**
 * Writes the widget as it ships into `dir`, for a site that serves it from its own origin: the
 * loader and its chunks, the same files the stack deploys. Not config.json: that names a
 * deployment, which only the site knows.
 */
export async function writeWidget(dir: string): Promise<WrittenFile[]> {
  await mkdir(dir, { recursive: true });
  const files = [...(await buildWidget())];
  await Promise.all(files.map(([name, file]) => writeFile(join(dir, name), file.bytes)));
  return files.map(([name, file]) => ({
    name,
    cacheControl: file.immutable ? STATIC_CACHE_CONTROL.hashed : STATIC_CACHE_CONTROL.shortLived,
  }));
}

const WIDGET_BUILD = {
  entryPoints: [resolve(REPO_ROOT, 'web/widget/src/newsroom.ts')],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  entryNames: '[name]',
  chunkNames: '[name]-[hash]',
  outdir: resolve(REPO_ROOT, '.local/widget-build'),
  write: false,
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

function builtFiles(outputFiles: readonly OutputFile[]): Map<string, BuiltFile> {
  return new Map(
    outputFiles.map((file) => {
      const name = basename(file.path);
      return [
        name,
        { bytes: file.contents, contentType: 'text/javascript; charset=utf-8', immutable: name !== WIDGET_LOADER },
      ];
    }),
  );
}

/** The files a story view loads before the reader interacts: the loader and the chunks it imports. */
export function loadedBeforeInteraction(files: ReadonlyMap<string, BuiltFile>): string[] {
  const loader = new TextDecoder().decode(files.get(WIDGET_LOADER)!.bytes);
  return [WIDGET_LOADER, ...[...loader.matchAll(/["']\.\/([\w-]+\.js)["']/g)].map((match) => match[1]!)];
}

/** The demo pages' own script (not part of the widget or its budget). */
export async function buildDemoScript(): Promise<Uint8Array> {
  const result = await build({
    entryPoints: [resolve(REPO_ROOT, 'web/demo/demo.ts')],
    bundle: true,
    format: 'esm',
    minify: true,
    target: ['chrome100'],
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.contents;
}
