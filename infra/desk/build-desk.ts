import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { build, buildSync, type BuildOptions, type BuildResult } from 'esbuild';
import { REPO_ROOT } from '../constructs/function-defaults';
import type { BuiltFile } from '../widget/build-widget';
import { DESK_PATH } from './desk-app';

const ENTRY = 'web/desk/src/main.ts';
const STYLES = 'web/desk/src/desk.css';
const PAGE = 'web/desk/index.html';

/**
 * Builds the editor desk as it ships: `index.html` (a stable name, revalidated on every load)
 * naming the script and stylesheet by their content hash (`desk-<hash>.js`, `desk-<hash>.css`,
 * and any chunks the script splits off, cached a year). One build serves the local stack and the
 * CDK deployment alike, as the widget's does. Keys are file names under {@link DESK_PATH}.
 */
export async function buildDesk(): Promise<Map<string, BuiltFile>> {
  const [result, page] = await Promise.all([build(DESK_BUILD), readFile(resolve(REPO_ROOT, PAGE), 'utf8')]);
  return builtFiles(result, page);
}

/** The same build, synchronously: the CDK stack deploys the files it synthesizes with. */
export function buildDeskSync(): Map<string, BuiltFile> {
  return builtFiles(buildSync(DESK_BUILD), readFileSync(resolve(REPO_ROOT, PAGE), 'utf8'));
}

const DESK_BUILD = {
  absWorkingDir: REPO_ROOT,
  entryPoints: [
    { in: ENTRY, out: 'desk' },
    { in: STYLES, out: 'desk' },
  ],
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  outdir: resolve(REPO_ROOT, '.local/desk-build'),
  write: false,
  metafile: true,
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

function builtFiles(result: BuildResult<typeof DESK_BUILD>, page: string): Map<string, BuiltFile> {
  const outputs = Object.entries(result.metafile.outputs);
  const nameOf = (entryPoint: string) => {
    const found = outputs.find(([, output]) => output.entryPoint === entryPoint);
    if (!found) throw new Error(`The desk build has no output for ${entryPoint}`);
    return basename(found[0]);
  };
  const html = page
    .replace('%DESK_SCRIPT%', `${DESK_PATH}${nameOf(ENTRY)}`)
    .replace('%DESK_STYLES%', `${DESK_PATH}${nameOf(STYLES)}`);
  const files = new Map<string, BuiltFile>(
    result.outputFiles.map((file) => {
      const name = basename(file.path);
      const contentType = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
      return [name, { bytes: file.contents, contentType, immutable: true }];
    }),
  );
  files.set('index.html', {
    bytes: new TextEncoder().encode(html),
    contentType: 'text/html; charset=utf-8',
    immutable: false,
  });
  return files;
}
