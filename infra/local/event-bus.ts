/**
 * The local EventBridge: a bus that validates PutEvents entries as EventBridge does, builds
 * the event envelope, keeps every event as one JSON line in an events log, and delivers it to
 * the rules whose patterns match, with retries and a dead-letter callback. A small HTTP
 * endpoint speaks EventBridge's JSON protocol for PutEvents, so unmodified handlers using
 * `EventBridgeClient({ endpoint })` publish to it. No maintained offline EventBridge emulator
 * exists on npm, hence this.
 */
import { randomUUID } from 'node:crypto';
import { appendFile, mkdir } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenLocally } from './listen';
import { dirname } from 'node:path';
import type { EventBridgeEvent } from 'aws-lambda';
import type { EventPattern } from '../topology/types';
import { assertValidPattern, matchesPattern } from '../../shared/event-pattern';
import { readRequestBody } from './request-body';

/** One PutEvents entry, as `@aws-sdk/client-eventbridge` sends it. */
export interface PutEventsEntry {
  Source?: string;
  DetailType?: string;
  /** A JSON object, as text. */
  Detail?: string;
  EventBusName?: string;
  Resources?: string[];
  /** A Date, an ISO string, or epoch seconds (how the SDK puts a Date on the wire). */
  Time?: Date | string | number;
}

/** The outcome of one entry, in request order. */
export type PutEventsResultEntry = { EventId: string } | { ErrorCode: string; ErrorMessage: string };

/** What PutEvents answers. */
export interface PutEventsResult {
  FailedEntryCount: number;
  Entries: PutEventsResultEntry[];
}

/** The envelope EventBridge delivers to targets. */
export type BusEvent = EventBridgeEvent<string, Record<string, unknown>>;

/** A rule with one target (a function), with the target's retry policy and dead letters. */
export interface BusRule {
  name: string;
  pattern: EventPattern;
  invoke: (event: BusEvent) => Promise<unknown>;
  /** Retries after the first failed delivery (EventBridge allows 0–185). */
  retryAttempts: number;
  /** No retry once the event is older than this. */
  maxEventAgeSeconds: number;
  /** The dead-letter destination, called once when delivery is given up. */
  onFailure: (event: BusEvent, error: string) => Promise<void>;
}

/** Logging for delivery failures; Powertools' `Logger` fits. */
export interface BusLogger {
  warn(message: string, ...attributes: Record<string, unknown>[]): void;
  error(message: string, ...attributes: Record<string, unknown>[]): void;
}

/** Options for {@link LocalEventBus}. */
export interface LocalEventBusOptions {
  /** Where every accepted event is appended as one JSON line; no log when omitted. */
  eventsLogPath?: string;
  /**
   * The bus's name. When set, entries naming another bus (by name or ARN) fail with
   * ResourceNotFoundException; when omitted, every bus name is taken to mean this bus.
   */
  busName?: string;
  region?: string;
  account?: string;
  /** Pause before retry n is n × this. Default 100 ms, to keep local runs and tests quick. */
  retryDelayMs?: number;
  logger?: BusLogger;
}

/** The whole request is invalid (EventBridge answers 400 ValidationException). */
export class EventBusValidationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValidationException';
  }
}

/** EventBridge's limits on one PutEvents request. */
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

const consoleLogger: BusLogger = {
  warn: (message, ...attributes) => console.warn(message, ...attributes),
  error: (message, ...attributes) => console.error(message, ...attributes),
};

/** An in-process EventBridge bus; see the file comment. */
export class LocalEventBus {
  private readonly rules = new Map<string, BusRule>();
  private readonly listeners = new Set<(event: BusEvent) => void>();
  private readonly deliveries = new Set<Promise<void>>();
  private readonly region: string;
  private readonly account: string;
  private readonly retryDelayMs: number;
  private readonly logger: BusLogger;
  private logWrites: Promise<void> = Promise.resolve();
  /** Set once the stack stops: deliveries still failing then end without retrying. */
  private stopped = false;

  constructor(private readonly options: LocalEventBusOptions = {}) {
    this.region = options.region ?? 'us-east-1';
    this.account = options.account ?? '000000000000';
    this.retryDelayMs = options.retryDelayMs ?? 100;
    this.logger = options.logger ?? consoleLogger;
  }

  /** Adds (or replaces, by name) a rule; a malformed pattern throws here, not per event. */
  addRule(rule: BusRule): void {
    assertValidPattern(rule.pattern);
    this.rules.set(rule.name, rule);
  }

  removeRule(name: string): void {
    this.rules.delete(name);
  }

  /** Calls `listener` with every accepted event, after it is logged; returns the unsubscribe. */
  onEvent(listener: (event: BusEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * PutEvents: validates each entry, logs the accepted ones and starts their deliveries without
   * waiting for them. Invalid entries are reported in the result, as EventBridge does; a request
   * that breaks the request limits throws {@link EventBusValidationError}.
   */
  async put(entries: readonly PutEventsEntry[]): Promise<PutEventsResult> {
    // Checked through an `unknown` copy: Array.isArray would narrow `entries` itself to any[].
    const given: unknown = entries;
    if (!Array.isArray(given) || entries.length < 1 || entries.length > MAX_ENTRIES) {
      throw new EventBusValidationError(`Entries must hold 1 to ${MAX_ENTRIES} entries`);
    }
    if (entries.reduce((total, entry) => total + entrySize(entry), 0) > MAX_REQUEST_BYTES) {
      throw new EventBusValidationError('Total size of the entries in the request is over the limit.');
    }
    const results = entries.map((entry) => this.toEvent(entry));
    const accepted = results.filter((r): r is BusEvent => 'detail' in r);
    await this.appendToLog(accepted);
    for (const event of accepted) this.publish(event);
    const Entries = results.map((r): PutEventsResultEntry => ('detail' in r ? { EventId: r.id } : r));
    return { FailedEntryCount: Entries.filter((e) => 'ErrorCode' in e).length, Entries };
  }

  /** Resolves once every delivery started so far, retries included, has finished. */
  async idle(): Promise<void> {
    await this.logWrites;
    while (this.deliveries.size > 0) await Promise.allSettled([...this.deliveries]);
  }

  /**
   * For the stack's shutdown, before its functions stop: lets the deliveries in flight finish, for
   * up to `graceMs`, then gives up their pending retries, as a process that exits would. Without it
   * a delivery kept retrying into functions already stopped, and dead-lettered (and logged) after
   * the stack was gone.
   */
  async stop(graceMs = 2000): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)));
    await Promise.race([this.idle(), grace]);
    clearTimeout(timer);
    this.stopped = true;
  }

  private toEvent(entry: PutEventsEntry): BusEvent | { ErrorCode: string; ErrorMessage: string } {
    for (const field of ['Source', 'DetailType', 'Detail'] as const) {
      const value: unknown = entry[field];
      if (typeof value !== 'string' || value === '') {
        return {
          ErrorCode: 'InvalidArgument',
          ErrorMessage: `Parameter ${field} is not valid. Reason: ${field} is a required argument.`,
        };
      }
    }
    let detail: unknown;
    try {
      detail = JSON.parse(entry.Detail as string);
    } catch {
      detail = undefined;
    }
    if (typeof detail !== 'object' || detail === null || Array.isArray(detail)) {
      return { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' };
    }
    const busName = entry.EventBusName?.split('/').pop();
    if (
      busName !== undefined &&
      busName !== '' &&
      this.options.busName !== undefined &&
      busName !== this.options.busName
    ) {
      return { ErrorCode: 'ResourceNotFoundException', ErrorMessage: `Event bus ${busName} does not exist.` };
    }
    const time = entry.Time === undefined ? new Date() : toDate(entry.Time);
    if (time === undefined) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Time is not valid.' };
    }
    const resources = entry.Resources ?? [];
    if (!Array.isArray(resources) || !resources.every((r) => typeof r === 'string')) {
      return { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Resources is not valid.' };
    }
    // Key order as EventBridge writes the envelope.
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': entry.DetailType as string,
      source: entry.Source as string,
      account: this.account,
      time: time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: this.region,
      resources: [...resources],
      detail: detail as Record<string, unknown>,
    };
  }

  private appendToLog(events: BusEvent[]): Promise<void> {
    const path = this.options.eventsLogPath;
    if (path === undefined || events.length === 0) return this.logWrites;
    const lines = events.map((event) => `${JSON.stringify(event)}\n`).join('');
    const write = async (): Promise<void> => {
      await mkdir(dirname(path), { recursive: true });
      await appendFile(path, lines, 'utf8');
    };
    // Chained so lines of concurrent puts never interleave and stay in acceptance order.
    const next = this.logWrites.then(write, write);
    this.logWrites = next.catch(() => undefined);
    return next;
  }

  private publish(event: BusEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.logger.warn('Event listener failed', { error: describeError(err) });
      }
    }
    const receivedAt = Date.now();
    for (const rule of this.rules.values()) {
      if (!matchesPattern(rule.pattern, event)) continue;
      const delivery = this.deliver(rule, event, receivedAt);
      this.deliveries.add(delivery);
      void delivery.finally(() => this.deliveries.delete(delivery));
    }
  }

  private async deliver(rule: BusRule, event: BusEvent, receivedAt: number): Promise<void> {
    // Let the publisher (and the HTTP response) go first, as EventBridge delivers asynchronously.
    await new Promise((resolve) => setImmediate(resolve));
    for (let attempt = 1; ; attempt++) {
      try {
        // Each target gets its own copy: one handler mutating its event must not affect another.
        await rule.invoke(structuredClone(event));
        return;
      } catch (err) {
        if (this.stopped) return;
        const error = describeError(err);
        const ageSeconds = (Date.now() - receivedAt) / 1000;
        if (attempt > rule.retryAttempts || ageSeconds >= rule.maxEventAgeSeconds) {
          await this.deadLetter(rule, event, error, attempt);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, this.retryDelayMs * attempt));
      }
    }
  }

  private async deadLetter(rule: BusRule, event: BusEvent, error: string, attempts: number): Promise<void> {
    this.logger.warn('Event sent to the dead-letter destination', {
      rule: rule.name,
      eventId: event.id,
      attempts,
      error,
    });
    try {
      await rule.onFailure(event, error);
    } catch (err) {
      this.logger.error('Dead-letter destination failed; event dropped', {
        rule: rule.name,
        eventId: event.id,
        error: describeError(err),
      });
    }
  }
}

/** Options for {@link startEventBridgeEndpoint}. */
export interface EventBridgeEndpointOptions {
  /** 0 or omitted picks a free port. */
  port?: number;
  host?: string;
}

/** A running EventBridge endpoint. */
export interface EventBridgeEndpoint {
  /** `http://host:port`, for `EventBridgeClient({ endpoint })` or `AWS_ENDPOINT_URL_EVENTBRIDGE`. */
  endpoint: string;
  stop(): Promise<void>;
}

const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';
/** Far above EventBridge's 256 KB of entries; only guards against runaway bodies. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/**
 * Serves PutEvents over EventBridge's JSON 1.1 protocol (`x-amz-target: AWSEvents.PutEvents`)
 * and hands the entries to `bus`. Other operations answer 400 UnknownOperationException.
 * Signatures are not checked: the endpoint only listens on the loopback interface.
 */
export async function startEventBridgeEndpoint(
  bus: LocalEventBus,
  options: EventBridgeEndpointOptions = {},
): Promise<EventBridgeEndpoint> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((request, response) => {
    handleRequest(bus, request, response).catch((err: unknown) => {
      sendError(response, 500, 'InternalException', describeError(err));
    });
  });
  const { endpoint, stop } = await listenLocally(server, { host, port: options.port ?? 0 });
  return { endpoint, stop };
}

async function handleRequest(bus: LocalEventBus, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const target = request.headers['x-amz-target'];
  const body = await readRequestBody(request, MAX_BODY_BYTES);
  if (request.method !== 'POST' || target !== 'AWSEvents.PutEvents') {
    sendError(
      response,
      400,
      'UnknownOperationException',
      `Operation ${String(target)} is not supported by the local EventBridge`,
    );
    return;
  }
  if (body === undefined) {
    sendError(response, 413, 'ValidationException', 'Request body too large');
    return;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.length > 0 ? body : '{}');
  } catch {
    sendError(response, 400, 'SerializationException', 'Request body is not valid JSON');
    return;
  }
  const entries = (parsed as { Entries?: unknown } | null)?.Entries;
  if (!Array.isArray(entries)) {
    sendError(response, 400, 'ValidationException', 'Entries is required');
    return;
  }
  try {
    const result = await bus.put(entries.map(toEntry));
    send(response, 200, result);
  } catch (err) {
    if (err instanceof EventBusValidationError) sendError(response, 400, 'ValidationException', err.message);
    else throw err;
  }
}

/** Keeps the fields PutEvents knows, with the types it expects; anything else fails validation. */
function toEntry(raw: unknown): PutEventsEntry {
  const fields = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
  const time = fields.Time;
  return {
    Source: text(fields.Source),
    DetailType: text(fields.DetailType),
    Detail: text(fields.Detail),
    EventBusName: text(fields.EventBusName),
    Resources: Array.isArray(fields.Resources) ? fields.Resources.map(String) : undefined,
    Time: typeof time === 'number' || typeof time === 'string' ? time : undefined,
  };
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': JSON_CONTENT_TYPE,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': randomUUID(),
    ...headers,
  });
  response.end(text);
}

/** The SDK reads the error name from `__type` (and `x-amzn-errortype`). */
function sendError(response: ServerResponse, status: number, type: string, message: string): void {
  if (response.headersSent) {
    response.destroy();
    return;
  }
  send(response, status, { __type: type, message }, { 'x-amzn-errortype': type });
}

/** Entry size as EventBridge counts it against the 256 KB request limit. */
function entrySize(entry: PutEventsEntry): number {
  const bytes = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
  let size = entry.Time === undefined ? 0 : 14;
  size += bytes(entry.Source) + bytes(entry.DetailType) + bytes(entry.Detail);
  for (const resource of Array.isArray(entry.Resources) ? entry.Resources : []) size += bytes(resource);
  return size;
}

function toDate(time: Date | string | number): Date | undefined {
  const date = time instanceof Date ? time : typeof time === 'number' ? new Date(time * 1000) : new Date(time);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function describeError(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
