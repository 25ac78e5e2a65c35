/**
 * A reader's live connection, for tests and benchmarks: a small Node client on `ws` that speaks
 * AppSync Events' real-time protocol as the widget does — it connects with the `header-`
 * authorization, sends `connection_init` and waits for the ack, subscribes and unsubscribes, and
 * keeps every frame it receives, with each `data` event parsed and stamped with its arrival time.
 * It works against the local Event API and against AppSync alike.
 */
import { randomUUID } from 'node:crypto';
import { WebSocket, type RawData } from 'ws';
import { frameText } from '../../infra/local/live/frame-text';
import {
  AUTHORIZATION_SUBPROTOCOL_PREFIX,
  EVENT_WS_SUBPROTOCOL,
  type EventsError,
  type ServerMessage,
} from '../../infra/local/live/event-api-protocol';

/** Where and how to subscribe: what the widget's config.json gives it. */
export interface LiveEndpoint {
  realtimeUrl: string;
  /** The Event API's HTTP host, which the authorization names. */
  host: string;
  apiKey: string;
}

/** One published event as a subscription received it. */
export interface ReceivedEvent<T = unknown> {
  subscriptionId: string;
  /** The event's JSON, parsed. */
  event: T;
  /** Epoch milliseconds when the frame arrived. */
  receivedAt: number;
}

/** An operation the server refused, with the error entries it answered. */
export class LiveProtocolError extends Error {
  constructor(
    readonly type: string,
    readonly errors: EventsError[],
  ) {
    super(`${type}: ${errors.map((error) => `${error.errorType}: ${error.message}`).join('; ')}`);
    this.name = 'LiveProtocolError';
  }
}

/** The `header-…` subprotocol that carries an authorization as base64url JSON. */
export function authorizationSubprotocol(authorization: Record<string, string>): string {
  return `${AUTHORIZATION_SUBPROTOCOL_PREFIX}${Buffer.from(JSON.stringify(authorization)).toString('base64url')}`;
}

interface Waiter {
  matches(message: ServerMessage): boolean;
  resolve(message: ServerMessage): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

const DEFAULT_TIMEOUT_MS = 5_000;

export class LiveSubscriber {
  /** Every frame received, in order. */
  readonly messages: ServerMessage[] = [];
  /** Every `data` event received, in order. */
  readonly events: ReceivedEvent[] = [];
  private readonly waiters = new Set<Waiter>();
  /** Resolves with the close code once the socket has closed, whichever side closed it. */
  private readonly closed: Promise<number>;

  private constructor(
    private readonly socket: WebSocket,
    private readonly endpoint: LiveEndpoint,
  ) {
    socket.on('message', (data) => this.receive(data));
    // A socket error is followed by its close, which fails whatever still waits.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    void this.closed.then(() => {
      for (const waiter of this.waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('The live connection closed'));
      }
      this.waiters.clear();
    });
  }

  /** Opens a connection and completes `connection_init`; rejects with the `connection_error` if refused. */
  static async connect(endpoint: LiveEndpoint, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<LiveSubscriber> {
    const socket = new WebSocket(endpoint.realtimeUrl, [
      EVENT_WS_SUBPROTOCOL,
      authorizationSubprotocol({ host: endpoint.host, 'x-api-key': endpoint.apiKey }),
    ]);
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const subscriber = new LiveSubscriber(socket, endpoint);
    const answer = subscriber.next(
      (message) => message.type === 'connection_ack' || message.type === 'connection_error',
      timeoutMs,
    );
    subscriber.send({ type: 'connection_init' });
    const reply = await answer;
    if (reply.type === 'connection_error') {
      await subscriber.close();
      throw new LiveProtocolError(reply.type, reply.errors);
    }
    return subscriber;
  }

  /** Subscribes to a channel; resolves with the subscription's id once AppSync confirms it. */
  async subscribe(channel: string, id: string = randomUUID(), timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string> {
    const answer = this.answerTo(id, 'subscribe_success', 'subscribe_error', timeoutMs);
    this.send({
      type: 'subscribe',
      id,
      channel,
      authorization: { host: this.endpoint.host, 'x-api-key': this.endpoint.apiKey },
    });
    await answer;
    return id;
  }

  async unsubscribe(id: string, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    const answer = this.answerTo(id, 'unsubscribe_success', 'unsubscribe_error', timeoutMs);
    this.send({ type: 'unsubscribe', id });
    await answer;
  }

  /** Resolves once `count` events have arrived in all (at once if they have already). */
  async waitForEvents(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ReceivedEvent[]> {
    if (this.events.length < count) {
      await this.next(() => this.events.length >= count, timeoutMs);
    }
    return this.events.slice(0, count);
  }

  /** The next frame that matches, from now on. */
  next(matches: (message: ServerMessage) => boolean, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<ServerMessage> {
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        matches,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new Error(`No matching live message within ${timeoutMs} ms`));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Sends a frame as is: for tests of what the server does with what a client should not send. */
  send(message: unknown): void {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  async close(): Promise<void> {
    if (this.socket.readyState !== WebSocket.CLOSED) this.socket.close(1000);
    await this.closed;
  }

  /** The code the connection closed with, once it has (the server may close it). */
  closeCode(): Promise<number> {
    return this.closed;
  }

  private async answerTo(id: string, success: string, failure: string, timeoutMs: number): Promise<void> {
    const reply = await this.next(
      (message) => 'id' in message && message.id === id && (message.type === success || message.type === failure),
      timeoutMs,
    );
    if ('errors' in reply) throw new LiveProtocolError(reply.type, reply.errors);
  }

  private receive(data: RawData): void {
    const receivedAt = Date.now();
    const message = JSON.parse(frameText(data)) as ServerMessage;
    this.messages.push(message);
    if (message.type === 'data') {
      this.events.push({ subscriptionId: message.id, event: JSON.parse(message.event) as unknown, receivedAt });
    }
    for (const waiter of this.waiters) {
      if (!waiter.matches(message)) continue;
      clearTimeout(waiter.timer);
      this.waiters.delete(waiter);
      waiter.resolve(message);
    }
  }
}
