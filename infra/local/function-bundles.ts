/**
 * Each function of the local stack runs from a bundle built exactly as the CDK construct ships
 * it (esbuild, minified ESM with the SDK inside, `constructBuildOptions`), with a source map so
 * stack traces name the TypeScript sources, as `--enable-source-maps` does in Lambda. A bundle
 * is one file per function with its own copy of every module, which is what makes each isolate's
 * module instances its own, and it loads in a fraction of the time the handler's hundreds of
 * source and SDK files take through a TypeScript loader.
 *
 * Bundles are kept in `.bundles/local/` with the list of files each was built from (and their
 * sizes and modification times): a bundle is rebuilt only when one of those changed, so a stack
 * start after an edit rebuilds what the edit reached, and the test run's global setup builds
 * them once for every test file.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, version as esbuildVersion } from 'esbuild';
import { BUNDLES_DIR, constructBuildOptions, FUNCTION_BUNDLE, REPO_ROOT } from '../constructs/function-defaults';

/** A function to bundle: its name and its handler module. */
export interface BundleRequest {
  name: string;
  /** The handler's file, absolute or relative to the repository root. */
  entry: string;
}

export interface PreparedBundles {
  /** Function name → the bundle to import (`.mjs`). */
  paths: Map<string, string>;
  /** The functions whose bundles had to be built now, and how long that took. */
  built: string[];
  buildMs: number;
}

/** What a cached bundle was built from; any difference makes it stale. */
interface Manifest {
  key: string;
  inputs: Record<string, [mtimeMs: number, size: number]>;
}

/** Bump when the way bundles are built changes in a way the options below do not show. */
const CACHE_FORMAT = 1;

const DEFAULT_DIR = join(BUNDLES_DIR, 'local');

/**
 * Makes sure every requested function has a fresh bundle, building the stale ones in one esbuild
 * run, and returns where each bundle is. Safe to run from several processes at once: files are
 * written whole and renamed into place.
 */
export async function prepareBundles(
  requests: readonly BundleRequest[],
  options: { dir?: string } = {},
): Promise<PreparedBundles> {
  const dir = options.dir ?? DEFAULT_DIR;
  await mkdir(dir, { recursive: true });
  const key = cacheKey();
  const targets = requests.map((request) => {
    const entry = resolve(REPO_ROOT, request.entry);
    // Named by function and entry, so a test topology's function of the same name keeps its own.
    const base = `${request.name}-${createHash('sha1').update(entry).digest('hex').slice(0, 8)}`;
    return { name: request.name, entry, base, path: join(dir, `${base}.mjs`) };
  });

  const stats = new Map<string, Promise<[number, number] | undefined>>();
  const fingerprint = (file: string) => {
    let pending = stats.get(file);
    if (!pending) {
      pending = stat(file).then(
        (info): [number, number] => [info.mtimeMs, info.size],
        () => undefined,
      );
      stats.set(file, pending);
    }
    return pending;
  };
  const fresh = await Promise.all(
    targets.map(async (target) => {
      const manifest = await readManifest(join(dir, `${target.base}.json`));
      if (manifest?.key !== key || !(await fingerprint(target.path))) return false;
      for (const [file, recorded] of Object.entries(manifest.inputs)) {
        const now = await fingerprint(file);
        if (!now || now[0] !== recorded[0] || now[1] !== recorded[1]) return false;
      }
      return true;
    }),
  );
  const stale = targets.filter((_, index) => !fresh[index]);
  const started = Date.now();
  if (stale.length > 0) await buildBundles(stale, dir, key);
  return {
    paths: new Map(targets.map((target) => [target.name, target.path])),
    built: stale.map((target) => target.name),
    buildMs: stale.length > 0 ? Date.now() - started : 0,
  };
}

async function buildBundles(
  targets: ReadonlyArray<{ entry: string; base: string }>,
  dir: string,
  key: string,
): Promise<void> {
  const started = Date.now();
  const result = await build({
    ...constructBuildOptions(),
    entryPoints: targets.map((target) => ({ in: target.entry, out: target.base })),
    outdir: dir,
    absWorkingDir: REPO_ROOT,
    sourcemap: FUNCTION_BUNDLE.sourceMap ? 'linked' : false,
    sourcesContent: FUNCTION_BUNDLE.sourcesContent,
    metafile: true,
    write: false,
  });
  const files = new Map(result.outputFiles.map((file) => [file.path, file.contents]));
  const writeWhole = async (path: string, contents: Uint8Array | string) => {
    const temporary = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    await writeFile(temporary, contents);
    await rename(temporary, path);
  };
  for (const target of targets) {
    const path = join(dir, `${target.base}.mjs`);
    const output = Object.entries(result.metafile.outputs).find(([file]) => resolve(REPO_ROOT, file) === path);
    const code = files.get(path);
    if (!output || !code) throw new Error(`esbuild produced no bundle for ${target.entry}`);
    const map = files.get(`${path}.map`);
    if (map) await writeWhole(`${path}.map`, map);
    await writeWhole(path, code);
    const inputs: Manifest['inputs'] = {};
    let editedMeanwhile = false;
    for (const input of Object.keys(output[1].inputs)) {
      const file = resolve(REPO_ROOT, input);
      const info = await stat(file);
      inputs[file] = [info.mtimeMs, info.size];
      editedMeanwhile ||= info.mtimeMs >= started;
    }
    // A file edited while esbuild read it may be in the bundle as it was: no manifest, so the
    // next start builds it again.
    if (!editedMeanwhile) {
      await writeWhole(join(dir, `${target.base}.json`), JSON.stringify({ key, inputs } satisfies Manifest));
    }
  }
}

async function readManifest(path: string): Promise<Manifest | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The build's own inputs that are not files: esbuild's version and the options. */
function cacheKey(): string {
  const options = { ...constructBuildOptions(), sourceMap: FUNCTION_BUNDLE.sourceMap, CACHE_FORMAT };
  return `${esbuildVersion}:${createHash('sha1').update(JSON.stringify(options)).digest('hex')}`;
}
