/**
 * docs/api.md against docs/openapi.json: the page's route tables name exactly the document's
 * operations, each once, with the access its security requirement gives and the query parameters it
 * declares, and no route the page names anywhere is one the document lacks. The document is held to
 * the topology (every HTTP route, with its access) and to a fresh generation by
 * test/unit/openapi/document.test.ts, so through it the page is held to the routes the API serves.
 *
 * The page's convention, which these tests read: a route table's header starts `| Route | Access |`;
 * a row's first cell is one code span, `METHOD /path` exactly as in the document, then for a route
 * with query parameters `?name=&other=` naming each, with an enumerated parameter's values
 * (`sort=newest\|votes`); its second cell is `public`, `reader` or `editor`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../../infra/constructs/news-function';
import { EDITOR_SECURITY_SCHEME, READER_SECURITY_SCHEME } from '../../../infra/openapi/document';
import { OPENAPI_FILE } from '../../../infra/openapi/render';
import type { RouteAccess } from '../../../infra/topology';
import { liveMessageSchema } from '../../../shared/live/live-shapes';
import { cellsOf, tablesOf } from '../../support/markdown-tables';

/** What the page says of a route, and what the document says of it: the two are compared as these. */
interface RouteSummary {
  route: string;
  /** A {@link RouteAccess} when right; the page's cell may hold anything, and then the test says what. */
  access: string;
  /** `name=` or `name=a|b` for an enumerated parameter, values and names sorted. */
  query: string[];
}

interface OpenApiOperation {
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; schema?: { enum?: string[] } }[];
}

const HTTP_METHOD = '(GET|POST|PUT|PATCH|DELETE)';
/** A route cell: one code span, `METHOD /path` and an optional `?query`. */
const ROUTE_CELL = new RegExp(`^\`${HTTP_METHOD} (/[^\\s?\`]*)(?:\\?([^\\s\`]*))?\`$`);
/** A code span anywhere on the page that names a route (query and all). */
const ROUTE_SPAN = new RegExp(`\`${HTTP_METHOD} (/[^\\s?\`]*)[^\`]*\``, 'g');

const ACCESS_BY_SCHEME = new Map<string, RouteAccess>([
  [EDITOR_SECURITY_SCHEME, 'editor'],
  [READER_SECURITY_SCHEME, 'reader'],
]);

const page = readFileSync(join(REPO_ROOT, 'docs', 'api.md'), 'utf8');
const document = JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')) as {
  paths: Record<string, Record<string, OpenApiOperation>>;
};

function documentedRoutes(): RouteSummary[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const schemes = (operation.security ?? []).flatMap(Object.keys);
      return {
        route: `${method.toUpperCase()} ${path}`,
        access:
          schemes.length === 0 ? 'public' : schemes.map((name) => ACCESS_BY_SCHEME.get(name) ?? name).join(' or '),
        query: (operation.parameters ?? [])
          .filter((parameter) => parameter.in === 'query')
          .map((parameter) => `${parameter.name}=${[...(parameter.schema?.enum ?? [])].sort().join('|')}`)
          .sort(),
      };
    }),
  );
}

/** The rows of the page's route tables, and the lines of any whose route cell breaks the convention. */
function pageRoutes(markdown: string): { routes: RouteSummary[]; malformed: string[] } {
  const rows = tablesOf(markdown)
    .filter((table) => table.header[0] === 'Route' && table.header[1] === 'Access')
    .flatMap((table) => table.rows);
  const routes: RouteSummary[] = [];
  const malformed: string[] = [];
  for (const { line, cells } of rows) {
    const match = ROUTE_CELL.exec(cells[0] ?? '');
    if (!match) {
      malformed.push(`docs/api.md line ${line}: ${cells[0]}`);
      continue;
    }
    const [, method, path, query] = match;
    routes.push({
      route: `${method} ${path}`,
      access: cells[1] ?? '',
      query: (query ? query.split('&') : [])
        .map((parameter) => {
          const [name, values = ''] = parameter.split('=', 2);
          return `${name}=${values.split('|').filter(Boolean).sort().join('|')}`;
        })
        .sort(),
    });
  }
  return { routes, malformed };
}

/** Every route named in a code span outside fenced code: in tables and in prose alike. */
const namedRoutes = (markdown: string) =>
  [...markdown.replace(/^```[\s\S]*?^```/gm, '').matchAll(ROUTE_SPAN)].map(([, method, path]) => `${method} ${path}`);

const byRoute = (a: RouteSummary, b: RouteSummary) => a.route.localeCompare(b.route);

describe('docs/api.md', () => {
  const { routes, malformed } = pageRoutes(page);
  const documented = documentedRoutes();

  it('writes every row of its route tables as the convention says (the extraction works)', () => {
    expect(malformed).toEqual([]);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('has a row for every operation of docs/openapi.json and for nothing else, each once', () => {
    expect(routes.map((row) => row.route).sort()).toEqual(documented.map((operation) => operation.route).sort());
  });

  it('gives each route the access of its security requirement and the query parameters it declares', () => {
    const known = new Set(documented.map((operation) => operation.route));

    expect(routes.filter((row) => known.has(row.route)).sort(byRoute)).toEqual(
      documented.filter((operation) => routes.some((row) => row.route === operation.route)).sort(byRoute),
    );
  });

  it('names no route, in a table or in prose, that the document lacks', () => {
    const known = new Set(documented.map((operation) => operation.route));
    const named = namedRoutes(page);

    expect(named.length).toBeGreaterThan(routes.length);
    expect(named.filter((route) => !known.has(route))).toEqual([]);
  });
});

describe('docs/api.md, live updates', () => {
  it('lists each kind of live message once, with exactly its fields (shared/live/live-shapes.ts)', () => {
    // The union's own members, so a kind added to it must be added to the page.
    const defined = liveMessageSchema._zod.def.options.map((schema) => ({
      kind: [...schema.shape.kind._zod.values].join(),
      fields: Object.keys(schema.shape)
        .filter((field) => field !== 'kind')
        .sort(),
    }));
    const table = tablesOf(page).find((candidate) => candidate.header[0] === '`kind`');
    // A field is a code span of its name, its items' fields optionally shown after it: `options[{id,label}]`.
    const listed = (table?.rows ?? []).map(({ cells }) => ({
      kind: (cells[0] ?? '').replace(/`/g, ''),
      fields: [...(cells[2] ?? '').matchAll(/`(\w+)(?:\[[^`]*\])?`/g)].map(([, field]) => field!).sort(),
    }));

    const byKind = (a: { kind: string }, b: { kind: string }) => a.kind.localeCompare(b.kind);
    expect(listed.sort(byKind)).toEqual(defined.sort(byKind));
  });
});

describe('the route convention the page test reads', () => {
  it('reads method, path, access and query from a row, enumerated values included, and refuses other cells', () => {
    const markdown = [
      '| Route | Access | What it does |',
      '|---|---|---|',
      '| `GET /articles?limit=&sort=votes\\|newest` | public | `a \\| b` |',
      '| GET /articles | public | not a code span |',
      '',
      '```text',
      '| Route | Access |',
      '|---|---|',
      '| `GET /in-a-fence` | public |',
      '```',
    ].join('\n');

    expect(pageRoutes(markdown)).toEqual({
      routes: [{ route: 'GET /articles', access: 'public', query: ['limit=', 'sort=newest|votes'] }],
      malformed: ['docs/api.md line 4: GET /articles'],
    });
    expect(cellsOf('| `a \\| b` | c |')).toEqual(['`a | b`', 'c']);
    expect(namedRoutes('See `GET /x?y=1` and `POST /z`, not `GET`.\n```sh\n`GET /in-code`\n```')).toEqual([
      'GET /x',
      'POST /z',
    ]);
  });
});
