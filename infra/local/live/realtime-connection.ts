/**
 * One WebSocket client of the local Event API, speaking AppSync Events' real-time protocol as a
 * subscriber: `connection_init` → `connection_ack` (or `connection_error` when the `header-`
 * subprotocol carried no valid key), `subscribe` → `subscribe_success` / `subscribe_error`,
 * `unsubscribe` → `unsubscribe_success` / `unsubscribe_error`, then a `data` frame per published
 * event for each matching subscription, and `ka` from the server while the connection is open.
 *
 * Guesses, where neither the guide nor AWS's clients say what AppSync answers:
 * - anything but `connection_init` before the ack, a second `connection_init`, or a frame that is
 *   not a JSON object: `error` with BadRequestException;
 * - a type it does not know: `error` with UnsupportedOperation, AppSync GraphQL's real-time answer;
 * - an id already subscribed on the connection: `subscribe_error` with DuplicatedOperationError,
 *   and an unknown id to unsubscribe: `unsubscribe_error` with UnknownOperationError (AppSync
 *   GraphQL's real-time error types);
 * - a namespace other than the API's: `subscribe_error` with ResourceNotFound (a type AWS's
 *   Android client maps);
 * - `publish` over the socket: `publish_error` with UnauthorizedException, since the socket only
 *   carries the subscribe-only key and publishing takes IAM (signed socket publishes are not
 *   imitated: the backend publishes over HTTP).
 */
import { WebSocket } from 'ws';
import { parseChannel } from './channel-path';
import type { ChannelSubscriptions, Subscription } from './channel-subscriptions';
import {
  badRequest,
  CONNECTION_TIMEOUT_MS,
  INVALID_CHANNEL,
  subscribeMessageSchema,
  unauthorized,
  unsubscribeMessageSchema,
  type EventsError,
  type ServerMessage,
} from './event-api-protocol';

export interface RealtimeConnectionOptions {
  /** Whether the `header-` subprotocol carried the API key. */
  authorized: boolean;
  apiKey: string;
  namespace: string;
  subscriptions: ChannelSubscriptions;
  maxSubscriptions: number;
  /**
   * A subscriber that has this much unsent (it reads slower than events arrive) is cut off, as a
   * bound on memory; the widget reconnects and catches up, as after any drop.
   */
  maxBufferedBytes: number;
  log: (line: string) => void;
}

export class RealtimeConnection {
  private state: 'awaiting-init' | 'ready' | 'closed' = 'awaiting-init';
  private readonly own = new Map<string, Subscription>();

  constructor(
    private readonly socket: WebSocket,
    private readonly options: RealtimeConnectionOptions,
  ) {}

  /** Answers one text frame from the client. */
  receive(text: string): void {
    const message = parseObject(text);
    if (!message) return this.send({ type: 'error', errors: [badRequest('Messages must be JSON objects.')] });
    const type = typeof message.type === 'string' ? message.type : '';
    if (this.state === 'awaiting-init') {
      if (type === 'connection_init') return this.initialize();
      return this.send({ type: 'error', errors: [badRequest('connection_init must come first.')] });
    }
    switch (type) {
      case 'connection_init':
        return this.send({ type: 'error', errors: [badRequest('The connection is initialized already.')] });
      case 'subscribe':
        return this.subscribe(message);
      case 'unsubscribe':
        return this.unsubscribe(message);
      case 'publish':
        return this.send({
          type: 'publish_error',
          ...(typeof message.id === 'string' ? { id: message.id } : {}),
          errors: [unauthorized()],
        });
      default:
        return this.send({
          type: 'error',
          errors: [
            { errorType: 'UnsupportedOperation', message: 'Operation not supported through the realtime channel.' },
          ],
        });
    }
  }

  /** Sends `ka` once the connection is acknowledged. */
  keepAlive(): void {
    if (this.state === 'ready') this.send({ type: 'ka' });
  }

  /** Drops the connection's subscriptions; called once the socket has closed. */
  closed(): void {
    this.state = 'closed';
    for (const subscription of this.own.values()) this.options.subscriptions.remove(subscription);
    this.own.clear();
  }

  private initialize(): void {
    if (!this.options.authorized) {
      this.send({ type: 'connection_error', errors: [unauthorized()] });
      // AppSync closes a refused connection with the normal code (AWS's Android client notes it).
      this.socket.close(1000);
      return;
    }
    this.state = 'ready';
    this.send({ type: 'connection_ack', connectionTimeoutMs: CONNECTION_TIMEOUT_MS });
  }

  private subscribe(message: Record<string, unknown>): void {
    const parsed = subscribeMessageSchema.safeParse(message);
    if (!parsed.success)
      return this.refuseOperation('subscribe_error', message, badRequest('Invalid subscribe message.'));
    const { id, channel: rawChannel, authorization } = parsed.data;
    const channel = parseChannel(rawChannel, 'subscribe');
    if (!channel) return this.send({ type: 'subscribe_error', id, errors: [badRequest(INVALID_CHANNEL)] });
    if (channel.namespace !== this.options.namespace) {
      return this.send({
        type: 'subscribe_error',
        id,
        errors: [{ errorType: 'ResourceNotFound', message: `Channel namespace ${channel.namespace} not found.` }],
      });
    }
    if (authorization?.['x-api-key'] !== this.options.apiKey) {
      return this.send({ type: 'subscribe_error', id, errors: [unauthorized()] });
    }
    if (this.own.has(id)) {
      return this.send({
        type: 'subscribe_error',
        id,
        errors: [{ errorType: 'DuplicatedOperationError', message: `Duplicated operation with id ${id}` }],
      });
    }
    if (this.own.size >= this.options.maxSubscriptions) {
      return this.send({
        type: 'subscribe_error',
        id,
        errors: [
          {
            errorType: 'MaxSubscriptionsReachedError',
            message: `Max number of ${this.options.maxSubscriptions} subscriptions reached`,
          },
        ],
      });
    }
    const subscription: Subscription = {
      id,
      path: channel.path,
      deliver: (event) => this.send({ type: 'data', id, event }),
    };
    this.own.set(id, subscription);
    this.options.subscriptions.add(subscription);
    this.options.log(`live subscribe ${channel.path}`);
    this.send({ type: 'subscribe_success', id });
  }

  private unsubscribe(message: Record<string, unknown>): void {
    const parsed = unsubscribeMessageSchema.safeParse(message);
    if (!parsed.success) {
      return this.refuseOperation('unsubscribe_error', message, badRequest('Invalid unsubscribe message.'));
    }
    const { id } = parsed.data;
    const subscription = this.own.get(id);
    if (!subscription) {
      return this.send({
        type: 'unsubscribe_error',
        id,
        errors: [{ errorType: 'UnknownOperationError', message: `Unknown operation id ${id}` }],
      });
    }
    this.own.delete(id);
    this.options.subscriptions.remove(subscription);
    this.options.log(`live unsubscribe ${subscription.path}`);
    this.send({ type: 'unsubscribe_success', id });
  }

  /** An operation's error frame when it names an id to answer, else a connection-level `error`. */
  private refuseOperation(
    type: 'subscribe_error' | 'unsubscribe_error',
    message: Record<string, unknown>,
    error: EventsError,
  ): void {
    const id = message.id;
    if (typeof id === 'string' && id.length > 0) this.send({ type, id, errors: [error] });
    else this.send({ type: 'error', errors: [error] });
  }

  private send(message: ServerMessage): void {
    if (this.socket.readyState !== WebSocket.OPEN) return;
    if (this.socket.bufferedAmount > this.options.maxBufferedBytes) {
      this.options.log('live subscriber cut off: it reads slower than events arrive');
      this.socket.terminate();
      return;
    }
    this.socket.send(JSON.stringify(message));
  }
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
