/**
 * The part of AppSync Events' protocol the local imitation speaks, each shape defined once: what a
 * client may send over the WebSocket, what the server sends back, the HTTP publish body and its
 * answer, the error entries both carry, and the service's limits. The server (`live-events-
 * server.ts`) and the test client (`test/support/live-subscriber.ts`) both read it from here.
 *
 * Sources: the Event API guide (WebSocket protocol, HTTP publish, authorization) and AWS's own
 * clients (Amplify JS `AWSAppSyncEventsProvider`, Amplify Android `aws-sdk-appsync-events`), whose
 * message types name every frame below. Where neither says what AppSync answers, the choice is
 * marked "guess" with its reason.
 */
import * as z from '../../../shared/validation';

/** The subprotocol a client offers (with its `header-` authorization) and the server answers with. */
export const EVENT_WS_SUBPROTOCOL = 'aws-appsync-event-ws';
/** The prefix of the subprotocol that carries the connection's authorization as base64url JSON. */
export const AUTHORIZATION_SUBPROTOCOL_PREFIX = 'header-';
export const REALTIME_PATH = '/event/realtime';
export const PUBLISH_PATH = '/event';

/** What `connection_ack` tells the client: close the socket after this long without a message. */
export const CONNECTION_TIMEOUT_MS = 300_000;
/** AppSync takes at most five events per publish. */
export const MAX_EVENTS_PER_PUBLISH = 5;
/** AppSync's per-event limit: 240 KB of the event's JSON text. */
export const MAX_EVENT_BYTES = 240 * 1024;

/** One entry of an error list, as every AppSync Events error frame and HTTP error body carries it. */
export interface EventsError {
  errorType: string;
  message: string;
}

/** The message AppSync gives with UnauthorizedException. */
export const NOT_AUTHORIZED = 'You are not authorized to make this call.';
/** AppSync's message for a malformed or disallowed channel path (seen in AWS's own client tests). */
export const INVALID_CHANNEL = 'Invalid Channel Format';

export const unauthorized = (message = NOT_AUTHORIZED): EventsError => ({
  errorType: 'UnauthorizedException',
  message,
});
export const badRequest = (message: string): EventsError => ({ errorType: 'BadRequestException', message });

/** The API key authorization a client shows at connect (`header-…`) and with each subscribe. */
export const apiKeyAuthorizationSchema = z.object({
  host: z.optional(z.string()),
  'x-api-key': z.optional(z.string()),
});
export type ApiKeyAuthorization = z.output<typeof apiKeyAuthorizationSchema>;

// Client messages are parsed loosely: Amplify JS adds fields of its own (`payload`, `events`) to
// `subscribe`, and AppSync ignores them.
const operationId = z.string().check(z.minLength(1), z.maxLength(128));

export const subscribeMessageSchema = z.object({
  type: z.literal('subscribe'),
  id: operationId,
  channel: z.string(),
  authorization: z.optional(apiKeyAuthorizationSchema),
});
export type SubscribeMessage = z.output<typeof subscribeMessageSchema>;

export const unsubscribeMessageSchema = z.object({ type: z.literal('unsubscribe'), id: operationId });

/** Every frame the server sends: each type and field as AppSync names them. */
export type ServerMessage =
  | { type: 'connection_ack'; connectionTimeoutMs: number }
  | { type: 'connection_error'; errors: EventsError[] }
  | { type: 'ka' }
  | { type: 'subscribe_success'; id: string }
  | { type: 'subscribe_error'; id: string; errors: EventsError[] }
  | { type: 'unsubscribe_success'; id: string }
  | { type: 'unsubscribe_error'; id: string; errors: EventsError[] }
  | { type: 'publish_error'; id?: string; errors: EventsError[] }
  /** One published event for one subscription: `event` is the JSON text exactly as published. */
  | { type: 'data'; id: string; event: string }
  | { type: 'error'; id?: string; errors: EventsError[] };

/** The HTTP publish body: the channel and one to five events, each a JSON value as text. */
export const publishRequestSchema = z.object({
  channel: z.string(),
  events: z.array(z.string()),
});

/** The HTTP publish answer; `failed` lists events AppSync could not take (never any here). */
export interface PublishResponse {
  successful: Array<{ identifier: string; index: number }>;
  failed: Array<{ identifier: string; index: number; code: number; message: string }>;
}

/** An HTTP error answer's body, as AWS's clients parse it. */
export interface EventsErrorBody {
  errors: EventsError[];
}
