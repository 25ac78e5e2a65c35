/**
 * What every function gets unless its declaration says otherwise, and how its handler is
 * bundled, without importing the CDK: the construct (`news-function.ts`) builds on these, and so
 * do the ones that build or run bundles outside a synth — `bench/`, the bundle budget test and
 * the local stack, which runs each function from a bundle built exactly as the construct ships it.
 */
import { join, resolve } from 'node:path';
import type { BuildOptions } from 'esbuild';

/** The repository root: handler entries are relative to it and the lock file lives there. */
export const REPO_ROOT = resolve(__dirname, '..', '..');

/** Powertools tags every log line and trace with this; the function name is logged beside it. */
export const SERVICE_NAME = 'newsroom';

/** Timeout and memory of a function whose declaration names none. */
export const FUNCTION_SIZE_DEFAULTS = { timeoutSeconds: 10, memoryMb: 256 } as const;

/**
 * ESM lets esbuild take the SDK's and middy's ES module builds (middy 6 ships nothing else),
 * which tree-shake better than the CommonJS ones. CommonJS dependencies bundled into an ES
 * module still call `require` for Node built-ins; esbuild's shim throws "Dynamic require is
 * not supported" unless a real `require` exists, hence the banner.
 */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";

/** The esbuild settings the construct bundles every handler with (see `NEWS_FUNCTION_BUNDLING`). */
export const FUNCTION_BUNDLE = {
  minify: true,
  sourceMap: true,
  // The map only has to resolve file and line; embedding the sources would double the asset.
  sourcesContent: false,
  target: 'node22',
  mainFields: ['module', 'main'],
  banner: ESM_REQUIRE_BANNER,
} as const;

/**
 * esbuild options equivalent to the construct's bundling (what `NodejsFunction` passes to esbuild
 * for `NEWS_FUNCTION_BUNDLING`: bundle, Node platform, ESM, the SDK bundled in), for whoever runs
 * esbuild directly. Source maps are the caller's choice: the budget counts code only.
 */
export function constructBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: FUNCTION_BUNDLE.target,
    minify: FUNCTION_BUNDLE.minify,
    mainFields: [...FUNCTION_BUNDLE.mainFields],
    banner: { js: FUNCTION_BUNDLE.banner },
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  };
}

/** Where builds outside a synth write their bundles (git-ignored). */
export const BUNDLES_DIR = join(REPO_ROOT, '.bundles');
