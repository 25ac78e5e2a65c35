import { isIP } from 'node:net';
import { isUtf8 } from 'node:buffer';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { JWTPayload } from 'jose';
import { BASE_HEADERS } from '../../shared/http/responses';
import { CORS_POLICY } from '../cors';
import type { HttpTrigger } from '../topology';
import { verifyBearer, type LocalSigningKey } from './auth';
import type { LocalFunction } from './local-function';
import type { LocalOAuth } from './oauth';
import type { StaticSite } from './widget-site';

/** API Gateway's own limit on a request payload. */
const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** Media types API Gateway hands to Lambda as text; anything else arrives base64-encoded. */
const TEXT_TYPES = /^(text\/|application\/(json|[\w.+-]+\+json|xml|[\w.+-]+\+xml|javascript|x-www-form-urlencoded))/i;

export interface GatewayRoute {
  trigger: HttpTrigger;
  fn: LocalFunction;
}

interface CompiledRoute extends GatewayRoute {
  routeKey: string;
  pattern: RegExp;
  parameterNames: string[];
}

export interface GatewayOptions {
  routes: readonly GatewayRoute[];
  signingKey: LocalSigningKey;
  host?: string;
  port: number;
  onRequest?: (line: { method: string; path: string; status: number; ms: number }) => void;
  /**
   * Browser origins allowed besides the gateway's own (`http://127.0.0.1:<port>` and
   * `http://localhost:<port>`, so pages the stack serves itself always work), e.g. a front end
   * under development on another port.
   */
  extraOrigins?: readonly string[];
  /**
   * Tests only (`LOCAL_TRUST_FORWARDED_FOR=on`): take the caller's address from the first
   * `X-Forwarded-For` entry, so one test can be readers at several addresses. Off by default: in
   * AWS the source is API Gateway's own `sourceIp`, which no header can change.
   */
  trustForwardedFor?: boolean;
  /** Pages and files served on GET where no route matches: the widget, the desk and the demo site. */
  site?: StaticSite;
  /** The user pool domain's sign-in endpoints (`/oauth2/*`, `/login`, `/logout`), for the desk. */
  oauth?: LocalOAuth;
}

/**
 * The local HTTP API: matches requests to the topology's routes as API Gateway v2 does, runs
 * the JWT checks on editor routes, and presents each request to the handler as a payload
 * format 2.0 event — so handlers cannot tell this host from AWS.
 */
export async function startHttpGateway(
  options: GatewayOptions,
): Promise<{ url: string; server: Server; stop(): Promise<void> }> {
  const routes = options.routes.map(compile);
  const origins = new Set(options.extraOrigins ?? []);
  const server = createServer((req, res) => {
    const started = Date.now();
    handle(
      req,
      res,
      routes,
      options.signingKey,
      origins,
      options.trustForwardedFor ?? false,
      options.site,
      options.oauth,
    )
      .catch(() => send(res, 500, errorBody('internal_error', 'Internal Server Error')))
      .finally(() =>
        options.onRequest?.({
          method: req.method ?? '',
          path: req.url ?? '',
          status: res.statusCode,
          ms: Date.now() - started,
        }),
      );
  });
  // A request Node cannot parse (e.g. raw non-ASCII bytes in the path) never reaches a route:
  // answer it as API Gateway does, with a JSON error, instead of Node's bare one.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (error.code === 'ECONNRESET' || !socket.writable) return socket.destroy();
    const [status, reason, code] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'Request Header Fields Too Large', 'headers_too_large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'Request Timeout', 'request_timeout']
          : [400, 'Bad Request', 'bad_request'];
    const body = errorBody(code, 'The request is not valid HTTP');
    const headers = Object.entries({
      ...BASE_HEADERS,
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    })
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('');
    socket.end(`HTTP/1.1 ${status} ${reason}\r\n${headers}\r\n${body}`);
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  origins.add(`http://${host}:${port}`).add(`http://localhost:${port}`);
  return {
    url: `http://${host}:${port}`,
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: CompiledRoute[],
  key: LocalSigningKey,
  origins: ReadonlySet<string>,
  trustForwardedFor: boolean,
  site: StaticSite | undefined,
  oauth: LocalOAuth | undefined,
): Promise<void> {
  if (applyCors(req, res, routes, origins) === 'preflight-answered') return;
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  // In AWS these are the user pool domain's, not the API's; no API route has their paths.
  if (oauth?.handles(url.pathname)) return oauth.handle(req, res, url);
  const matched = matchRoute(routes, method, url.pathname);
  if (matched === 'bad-path') return send(res, 400, errorBody('bad_request', 'The request path is not valid'));
  if (!matched) {
    // Only a path as sent: `/articles/..` is normalized to `/` by URL, and must stay a 404 of the API.
    const asSent = (req.url ?? '/').split('?')[0] === url.pathname;
    const page = asSent && (method === 'GET' || method === 'HEAD') ? site?.serve(url.pathname) : null;
    if (page) {
      res.writeHead(page.status, page.headers);
      return void res.end(method === 'HEAD' ? undefined : page.body);
    }
    return send(res, 404, errorBody('not_found', `No route for ${method} ${url.pathname}`));
  }

  const body = await readBody(req);
  if (body === 'too-large') return send(res, 413, errorBody('payload_too_large', 'The request body is too large'));

  let claims: JWTPayload | null = null;
  if (matched.route.trigger.access === 'editor') {
    claims = await verifyBearer(key, header(req, 'authorization'));
    if (!claims) {
      return send(res, 401, errorBody('unauthorized', 'A valid bearer token is required'), {
        'www-authenticate': 'Bearer',
      });
    }
  }

  const event = toApiGatewayEvent(req, url, matched, body, claims, sourceIpOf(req, trustForwardedFor));
  let result: unknown;
  try {
    result = await matched.route.fn.invoke(event);
  } catch {
    // A handler that throws is a crashed invocation; API Gateway answers 500 without details.
    return send(res, 500, errorBody('internal_error', 'Internal Server Error'));
  }
  const response = toHttpResponse(result);
  res.statusCode = response.statusCode ?? 200;
  for (const [name, value] of Object.entries(response.headers ?? {})) res.setHeader(name, String(value));
  if (response.cookies?.length) res.setHeader('set-cookie', response.cookies);
  const payload = response.body === undefined ? '' : response.body;
  res.end(response.isBase64Encoded ? Buffer.from(payload, 'base64') : payload);
}

function compile(route: GatewayRoute): CompiledRoute {
  const parameterNames: string[] = [];
  const source = route.trigger.path
    .split('/')
    .map((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      if (!param) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      parameterNames.push(param[1]!);
      return '([^/]+)';
    })
    .join('/');
  return {
    ...route,
    routeKey: `${route.trigger.method} ${route.trigger.path}`,
    pattern: new RegExp(`^${source}/?$`),
    parameterNames,
  };
}

function matchRoute(
  routes: CompiledRoute[],
  method: string,
  path: string,
): { route: CompiledRoute; pathParameters: Record<string, string> } | 'bad-path' | null {
  for (const route of routes) {
    if (route.trigger.method !== method) continue;
    const match = route.pattern.exec(path);
    if (!match) continue;
    const pathParameters: Record<string, string> = {};
    try {
      route.parameterNames.forEach((name, i) => (pathParameters[name] = decodeURIComponent(match[i + 1]!)));
    } catch {
      return 'bad-path';
    }
    return { route, pathParameters };
  }
  return null;
}

function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  matched: { route: CompiledRoute; pathParameters: Record<string, string> },
  body: Buffer,
  claims: JWTPayload | null,
  sourceIp: string,
): APIGatewayProxyEventV2 {
  // Built as maps: a client's `__proto__` parameter must arrive as a field, as it does on AWS,
  // not be swallowed by a plain object's prototype setter.
  const headerMap = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || name === 'cookie') continue;
    headerMap.set(name, Array.isArray(value) ? value.join(',') : value);
  }
  const headers = Object.fromEntries(headerMap) as Record<string, string>;
  const queryMap = new Map<string, string>();
  for (const [name, value] of url.searchParams) {
    const earlier = queryMap.get(name);
    queryMap.set(name, earlier === undefined ? value : `${earlier},${value}`);
  }
  const query = Object.fromEntries(queryMap) as Record<string, string>;
  const contentType = headers['content-type'] ?? '';
  // Bytes that are not UTF-8 travel base64-encoded even under a text type, so a handler sees
  // them as they were sent rather than with U+FFFD in their place.
  const asText = body.length === 0 || (TEXT_TYPES.test(contentType) && isUtf8(body));
  const now = new Date();
  const cookies = req.headers.cookie?.split(/;\s*/).filter(Boolean);

  return {
    version: '2.0',
    routeKey: matched.route.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies?.length ? { cookies } : {}),
    headers,
    ...(Object.keys(query).length ? { queryStringParameters: query } : {}),
    ...(matched.route.parameterNames.length ? { pathParameters: matched.pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: 'local',
      http: {
        method: matched.route.trigger.method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: matched.route.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(claims ? { authorizer: { jwt: { claims: flattenClaims(claims), scopes: [] } } } : {}),
    },
    ...(body.length ? { body: asText ? body.toString('utf8') : body.toString('base64') } : {}),
    isBase64Encoded: !asText,
  };
}

/** API Gateway hands claims to Lambda as strings, arrays flattened to `[a b]`; do the same. */
function flattenClaims(claims: JWTPayload): Record<string, string> {
  return Object.fromEntries(
    Object.entries(claims).map(([name, value]) => [
      name,
      Array.isArray(value) ? `[${value.join(' ')}]` : String(value),
    ]),
  );
}

/** Payload format 2.0: a result without `statusCode` is taken as a JSON body with status 200. */
function toHttpResponse(result: unknown): APIGatewayProxyStructuredResultV2 {
  if (result && typeof result === 'object' && 'statusCode' in result)
    return result as APIGatewayProxyStructuredResultV2;
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: typeof result === 'string' ? result : JSON.stringify(result ?? null),
  };
}

/** The socket's address, or with `trustForwardedFor` the first valid `X-Forwarded-For` entry. */
function sourceIpOf(req: IncomingMessage, trustForwardedFor: boolean): string {
  const socketAddress = req.socket.remoteAddress ?? '127.0.0.1';
  if (!trustForwardedFor) return socketAddress;
  const first = header(req, 'x-forwarded-for')?.split(',')[0]?.trim() ?? '';
  return isIP(first) ? first : socketAddress;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_PAYLOAD_BYTES) return 'too-large';
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function errorBody(code: string, message: string): string {
  return JSON.stringify({ error: { code, message } });
}

/**
 * CORS as the HTTP API applies it: an allowed origin gets the policy's headers on every
 * response, and a preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here,
 * before any route or handler; an origin that is not allowed simply gets no CORS headers.
 */
function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  routes: CompiledRoute[],
  origins: ReadonlySet<string>,
): 'preflight-answered' | 'continue' {
  const origin = header(req, 'origin');
  const allowed = origin !== undefined && origins.has(origin);
  if (allowed) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-expose-headers', CORS_POLICY.exposeHeaders.join(','));
  }
  res.setHeader('vary', 'origin');
  if (req.method !== 'OPTIONS' || !header(req, 'access-control-request-method')) return 'continue';
  if (allowed) {
    const methods = [...new Set(routes.map((route) => route.trigger.method))];
    res.setHeader('access-control-allow-methods', methods.join(','));
    res.setHeader('access-control-allow-headers', CORS_POLICY.allowHeaders.join(','));
    res.setHeader('access-control-max-age', String(CORS_POLICY.maxAgeSeconds));
  }
  res.statusCode = 204;
  res.end();
  return 'preflight-answered';
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...BASE_HEADERS, ...headers });
  res.end(body);
}
