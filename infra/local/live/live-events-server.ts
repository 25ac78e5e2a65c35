/**
 * The local stand-in for the AppSync Event API that carries live updates: what the local stack
 * cannot be (AppSync), it imitates at the protocol its clients use, so the reader widget and the
 * publisher run unchanged against either host. One port serves both of the API's endpoints:
 * - `GET /event/realtime`, the real-time WebSocket (`realtime-connection.ts`), for subscribers
 *   with the public, subscribe-only API key;
 * - `POST /event`, the HTTP publish (`publish-endpoint.ts`), for the backend only, signed with its
 *   IAM credentials.
 *
 * The upgrade must offer the `aws-appsync-event-ws` subprotocol, which is answered; the
 * `header-<base64url JSON>` subprotocol carries the connection's authorization, `{ host,
 * x-api-key }`. A connection without the key is still upgraded, as AppSync does, and refused with
 * `connection_error` (UnauthorizedException) at `connection_init`. Guesses: an upgrade that does
 * not offer the subprotocol is refused with 400 before upgrading (browsers would fail it anyway,
 * as no subprotocol could be answered), one past the connection bound with 429, and every other
 * path or method answers 404 (the HTTP endpoint takes publishes only). The `host` a client names
 * is not checked: both endpoints are this one host here.
 */
import { createServer, STATUS_CODES, type IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { IdentityRegistry } from '../access/identities';
import { listenLocally } from '../listen';
import { ChannelSubscriptions } from './channel-subscriptions';
import {
  apiKeyAuthorizationSchema,
  AUTHORIZATION_SUBPROTOCOL_PREFIX,
  EVENT_WS_SUBPROTOCOL,
  MAX_EVENT_BYTES,
  PUBLISH_PATH,
  REALTIME_PATH,
  type EventsError,
  type EventsErrorBody,
} from './event-api-protocol';
import { frameText } from './frame-text';
import { handlePublish } from './publish-endpoint';
import { RealtimeConnection } from './realtime-connection';

export interface LiveEventsServerOptions {
  /** The public, subscribe-only key (AppSync's format: `da2-` and 26 lowercase alphanumerics). */
  apiKey: string;
  /** Who may sign a publish: the stack's function identities (and the host's own key). */
  identities: IdentityRegistry;
  region: string;
  /** The API's one channel namespace (`stories`). */
  namespace: string;
  /** That namespace's ARN, which a publisher's `appsync:EventPublish` grant must name. */
  namespaceArn: string;
  /** How often `ka` goes to every acknowledged connection; AppSync's is about a minute. */
  keepAliveIntervalMs?: number;
  maxConnections?: number;
  maxSubscriptionsPerConnection?: number;
  /** 0 or omitted picks a free port. */
  port?: number;
  /** Where log lines go: connections, subscriptions, publishes by kind and channel, refusals. */
  log?: (line: string) => void;
}

export interface LiveEventsServer {
  /** `ws://127.0.0.1:<port>/event/realtime`: where the widget subscribes. */
  realtimeUrl: string;
  /** `http://127.0.0.1:<port>/event`: where the publisher posts (LIVE_EVENTS_HTTP_URL). */
  httpUrl: string;
  /** `127.0.0.1:<port>`: the HTTP endpoint's host, which the `header-` authorization carries. */
  host: string;
  stop(): Promise<void>;
}

const DEFAULT_KEEP_ALIVE_MS = 60_000;
const DEFAULT_MAX_CONNECTIONS = 1_000;
/** AppSync's default quota of subscriptions on one connection. */
const DEFAULT_MAX_SUBSCRIPTIONS = 100;
/** Past this much unsent to one subscriber, it is cut off (see `RealtimeConnection`). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

export async function startLiveEventsServer(options: LiveEventsServerOptions): Promise<LiveEventsServer> {
  const log = options.log ?? (() => undefined);
  const subscriptions = new ChannelSubscriptions();
  const connections = new Map<WebSocket, RealtimeConnection>();
  const publishOptions = {
    signatures: { identities: options.identities, region: options.region, service: 'appsync' },
    namespace: options.namespace,
    namespaceArn: options.namespaceArn,
    subscriptions,
    log,
  };

  const server = createServer((request, response) => {
    if (request.method === 'POST' && pathOf(request) === PUBLISH_PATH) {
      handlePublish(request, response, publishOptions).catch((error: unknown) => {
        log(`live POST /event failed: ${error instanceof Error ? error.message : String(error)}`);
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json; charset=UTF-8' });
        response.end(
          JSON.stringify(errorBody({ errorType: 'InternalFailureException', message: 'Internal failure.' })),
        );
      });
      return;
    }
    response.writeHead(404, { 'content-type': 'application/json; charset=UTF-8' });
    response.end(JSON.stringify(errorBody(notFound())));
  });

  // Every frame a subscriber sends is small; AppSync's event limit bounds them generously.
  const sockets = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_EVENT_BYTES,
    handleProtocols: (offered) => (offered.has(EVENT_WS_SUBPROTOCOL) ? EVENT_WS_SUBPROTOCOL : false),
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (pathOf(request) !== REALTIME_PATH) return refuseUpgrade(socket, 404, notFound());
    const offered = offeredSubprotocols(request);
    if (!offered.includes(EVENT_WS_SUBPROTOCOL)) {
      return refuseUpgrade(socket, 400, {
        errorType: 'BadRequestException',
        message: `The ${EVENT_WS_SUBPROTOCOL} subprotocol is required.`,
      });
    }
    if (connections.size >= (options.maxConnections ?? DEFAULT_MAX_CONNECTIONS)) {
      return refuseUpgrade(socket, 429, { errorType: 'LimitExceededError', message: 'Too many connections.' });
    }
    const authorized = carriesApiKey(offered, options.apiKey);
    sockets.handleUpgrade(request, socket, head, (webSocket) => {
      const connection = new RealtimeConnection(webSocket, {
        authorized,
        apiKey: options.apiKey,
        namespace: options.namespace,
        subscriptions,
        maxSubscriptions: options.maxSubscriptionsPerConnection ?? DEFAULT_MAX_SUBSCRIPTIONS,
        maxBufferedBytes: MAX_BUFFERED_BYTES,
        log,
      });
      connections.set(webSocket, connection);
      log(`live connection ${authorized ? 'opened' : 'without a valid API key (refused at connection_init)'}`);
      webSocket.on('message', (data, isBinary) => connection.receive(isBinary ? '' : frameText(data)));
      // A frame past maxPayload, or a broken socket: ws closes it; the close cleans up.
      webSocket.on('error', () => webSocket.terminate());
      webSocket.on('close', () => {
        connection.closed();
        connections.delete(webSocket);
      });
    });
  });

  const keepAlive = setInterval(() => {
    for (const connection of connections.values()) connection.keepAlive();
  }, options.keepAliveIntervalMs ?? DEFAULT_KEEP_ALIVE_MS);
  keepAlive.unref();

  const listening = await listenLocally(server, { port: options.port ?? 0 });
  const host = new URL(listening.endpoint).host;
  return {
    realtimeUrl: `ws://${host}${REALTIME_PATH}`,
    httpUrl: `${listening.endpoint}${PUBLISH_PATH}`,
    host,
    stop: async () => {
      clearInterval(keepAlive);
      // Upgraded sockets are the WebSocket server's, not the HTTP server's: close them first.
      for (const webSocket of connections.keys()) webSocket.terminate();
      sockets.close();
      await listening.stop();
    },
  };
}

function pathOf(request: IncomingMessage): string {
  return new URL(request.url ?? '/', 'http://localhost').pathname;
}

function offeredSubprotocols(request: IncomingMessage): string[] {
  return (request.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((protocol) => protocol.trim())
    .filter(Boolean);
}

/** Whether the `header-` subprotocol's JSON carries this API key. */
function carriesApiKey(offered: readonly string[], apiKey: string): boolean {
  const encoded = offered.find((protocol) => protocol.startsWith(AUTHORIZATION_SUBPROTOCOL_PREFIX));
  if (encoded === undefined) return false;
  try {
    const json: unknown = JSON.parse(
      Buffer.from(encoded.slice(AUTHORIZATION_SUBPROTOCOL_PREFIX.length), 'base64url').toString('utf8'),
    );
    const authorization = apiKeyAuthorizationSchema.safeParse(json);
    return authorization.success && authorization.data['x-api-key'] === apiKey;
  } catch {
    return false;
  }
}

const notFound = (): EventsError => ({ errorType: 'NotFoundException', message: 'Not found.' });
const errorBody = (error: EventsError): EventsErrorBody => ({ errors: [error] });

function refuseUpgrade(socket: Duplex, status: number, error: EventsError): void {
  const body = JSON.stringify(errorBody(error));
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\ncontent-type: application/json; charset=UTF-8\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}
