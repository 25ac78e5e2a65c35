/**
 * The API reference page as both hosts serve it, declared and built once: `/docs/api/`, the
 * OpenAPI document rendered by Swagger UI. The CDK stack (infra/constructs/api-reference.ts)
 * deploys these files behind the readers' CDN; the local stack (infra/local/api-reference-site.ts)
 * serves them on the API's origin.
 *
 * The viewer is swagger-ui-dist 5.35.0, chosen over Scalar and Redoc (measured 2026-12, in
 * Chromium against docs/openapi.json): one dependency (@scarf/scarf, install analytics, opted out
 * in package.json) where @scalar/api-reference pulls 284 packages and redoc 2 pulls 115 (redoc 3
 * did not install); 1.73 MB script and 0.19 MB styles (488 KB gzipped) where Scalar's standalone
 * script is 4.86 MB (1.40 MB gzipped); it renders under the desk's strict CSP (no inline script,
 * no inline style: Scalar needs 'unsafe-inline' styles); it asks no other origin for anything once
 * its validator is off (Redoc fetches its logo from cdn.redoc.ly, Scalar offers hosted services);
 * and it has "Try it out". Its axe failures are all colour contrast, which the page's own
 * stylesheet fixes (web/api-reference/src/api-reference.css).
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { build, buildSync, type BuildOptions, type BuildResult } from 'esbuild';
import { REPO_ROOT } from '../constructs/function-defaults';
import { deskContentSecurityPolicy, deskSecurityHeaders } from '../desk/desk-app';
import type { BuiltFile } from '../widget/build-widget';

/** The page's path on the distribution (AWS) and on the API's origin (locally). */
export const API_REFERENCE_PATH = '/docs/api/';

/**
 * Where the page reads the OpenAPI document: `GET /openapi.json`, the API's own route
 * (functions/get-openapi), on the page's origin: the local gateway serves it, and in AWS the CDN
 * forwards it to the API (infra/topology/cdn.ts caches it five minutes).
 */
export const OPENAPI_DOCUMENT_PATH = '/openapi.json';

/**
 * The page's Content-Security-Policy: the desk's (infra/desk/desk-app.ts), whose rules Swagger UI
 * meets as they are — no inline script, no inline style, requests only to the page's own origin
 * and to `api`, where "Try it out" sends them, no framing.
 */
export function apiReferenceContentSecurityPolicy(api: string): string {
  return deskContentSecurityPolicy([api]);
}

/** The page's headers locally: that CSP and the security headers beside it, as the desk's. */
export function apiReferenceSecurityHeaders(api: string): Record<string, string> {
  return deskSecurityHeaders([api]);
}

export interface ApiReferenceBuild {
  /** Content-hashed files, by name under {@link API_REFERENCE_PATH}: cached a year. */
  assets: ReadonlyMap<string, BuiltFile>;
  /** The page (`index.html`, a stable name), naming the assets and the API "Try it out" calls. */
  page(api: string): string;
}

const PAGE = 'web/api-reference/index.html';
const PAGE_SCRIPT = 'web/api-reference/src/api-reference.ts';
const PAGE_STYLES = 'web/api-reference/src/api-reference.css';

/**
 * Builds the page's files: Swagger UI's browser bundle and stylesheet copied unchanged from
 * node_modules (not committed, no CDN), and the page's own script and styles, each named by its
 * content hash. One build serves the local stack and the CDK deployment alike.
 */
export async function buildApiReference(): Promise<ApiReferenceBuild> {
  const [result, page] = await Promise.all([build(BUILD), readFile(resolve(REPO_ROOT, PAGE), 'utf8')]);
  return builtFiles(result, page);
}

/** The same build, synchronously: the CDK stack deploys the files it synthesizes with. */
export function buildApiReferenceSync(): ApiReferenceBuild {
  return builtFiles(buildSync(BUILD), readFileSync(resolve(REPO_ROOT, PAGE), 'utf8'));
}

const BUILD = {
  absWorkingDir: REPO_ROOT,
  entryPoints: [
    { in: require.resolve('swagger-ui-dist/swagger-ui-bundle.js'), out: 'swagger-ui-bundle' },
    { in: require.resolve('swagger-ui-dist/swagger-ui.css'), out: 'swagger-ui' },
    { in: PAGE_SCRIPT, out: 'api-reference' },
    { in: PAGE_STYLES, out: 'api-reference' },
  ],
  bundle: true,
  format: 'esm',
  minify: true,
  target: ['chrome100', 'firefox100', 'safari15'],
  // Plain .js and .css files are copied as they are: Swagger UI's, and the page's stylesheet.
  loader: { '.js': 'copy', '.css': 'copy' },
  entryNames: '[name]-[hash]',
  outdir: resolve(REPO_ROOT, '.local/api-reference-build'),
  write: false,
  legalComments: 'none',
  logLevel: 'silent',
} as const satisfies BuildOptions;

function builtFiles(result: BuildResult<typeof BUILD>, template: string): ApiReferenceBuild {
  const assets = new Map<string, BuiltFile>(
    result.outputFiles.map((file) => {
      const name = basename(file.path);
      const contentType = name.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
      return [name, { bytes: file.contents, contentType, immutable: true }];
    }),
  );
  const names = [...assets.keys()];
  /** The output of entry `out` with extension `ext`: `<out>-<hash>.<ext>`. */
  const path = (out: string, ext: 'js' | 'css') => {
    const name = names.find((candidate) => new RegExp(`^${out}-[A-Z0-9]+\\.${ext}$`).test(candidate));
    if (!name) throw new Error(`The API reference build has no ${out} .${ext}`);
    return `${API_REFERENCE_PATH}${name}`;
  };
  const html = template
    .replace('%VIEWER_SCRIPT%', path('swagger-ui-bundle', 'js'))
    .replace('%VIEWER_STYLES%', path('swagger-ui', 'css'))
    .replace('%PAGE_SCRIPT%', path('api-reference', 'js'))
    .replace('%PAGE_STYLES%', path('api-reference', 'css'))
    .replace('%OPENAPI%', OPENAPI_DOCUMENT_PATH);
  return { assets, page: (api) => html.replace('%API%', escapeAttribute(api)) };
}

/** `api` comes from configuration, or is a CDK token (whose characters this leaves alone). */
function escapeAttribute(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
