/**
 * `POST /event`, the local Event API's HTTP publish: the request must be signed (SigV4, service
 * `appsync`) by a caller whose statements allow `appsync:EventPublish` on the namespace (the grant
 * `publishLiveUpdates` gives a function), and its body is `{ channel, events }` with one to five
 * events, each a JSON value as text of at most 240 KB. Each event goes, as published, to every
 * subscription whose path matches the channel; the answer is AppSync's `{ successful, failed }`.
 *
 * Checked in the order AWS does: the signature (over the raw body), then the body, then the
 * caller's grant on the namespace the channel names. Guesses where the guide is silent: a body or
 * an event AppSync would not take is refused whole (400 BadRequestException) rather than listed
 * in `failed`; an unknown namespace is 404 ResourceNotFound; a missing grant is 401
 * UnauthorizedException with IAM's wording, which names the caller and the action.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ADMIN, denialMessage, isAllowed, type AccessCheck } from '../access/identities';
import { readRequestBody } from '../request-body';
import { parseChannel } from './channel-path';
import type { ChannelSubscriptions } from './channel-subscriptions';
import {
  badRequest,
  INVALID_CHANNEL,
  MAX_EVENT_BYTES,
  MAX_EVENTS_PER_PUBLISH,
  publishRequestSchema,
  unauthorized,
  type EventsError,
  type EventsErrorBody,
  type PublishResponse,
} from './event-api-protocol';
import { checkSignature, type ReceivedRequest, type Refusal, type SignatureScope } from './signature-check';

export interface PublishEndpointOptions {
  signatures: SignatureScope;
  namespace: string;
  /** The namespace's ARN, which the publish grant names. */
  namespaceArn: string;
  subscriptions: ChannelSubscriptions;
  log: (line: string) => void;
}

/** Five events of 240 KB, each escaped once more inside the body (JSON text in a JSON string). */
const MAX_BODY_BYTES = MAX_EVENTS_PER_PUBLISH * MAX_EVENT_BYTES * 2 + 4096;

const JSON_HEADERS = { 'content-type': 'application/json; charset=UTF-8' };

/** Answers one publish; see the file comment. */
export async function handlePublish(
  request: IncomingMessage,
  response: ServerResponse,
  options: PublishEndpointOptions,
): Promise<void> {
  const started = Date.now();
  const body = await readRequestBody(request, MAX_BODY_BYTES);
  const outcome =
    body === undefined
      ? { refusal: { status: 413, error: badRequest('The request is larger than five events of 240 KB.') } }
      : await publish({ method: 'POST', url: request.url ?? '/', headers: headerMap(request), body }, options);
  if ('refusal' in outcome) {
    const { status, error } = outcome.refusal;
    options.log(`live POST /event → ${status} ${error.errorType}: ${error.message}`);
    return send(response, status, { errors: [error] } satisfies EventsErrorBody);
  }
  const { channel, events, receivers } = outcome;
  const ms = Date.now() - started;
  options.log(`live POST /event ${channel} ${events} event(s) → 200 (${ms} ms, ${receivers} subscription(s))`);
  send(response, 200, outcome.answer);
}

type PublishOutcome =
  { refusal: Refusal } | { answer: PublishResponse; channel: string; events: number; receivers: number };

async function publish(request: ReceivedRequest, options: PublishEndpointOptions): Promise<PublishOutcome> {
  const signature = await checkSignature(request, options.signatures);
  if ('refusal' in signature) return signature;

  const parsed = publishRequestSchema.safeParse(parseJson(request.body));
  if (!parsed.success) return refuse(400, badRequest('The body must be { "channel": string, "events": [string] }.'));
  const channel = parseChannel(parsed.data.channel, 'publish');
  if (!channel) return refuse(400, badRequest(INVALID_CHANNEL));
  if (channel.namespace !== options.namespace) {
    return refuse(404, { errorType: 'ResourceNotFound', message: `Channel namespace ${channel.namespace} not found.` });
  }
  const check: AccessCheck = { action: 'appsync:EventPublish', resource: options.namespaceArn };
  const caller = signature.caller;
  if (caller !== ADMIN && !isAllowed(caller.statements, check)) {
    return refuse(401, unauthorized(denialMessage(caller, check)));
  }

  const events = parsed.data.events;
  if (events.length < 1 || events.length > MAX_EVENTS_PER_PUBLISH) {
    return refuse(400, badRequest(`A publish takes 1 to ${MAX_EVENTS_PER_PUBLISH} events, not ${events.length}.`));
  }
  const invalid = events.findIndex((event) => !isJson(event) || Buffer.byteLength(event, 'utf8') > MAX_EVENT_BYTES);
  if (invalid >= 0) {
    return refuse(400, badRequest(`Event ${invalid} is not a JSON value of at most ${MAX_EVENT_BYTES} bytes.`));
  }

  const receivers = options.subscriptions.receiversOf(channel.path);
  for (const event of events) for (const receiver of receivers) receiver.deliver(event);
  return {
    answer: { successful: events.map((_, index) => ({ identifier: randomUUID(), index })), failed: [] },
    channel: channel.path,
    events: events.length,
    receivers: receivers.length,
  };
}

const refuse = (status: number, error: EventsError): PublishOutcome => ({ refusal: { status, error } });

/** The request's headers by lower-case name; a Map, as the names are the client's. */
function headerMap(request: IncomingMessage): Map<string, string> {
  return new Map(
    Object.entries(request.headers).flatMap(([name, value]) =>
      value === undefined ? [] : [[name, Array.isArray(value) ? value.join(',') : value] as const],
    ),
  );
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** JSON has no `undefined`, so a text that parses to nothing is not JSON. */
function isJson(text: string): boolean {
  return parseJson(text) !== undefined;
}

function send(response: ServerResponse, status: number, body: PublishResponse | EventsErrorBody): void {
  response.writeHead(status, JSON_HEADERS);
  response.end(JSON.stringify(body));
}
