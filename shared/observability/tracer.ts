import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/**
 * X-Ray tracing of the AWS SDK clients: each DynamoDB, S3, EventBridge and Secrets Manager call
 * becomes a subsegment of the function's trace (Lambda creates the function segment itself, as
 * tracing is Active in the construct).
 *
 * Why not Powertools' Tracer: it wraps the X-Ray SDK, about 125 KB of every minified bundle
 * (with `cls-hooked` and its async hooks) and 10–15 ms of every cold start, for the one thing
 * used here — a subsegment per SDK call. That is a small, documented wire format: the SDK's own
 * v3 patcher adds a `build`-step middleware (so one subsegment spans the call's retries) and
 * sends each closed subsegment as one UDP datagram to the daemon Lambda runs beside the
 * function. This module does the same, with the same document fields, and nothing else.
 *
 * Outside Lambda (tests, the local stack) there is no trace header, so calls pass untouched.
 */

/** The header of every datagram the X-Ray daemon accepts (its documented protocol). */
const DAEMON_PROTOCOL_HEADER = '{"format":"json","version":1}\n';
/** Where Lambda's daemon listens when AWS_XRAY_DAEMON_ADDRESS does not say (the SDK's default too). */
const DEFAULT_DAEMON = { host: '127.0.0.1', port: 2000 };
const MIDDLEWARE_NAME = 'XRaySdkCallSubsegments';

/** What tracing needs of an SDK v3 client: its middleware stack and its region. */
interface TraceableClient {
  middlewareStack: {
    add(middleware: SdkMiddleware, options: { step: 'build'; name: string; override?: boolean }): void;
  };
  config: { region: string | (() => Promise<string>) };
}

type SdkMiddleware = (
  next: (args: SdkArgs) => Promise<SdkOutput>,
  context: { clientName?: string; commandName?: string },
) => (args: SdkArgs) => Promise<SdkOutput>;

interface SdkArgs {
  input?: Record<string, unknown>;
  request?: { headers?: Record<string, string> };
}

interface ResponseMetadata {
  requestId?: string;
  extendedRequestId?: string;
  httpStatusCode?: number;
  attempts?: number;
}

interface SdkOutput {
  output?: { $metadata?: ResponseMetadata };
}

/** The trace this invocation belongs to, from the header Lambda hands the function. */
export interface TraceContext {
  traceId: string;
  parentId: string;
}

/**
 * Reads `Root=…;Parent=…;Sampled=1` (Lambda's `_X_AMZN_TRACE_ID`). Unsampled or malformed
 * headers give no context: nothing is recorded for them.
 */
export function parseTraceHeader(header: string | undefined): TraceContext | undefined {
  if (!header) return undefined;
  const fields = new Map(
    header.split(';').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const traceId = fields.get('Root');
  const parentId = fields.get('Parent');
  if (fields.get('Sampled') !== '1' || !traceId || !parentId) return undefined;
  if (!/^1-[0-9a-f]{8}-[0-9a-f]{24}$/.test(traceId) || !/^[0-9a-f]{16}$/.test(parentId)) return undefined;
  return { traceId, parentId };
}

/**
 * The current invocation's trace header: the runtime's per-invocation store where it has one
 * (runtimes that run several invocations at once), else the environment variable.
 */
function currentTraceHeader(): string | undefined {
  const store = (globalThis as { awslambda?: { InvokeStore?: { getXRayTraceId?: () => string | undefined } } })
    .awslambda?.InvokeStore;
  return store?.getXRayTraceId?.() ?? process.env._X_AMZN_TRACE_ID;
}

/** `host:port`, or the `udp:host:port tcp:host:port` form; subsegments travel over UDP. */
export function daemonAddress(setting: string | undefined): { host: string; port: number } {
  if (!setting) return DEFAULT_DAEMON;
  const parts = setting.trim().split(/\s+/);
  const udp = parts.find((part) => part.startsWith('udp:'))?.slice('udp:'.length) ?? parts[0] ?? '';
  const at = udp.lastIndexOf(':');
  const port = Number(udp.slice(at + 1));
  if (at <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) return DEFAULT_DAEMON;
  return { host: udp.slice(0, at), port };
}

/** A subsegment document as the daemon takes it (the fields X-Ray's own SDK sends for AWS calls). */
export interface SdkCallSubsegment {
  name: string;
  id: string;
  trace_id: string;
  parent_id: string;
  type: 'subsegment';
  namespace: 'aws';
  start_time: number;
  end_time: number;
  aws: {
    operation: string;
    region?: string;
    request_id?: string;
    id_2?: string;
    retries: number;
    table_name?: string;
    table_names?: string[];
    bucket_name?: string;
    secret_id?: string;
  };
  http?: { response: { status: number } };
  error?: true;
  throttle?: true;
  fault?: true;
  cause?: { exceptions: Array<{ id: string; message: string; type: string; remote: true }> };
}

/** Sends one subsegment; the socket is unref'd so it never keeps a process alive. */
export type SubsegmentSink = (subsegment: SdkCallSubsegment) => void;

let socket: Socket | undefined;

function sendToDaemon(subsegment: SdkCallSubsegment): void {
  const { host, port } = daemonAddress(process.env.AWS_XRAY_DAEMON_ADDRESS);
  if (!socket) {
    socket = createSocket('udp4');
    socket.unref();
    // A lost datagram loses one subsegment, never the call it describes.
    socket.on('error', () => undefined);
  }
  socket.send(DAEMON_PROTOCOL_HEADER + JSON.stringify(subsegment), port, host);
}

/** The client, with a subsegment recorded per call whenever the invocation is traced. */
export function traced<T>(client: T, sink: SubsegmentSink = sendToDaemon): T {
  const traceable = client as unknown as TraceableClient;
  traceable.middlewareStack.add(sdkCallSubsegments(traceable.config, sink), {
    step: 'build',
    name: MIDDLEWARE_NAME,
    override: true,
  });
  return client;
}

function sdkCallSubsegments(config: TraceableClient['config'], sink: SubsegmentSink): SdkMiddleware {
  return (next, context) => async (args) => {
    const trace = parseTraceHeader(currentTraceHeader());
    if (!trace) return next(args);
    const id = randomBytes(8).toString('hex');
    // Downstream services join the same trace, under this subsegment.
    if (args.request?.headers) {
      args.request.headers['X-Amzn-Trace-Id'] = `Root=${trace.traceId};Parent=${id};Sampled=1`;
    }
    const service = (context.clientName ?? 'AWSClient').replace(/Client$/, '');
    const operation = (context.commandName ?? 'Command').replace(/Command$/, '');
    const startTime = Date.now() / 1000;
    const finish = async (metadata: ResponseMetadata | undefined, error?: { name?: string; message?: string }) => {
      const region = typeof config.region === 'function' ? await config.region().catch(() => undefined) : config.region;
      const status = metadata?.httpStatusCode;
      const subsegment: SdkCallSubsegment = {
        name: service,
        id,
        trace_id: trace.traceId,
        parent_id: trace.parentId,
        type: 'subsegment',
        namespace: 'aws',
        start_time: startTime,
        end_time: Date.now() / 1000,
        aws: {
          operation,
          ...(region === undefined ? {} : { region }),
          ...(metadata?.requestId === undefined ? {} : { request_id: metadata.requestId }),
          ...(service === 'S3' && metadata?.extendedRequestId ? { id_2: metadata.extendedRequestId } : {}),
          retries: Math.max(0, (metadata?.attempts ?? 1) - 1),
          ...resourceNames(args.input),
        },
        ...(status === undefined ? {} : { http: { response: { status } } }),
        ...outcomeFlags(status, error),
      };
      try {
        sink(subsegment);
      } catch {
        // Tracing must never fail the call it observes.
      }
    };
    try {
      const result = await next(args);
      await finish(result.output?.$metadata);
      return result;
    } catch (error) {
      const failure = error as { name?: string; message?: string; $metadata?: ResponseMetadata };
      await finish(failure.$metadata, failure);
      throw error;
    }
  };
}

/** The resource a call names, as X-Ray's console shows it: tables, buckets, secrets. Never keys or bodies. */
function resourceNames(input: Record<string, unknown> | undefined): Partial<SdkCallSubsegment['aws']> {
  if (!input) return {};
  if (typeof input.TableName === 'string') return { table_name: input.TableName };
  if (typeof input.RequestItems === 'object' && input.RequestItems !== null) {
    return { table_names: Object.keys(input.RequestItems) };
  }
  if (Array.isArray(input.TransactItems)) {
    const tables = new Set<string>();
    for (const item of input.TransactItems as Array<Record<string, { TableName?: unknown } | undefined>>) {
      for (const action of Object.values(item)) if (typeof action?.TableName === 'string') tables.add(action.TableName);
    }
    return { table_names: [...tables] };
  }
  if (typeof input.Bucket === 'string') return { bucket_name: input.Bucket };
  if (typeof input.SecretId === 'string') return { secret_id: input.SecretId };
  return {};
}

/** X-Ray's classification: 429 or a throttling error is a throttle, other 4xx an error, 5xx a fault. */
function outcomeFlags(
  status: number | undefined,
  error: { name?: string; message?: string } | undefined,
): Pick<SdkCallSubsegment, 'error' | 'throttle' | 'fault' | 'cause'> {
  if (status === undefined && error === undefined) return {};
  const throttled = status === 429 || /Throttl|TooManyRequests|ProvisionedThroughputExceeded/.test(error?.name ?? '');
  const flags: Pick<SdkCallSubsegment, 'error' | 'throttle' | 'fault' | 'cause'> = {};
  if (status !== undefined && status >= 500) flags.fault = true;
  else if (throttled || (status !== undefined && status >= 400)) flags.error = true;
  else if (error !== undefined) flags.fault = true; // no HTTP answer at all: a network or client failure
  if (throttled) flags.throttle = true;
  if (error !== undefined) {
    flags.cause = {
      exceptions: [
        {
          id: randomBytes(8).toString('hex'),
          message: String(error.message ?? ''),
          type: String(error.name ?? 'Error'),
          remote: true,
        },
      ],
    };
  }
  return flags;
}
