/**
 * Turns a route of the topology into an arbitrary of bad requests: each is the route's valid
 * request with exactly one defect, and says which statuses the defect must get.
 */
import * as fc from 'fast-check';
import type { HttpTrigger } from '../../../infra/topology';
import { LIMITS } from '../../../shared/limits';
import type { RawRequest } from '../raw-http';
import { fieldDefect, malformedBody, preview } from './hostile-bodies';
import { hostileSegment, lookAlike, tamperedCursor } from './hostile-values';
import { PATH_PARAMETERS, type Fixtures, type RouteSpec } from './route-specs';

export type CaseKind =
  'path' | 'unknown-id' | 'query' | 'cursor' | 'header' | 'content-type' | 'body' | 'field' | 'auth';

export interface BadCase {
  kind: CaseKind;
  note: string;
  request: RawRequest;
  /** The statuses this defect may get; anything else (and every 5xx) fails the suite. */
  expect: readonly number[];
}

/**
 * Bearer tokens. Editor routes: one valid, the others refused by the gateway (401) or the handler
 * (403). Reader routes: an anonymous reader token from `POST /readers/anonymous` that has not
 * voted or flagged yet, so each route's valid request succeeds once.
 */
export interface Tokens {
  editor: string;
  /** A Cognito-style token of a user outside the editors group. */
  reader: string;
  expired: string;
  foreignKey: string;
  /** Ours, from `POST /readers/anonymous`. */
  anonymousReader: string;
}

interface Parts {
  params: Record<string, string>;
  query: Record<string, string>;
  rawQuery?: string;
  headers: Record<string, string>;
  body?: Buffer;
}

const WRONG_JSON_TYPES = [
  '',
  'text/plain',
  'text/plain; charset=utf-8',
  'text/html',
  'text/json',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'application/octet-stream',
  'application/jsonp',
  'application/json-patch+json',
  'application/ld+json',
  'application/vnd.api+json',
  'application/javascript',
  'application/jsonx',
  'application/json,text/plain',
  'applicati\u00f3n/json',
  'json',
  '*/*',
  'application/*',
  'image/png',
];

/** The route key as the topology writes it, e.g. `GET /articles/{articleId}`. */
export const routeKey = (trigger: HttpTrigger): string => `${trigger.method} ${trigger.path}`;

/** The route's valid request, which the suite sends last and which must succeed. */
export function validParts(trigger: HttpTrigger, spec: RouteSpec, f: Fixtures, tokens: Tokens): Parts {
  const params: Record<string, string> = {};
  for (const name of parameterNames(trigger)) {
    params[name] = spec.params?.[name] ?? knownParameter(trigger, name).existing(f);
  }
  const headers: Record<string, string> = {};
  if (trigger.access === 'editor') headers.authorization = `Bearer ${tokens.editor}`;
  if (trigger.access === 'reader') headers.authorization = `Bearer ${tokens.anonymousReader}`;
  let body: Buffer | undefined;
  if (spec.body?.kind === 'json') {
    headers['content-type'] = 'application/json';
    body = Buffer.from(JSON.stringify(spec.body.valid), 'utf8');
  } else if (spec.body?.kind === 'document') {
    headers['content-type'] = spec.body.contentType;
    body = spec.body.valid;
  }
  return { params, query: { ...(spec.query?.valid ?? {}) }, headers, ...(body ? { body } : {}) };
}

export function toRequest(trigger: HttpTrigger, parts: Parts): RawRequest {
  const path = trigger.path.replace(/\{(\w+)\}/g, (_, name: string) => parts.params[name]!);
  const query =
    parts.rawQuery ??
    Object.entries(parts.query)
      .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
      .join('&');
  return {
    method: trigger.method,
    path: query ? `${path}?${query}` : path,
    headers: parts.headers,
    ...(parts.body ? { body: parts.body } : {}),
  };
}

/**
 * Every kind of defect that applies to the route. Path parameters, auth, content types and
 * malformed JSON follow from the topology alone; query, header and field defects need the
 * route's spec. Returns no arbitrary if nothing applies (the suite then fails for the route).
 */
export function badCases(
  trigger: HttpTrigger,
  spec: RouteSpec,
  f: Fixtures,
  tokens: Tokens,
): fc.Arbitrary<BadCase> | undefined {
  const valid = validParts(trigger, spec, f, tokens);
  const make = (kind: CaseKind, note: string, expect: readonly number[], change: (p: Parts) => Parts): BadCase => ({
    kind,
    note,
    expect,
    request: toRequest(trigger, change({ ...valid, params: { ...valid.params }, headers: { ...valid.headers } })),
  });
  const kinds: fc.Arbitrary<BadCase>[] = [];
  // Unknown ids reach DynamoDB (the only cases that do): a few prove the 404 and keep the suite fast.
  const rare: fc.Arbitrary<BadCase>[] = [];

  for (const name of parameterNames(trigger)) {
    const parameter = knownParameter(trigger, name);
    const existing = parameter.existing(f);
    kinds.push(
      hostileSegment(existing, parameter.pattern).map((segment) =>
        make('path', `${name} = ${preview(segment)}`, [400, 404], (p) => ({
          ...p,
          params: { ...p.params, [name]: segment },
        })),
      ),
    );
    // Unknown ids are only a clean defect when the rest of the request is known to be valid.
    if (parameter.unknown && (!isBodyRoute(trigger) || spec.body)) {
      rare.push(
        parameter
          .unknown(f)
          .map((id) =>
            make('unknown-id', `${name} = ${id}`, [404], (p) => ({ ...p, params: { ...p.params, [name]: id } })),
          ),
      );
    }
  }

  if (spec.query) kinds.push(...queryDefects(spec.query, f.cursors, routeKey(trigger), make));

  for (const [header, invalid] of Object.entries(spec.headers ?? {})) {
    kinds.push(
      invalid.map((value) =>
        make('header', `${header}: ${preview(value)}`, [400], (p) => ({
          ...p,
          headers: { ...p.headers, [header]: value },
        })),
      ),
    );
  }

  if (spec.body?.kind === 'document') {
    const { accepted, capBytes, valid: document } = spec.body;
    // Oversized documents are megabytes each: a few prove the cap, more would only cost time.
    kinds.push(
      fc.oneof(
        {
          weight: 30,
          arbitrary: fc
            .constantFrom(...WRONG_JSON_TYPES, 'application/json')
            .filter((type) => !accepted.includes(type.split(';')[0]!.trim().toLowerCase()))
            .map((type) => make('content-type', `content-type ${type || '(empty)'}`, [415], (p) => withType(p, type))),
        },
        {
          weight: 1,
          arbitrary: fc.integer({ min: capBytes + 1, max: capBytes + 64 * 1024 }).map((size) =>
            make('body', `${size} bytes`, [413], (p) => ({
              ...p,
              body: Buffer.concat([document, Buffer.alloc(size - document.length, 0x20)]),
            })),
          ),
        },
      ),
    );
  } else if (spec.body || isBodyRoute(trigger)) {
    const json = spec.body ?? { valid: {}, fields: {} };
    kinds.push(
      fc
        .constantFrom(...WRONG_JSON_TYPES, undefined)
        .map((type) => make('content-type', `content-type ${type ?? '(none)'}`, [415], (p) => withType(p, type))),
      malformedBody(json.valid, json.fields, LIMITS.maxReaderBodyBytes).map((bad) =>
        make('body', bad.note, [bad.status], (p) => ({ ...p, body: bad.bytes })),
      ),
    );
    if (Object.keys(json.fields).length > 0) {
      kinds.push(
        fieldDefect(json.valid, json.fields).map((bad) =>
          make('field', bad.note, [400], (p) => ({ ...p, body: bad.body })),
        ),
      );
    }
  }

  if (trigger.access === 'editor') kinds.push(authDefects(tokens, make));
  if (trigger.access === 'reader') kinds.push(readerAuthDefects(tokens, make));
  if (kinds.length === 0) return undefined;
  return fc.oneof(
    ...kinds.map((arbitrary) => ({ arbitrary, weight: 4 })),
    ...rare.map((arbitrary) => ({ arbitrary, weight: 1 })),
  );
}

type Make = (kind: CaseKind, note: string, expect: readonly number[], change: (p: Parts) => Parts) => BadCase;

function queryDefects(
  query: NonNullable<RouteSpec['query']>,
  cursors: Fixtures['cursors'],
  key: string,
  make: Make,
): fc.Arbitrary<BadCase>[] {
  const known = Object.keys(query.invalid);
  const defects: fc.Arbitrary<BadCase>[] = [
    fc
      .constantFrom(...known)
      .chain((name) =>
        query.invalid[name]!.map((value) =>
          make('query', `${name}=${preview(value)}`, [400], (p) => ({ ...p, query: { ...p.query, [name]: value } })),
        ),
      ),
    fc
      .tuple(
        fc.oneof(
          fc.string({ maxLength: 12 }),
          fc.constantFrom('__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty'),
          fc.constantFrom(...known).chain(lookAlike),
        ),
        fc.string({ maxLength: 12 }),
      )
      .filter(([name]) => !known.includes(name))
      .map(([name, value]) =>
        make('query', `unknown ${preview(name)}=${preview(value)}`, [400], (p) => ({
          ...p,
          rawQuery: [encodeQuery(p.query), `${encodeURIComponent(name)}=${encodeURIComponent(value)}`]
            .filter(Boolean)
            .join('&'),
        })),
      ),
    fc.constantFrom('%zz=1', 'limit=%ED%A0%80', '%00=1', '=', 'a=1=2&', 'limit=1&limit=2').map((raw) =>
      make('query', `raw ${raw}`, [400], (p) => ({
        ...p,
        rawQuery: [encodeQuery(p.query), raw].filter(Boolean).join('&'),
      })),
    ),
  ];
  if (known.includes('cursor')) {
    const all = Object.values(cursors).flat();
    defects.push(
      tamperedCursor(all, cursors[key] ?? []).map((cursor) =>
        make('cursor', `cursor=${preview(cursor)}`, [400], (p) => ({ ...p, query: { ...p.query, cursor } })),
      ),
    );
  }
  return defects;
}

/** Authorization values broken around a valid `token`: absent, empty, other schemes, forged. */
function brokenAuthorizations(token: string): Array<[string | undefined, number]> {
  const [header, payload, signature] = token.split('.') as [string, string, string];
  const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
  const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
  return [
    [undefined, 401],
    ['', 401],
    ['Bearer', 401],
    ['Bearer ', 401],
    ['Bearer x.y.z', 401],
    ['Basic ZWRpdG9yOmVkaXRvcg==', 401],
    [token, 401],
    [`Bearer ${header}.${payload}.${flipped}`, 401],
    [`Bearer ${none}.${payload}.`, 401],
  ];
}

function authDefects(tokens: Tokens, make: Make): fc.Arbitrary<BadCase> {
  return authorizationCases(
    [
      ...brokenAuthorizations(tokens.editor),
      [`Bearer ${tokens.expired}`, 401],
      [`Bearer ${tokens.foreignKey}`, 401],
      [`Bearer ${tokens.reader}`, 403],
      // A reader token is not an editor token.
      [`Bearer ${tokens.anonymousReader}`, 401],
    ],
    make,
  );
}

/** Reader routes: only our reader token (or the site's) names a reader; an editor's token does not. */
function readerAuthDefects(tokens: Tokens, make: Make): fc.Arbitrary<BadCase> {
  return authorizationCases(
    [
      ...brokenAuthorizations(tokens.anonymousReader),
      // An editor's token, or any token of the editors' issuer, is not a reader token.
      [`Bearer ${tokens.editor}`, 401],
      [`Bearer ${tokens.reader}`, 401],
    ],
    make,
  );
}

function authorizationCases(refused: Array<[string | undefined, number]>, make: Make): fc.Arbitrary<BadCase> {
  return fc.constantFrom(...refused).map(([value, status]) =>
    make('auth', `authorization ${value === undefined ? '(none)' : preview(value)}`, [status], (p) => {
      const headers = { ...p.headers };
      if (value === undefined) delete headers.authorization;
      else headers.authorization = value;
      return { ...p, headers };
    }),
  );
}

function withType(parts: Parts, type: string | undefined): Parts {
  const headers = { ...parts.headers };
  if (type === undefined) delete headers['content-type'];
  else headers['content-type'] = type;
  return { ...parts, headers };
}

function encodeQuery(query: Record<string, string>): string {
  return Object.entries(query)
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
    .join('&');
}

const isBodyRoute = (trigger: HttpTrigger): boolean => ['POST', 'PUT', 'PATCH'].includes(trigger.method);

function parameterNames(trigger: HttpTrigger): string[] {
  return [...trigger.path.matchAll(/\{(\w+)\}/g)].map((match) => match[1]!);
}

function knownParameter(trigger: HttpTrigger, name: string) {
  const parameter = PATH_PARAMETERS[name];
  if (!parameter) {
    throw new Error(
      `${routeKey(trigger)}: path parameter {${name}} is unknown to the bad-input suite; add it to PATH_PARAMETERS`,
    );
  }
  return parameter;
}
