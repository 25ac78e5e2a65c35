/**
 * An access guard: a small HTTP proxy in front of one local engine (DynamoDB Local, the S3
 * emulator, the local EventBridge, the local SQS) that holds each function to its declared grants, outside the
 * function's own code. It reads the caller's access key id from the SigV4 `Authorization` header
 * (or a presigned URL's `X-Amz-Credential`), maps the request to the IAM actions it needs
 * (`request-actions.ts`), and either forwards it untouched or refuses it with the error AWS
 * returns: DynamoDB and EventBridge 400 `AccessDeniedException`, SQS 403 `AccessDenied`, S3 403
 * `AccessDenied`. The
 * signature is not verified: this checks declared grants, it is not a security boundary.
 */
import { randomUUID } from 'node:crypto';
import {
  Agent,
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  type ServerResponse,
} from 'node:http';
import { listenLocally } from '../listen';
import {
  ADMIN,
  denialMessage,
  firstDenied,
  type AccessCheck,
  type IdentityRegistry,
  type LocalIdentity,
} from './identities';
import { dynamoDbChecks, eventBridgeChecks, s3Checks, s3NeedsBody, sqsChecks, type ArnScope } from './request-actions';

export type GuardedService = 'dynamodb' | 's3' | 'events' | 'sqs';

/** A refused request, for the stack's log. */
export interface AccessDenial {
  functionName: string;
  action: string;
  resource: string;
}

/**
 * One DynamoDB call a function made, as the guard forwarded it: for measurement only (the poll
 * benchmark meters capacity with it, as the handlers' own clients are out of its reach).
 */
export interface ObservedCall {
  functionName: string;
  /** `PutItem`, `TransactWriteItems`, … */
  operation: string;
  request: Record<string, unknown>;
  status: number;
  response: Record<string, unknown>;
}

/** The operations that can report the capacity they consumed. */
const CAPACITY_OPERATIONS = new Set([
  'GetItem',
  'PutItem',
  'UpdateItem',
  'DeleteItem',
  'Query',
  'Scan',
  'BatchGetItem',
  'BatchWriteItem',
  'TransactGetItems',
  'TransactWriteItems',
]);

export interface AccessGuardOptions {
  service: GuardedService;
  /** The engine's endpoint, `http://127.0.0.1:<port>`. */
  upstream: string;
  identities: IdentityRegistry;
  scope: ArnScope;
  onDenied?: (denial: AccessDenial) => void;
  /**
   * DynamoDB only: every call a function makes, with `ReturnConsumedCapacity: INDEXES` added to
   * the request so the response says what it cost. Changes what the handlers receive (one more
   * field they ignore), so it is for measurement, never on by default.
   */
  observe?: (call: ObservedCall) => void;
  host?: string;
}

export interface AccessGuard {
  /** Where the functions' SDK clients are pointed (`AWS_ENDPOINT_URL_<SERVICE>`). */
  endpoint: string;
  stop(): Promise<void>;
}

/** Far above any request a handler sends (DynamoDB takes 16 MB at most); guards against runaway bodies. */
const MAX_INSPECTED_BODY_BYTES = 32 * 1024 * 1024;

export async function startAccessGuard(options: AccessGuardOptions): Promise<AccessGuard> {
  const upstream = new URL(options.upstream);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req, res) => {
    guard(req, res, options, upstream, agent).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`Access guard failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  const listening = await listenLocally(server, options.host ? { host: options.host } : {});
  return {
    endpoint: listening.endpoint,
    stop: async () => {
      agent.destroy();
      await listening.stop();
    },
  };
}

async function guard(
  req: IncomingMessage,
  res: ServerResponse,
  options: AccessGuardOptions,
  upstream: URL,
  agent: Agent,
): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const rawUrl = req.url ?? '/';
  const accessKeyId = accessKeyOf(req);
  const caller = accessKeyId === undefined ? undefined : options.identities.byAccessKey(accessKeyId);
  if (caller === undefined) return refuseUnknown(res, options.service, method, accessKeyId);

  const inspectBody = options.service !== 's3' || s3NeedsBody(method, rawUrl);
  const body = inspectBody ? await readBody(req) : undefined;
  if (caller !== ADMIN) {
    const checks = checksOf(options, method, rawUrl, req, body);
    const denied = checks === undefined ? undefined : firstDenied(caller, checks);
    if (denied) {
      options.onDenied?.({ functionName: caller.functionName, ...denied });
      return refuseDenied(res, options.service, method, caller, denied);
    }
    if (options.observe && options.service === 'dynamodb' && body !== undefined) {
      return forwardObserved(req, res, upstream, agent, body, (call) =>
        options.observe!({ functionName: caller.functionName, ...call }),
      );
    }
  }
  forward(req, res, upstream, agent, body);
}

/** The checks for this request, or undefined when it cannot be read (the engine will refuse it itself). */
function checksOf(
  options: AccessGuardOptions,
  method: string,
  rawUrl: string,
  req: IncomingMessage,
  body: Buffer | undefined,
): AccessCheck[] | undefined {
  const target = header(req, 'x-amz-target');
  if (options.service === 's3') return s3Checks(method, rawUrl, req.headers, body?.toString('utf8'));
  let parsed: unknown;
  try {
    parsed = JSON.parse(body?.toString('utf8') || '{}');
  } catch {
    return undefined;
  }
  const checks = { dynamodb: dynamoDbChecks, events: eventBridgeChecks, sqs: sqsChecks }[options.service];
  return checks(target, parsed, options.scope);
}

/** `Credential=<key id>/<date>/<region>/<service>/aws4_request`, from the header or a presigned URL. */
function accessKeyOf(req: IncomingMessage): string | undefined {
  const fromHeader = /Credential=([^/,\s]+)\//.exec(header(req, 'authorization') ?? '')?.[1];
  if (fromHeader) return fromHeader;
  const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
  return query.get('X-Amz-Credential')?.split('/')[0] || undefined;
}

/**
 * Sends the request on to the engine. A request whose body was read (DynamoDB, EventBridge: small
 * JSON) gets its answer read whole and written back in one go, which is cheaper than streaming it
 * through; S3 objects stream both ways.
 */
function forward(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: URL,
  agent: Agent,
  body: Buffer | undefined,
  onAnswer?: (status: number, answer: Buffer) => void,
): void {
  const headers: OutgoingHttpHeaders = { ...req.headers };
  // The guard already answered any `Expect: 100-continue`; the engine need not wait for the body.
  delete headers.expect;
  if (body !== undefined) headers['content-length'] = String(body.length);
  const outgoing = httpRequest(
    { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers, agent },
    (incoming) => {
      const status = incoming.statusCode ?? 502;
      if (body === undefined) {
        res.writeHead(status, incoming.statusMessage, incoming.headers);
        incoming.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        const answer = Buffer.concat(chunks);
        onAnswer?.(status, answer);
        const { 'transfer-encoding': _chunked, ...answerHeaders } = incoming.headers;
        res.writeHead(status, incoming.statusMessage, { ...answerHeaders, 'content-length': String(answer.length) });
        res.end(answer);
      });
    },
  );
  outgoing.on('error', (error) => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end(`The local engine did not answer: ${error.message}`);
  });
  if (body === undefined) req.pipe(outgoing);
  else outgoing.end(body);
}

/** Forwards a DynamoDB call asking for its consumed capacity, and reports request and response. */
function forwardObserved(
  req: IncomingMessage,
  res: ServerResponse,
  upstream: URL,
  agent: Agent,
  body: Buffer,
  observe: (call: Omit<ObservedCall, 'functionName'>) => void,
): void {
  const operation = header(req, 'x-amz-target')?.split('.').pop() ?? '';
  let request: Record<string, unknown>;
  try {
    request = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  } catch {
    return forward(req, res, upstream, agent, body);
  }
  if (CAPACITY_OPERATIONS.has(operation)) request.ReturnConsumedCapacity = 'INDEXES';
  forward(req, res, upstream, agent, Buffer.from(JSON.stringify(request)), (status, answer) => {
    try {
      const response = JSON.parse(answer.toString('utf8') || '{}') as Record<string, unknown>;
      observe({ operation, request, status, response });
    } catch {
      // Not JSON: nothing to measure.
    }
  });
}

function refuseDenied(
  res: ServerResponse,
  service: GuardedService,
  method: string,
  caller: LocalIdentity,
  denied: AccessCheck,
): void {
  if (service === 's3') {
    return sendS3Error(res, method, 'AccessDenied', denialMessage(caller, denied, { quoteResource: true }));
  }
  const message = denialMessage(caller, denied);
  const type = service === 'events' ? 'AccessDeniedException' : 'com.amazon.coral.service#AccessDeniedException';
  sendJsonError(res, service, type, message);
}

function refuseUnknown(res: ServerResponse, service: GuardedService, method: string, key: string | undefined): void {
  if (service === 's3') {
    if (key === undefined) return sendS3Error(res, method, 'AccessDenied', 'Access Denied');
    return sendS3Error(
      res,
      method,
      'InvalidAccessKeyId',
      'The AWS Access Key Id you provided does not exist in our records.',
      {
        AWSAccessKeyId: key,
      },
    );
  }
  const [type, message] =
    key === undefined
      ? ['MissingAuthenticationTokenException', 'Request is missing Authentication Token']
      : ['UnrecognizedClientException', 'The security token included in the request is invalid.'];
  sendJsonError(res, service, service === 'events' ? type : `com.amazon.coral.service#${type}`, message);
}

/**
 * DynamoDB (JSON 1.0) and EventBridge (JSON 1.1) errors: status 400, the type in `__type`. SQS
 * (JSON 1.0) answers a refusal with 403 and, for clients of its older query protocol, the query
 * error code in `x-amzn-query-error`.
 */
function sendJsonError(res: ServerResponse, service: GuardedService, type: string, message: string): void {
  const body = JSON.stringify({ __type: type, Message: message });
  const sqsCode = type.endsWith('AccessDeniedException') ? 'AccessDenied' : type.split('#').pop();
  res.writeHead(service === 'sqs' && sqsCode === 'AccessDenied' ? 403 : 400, {
    'content-type': service === 'events' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(body),
    'x-amzn-requestid': randomUUID(),
    ...(service === 'events' ? { 'x-amzn-errortype': type } : {}),
    ...(service === 'sqs' ? { 'x-amzn-query-error': `${sqsCode};Sender` } : {}),
  });
  res.end(body);
}

/** S3's XML error, status 403; a HEAD gets the status alone, as S3 sends no body to a HEAD. */
function sendS3Error(
  res: ServerResponse,
  method: string,
  code: string,
  message: string,
  extra: Record<string, string> = {},
): void {
  const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
  const fields = { Code: code, Message: message, ...extra, RequestId: requestId, HostId: 'local' };
  const body =
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
    Object.entries(fields)
      .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
      .join('') +
    '</Error>';
  res.writeHead(403, {
    'content-type': 'application/xml',
    'x-amz-request-id': requestId,
    ...(method === 'HEAD' ? {} : { 'content-length': Buffer.byteLength(body) }),
  });
  res.end(method === 'HEAD' ? undefined : body);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_INSPECTED_BODY_BYTES) throw new Error('request body too large to inspect');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
