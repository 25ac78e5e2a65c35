/**
 * Live updates for the stories on a page, from AppSync Events (or the local stack's imitation of
 * it, which speaks the same protocol): one WebSocket per page, one subscription per story channel
 * (`/stories/<articleId>`) while any element of that story is in view and the page is visible.
 *
 * The protocol, as the widget uses it: connect with the `aws-appsync-event-ws` subprotocol and the
 * API key in a `header-<base64url JSON>` subprotocol; `connection_init` → `connection_ack` (with
 * `connectionTimeoutMs`); `ka` keep-alives (none within the timeout: the connection is dead);
 * `subscribe` → `subscribe_success` | `subscribe_error`; `data` with the published event as a JSON
 * string; `unsubscribe`.
 *
 * When the socket cannot open (no live settings, a network that refuses WebSockets, a refused
 * key), each story falls back to its elements' `refresh()`, which reads the cached GETs, every
 * 30 s. A socket that closes is reopened with exponential backoff and full jitter.
 */
import type { LiveConfig, LiveMessage } from './shapes';

/** What an element of a story does with live updates. */
export interface LiveListener {
  /** The element, watched for being in view. */
  readonly element: Element;
  apply(message: LiveMessage): void;
  /** Reads the story's state again (the cached GET), when the socket cannot carry updates. */
  refresh(): void;
}

const POLL_FALLBACK_MS = 30_000;
const MAX_BACKOFF_MS = 30_000;

interface Story {
  listeners: Set<LiveListener>;
  /** Listeners in view; the story is subscribed while this is not empty. */
  inView: Set<LiveListener>;
  subscriptionId: string | null;
  fallback: ReturnType<typeof setInterval> | null;
}

export class LiveUpdates {
  private readonly stories = new Map<string, Story>();
  private readonly bySubscription = new Map<string, string>();
  private socket: WebSocket | null = null;
  private acknowledged = false;
  private failures = 0;
  private reconnect: ReturnType<typeof setTimeout> | null = null;
  private watchdog: ReturnType<typeof setTimeout> | null = null;
  private timeoutMs = 300_000;
  private readonly observer: IntersectionObserver | null;

  constructor(private readonly config: LiveConfig | null) {
    this.observer =
      typeof IntersectionObserver === 'function'
        ? new IntersectionObserver((entries) => {
            for (const entry of entries) this.seen(entry.target, entry.isIntersecting);
          })
        : null;
    document.addEventListener('visibilitychange', () => this.update());
  }

  /** Starts live updates for a story's element; the returned function stops them. */
  watch(articleId: string, listener: LiveListener): () => void {
    let story = this.stories.get(articleId);
    if (!story) {
      story = { listeners: new Set(), inView: new Set(), subscriptionId: null, fallback: null };
      this.stories.set(articleId, story);
    }
    story.listeners.add(listener);
    if (this.observer) this.observer.observe(listener.element);
    else story.inView.add(listener);
    this.update();
    return () => {
      this.observer?.unobserve(listener.element);
      story.listeners.delete(listener);
      story.inView.delete(listener);
      if (story.listeners.size === 0) {
        this.stopFallback(story);
        this.stories.delete(articleId);
      }
      this.update();
    };
  }

  private seen(element: Element, visible: boolean): void {
    for (const story of this.stories.values()) {
      for (const listener of story.listeners) {
        if (listener.element !== element) continue;
        if (visible) story.inView.add(listener);
        else story.inView.delete(listener);
      }
    }
    this.update();
  }

  /** Brings subscriptions, the socket and the fallbacks in line with what is in view now. */
  private update(): void {
    const wanted = document.visibilityState !== 'hidden';
    let anyWanted = false;
    for (const [articleId, story] of this.stories) {
      const want = wanted && story.inView.size > 0;
      anyWanted ||= want;
      if (!want) {
        this.unsubscribe(story);
        this.stopFallback(story);
      } else if (!this.config) {
        this.startFallback(story);
      } else if (this.acknowledged && !story.subscriptionId) {
        this.subscribe(articleId, story);
      }
    }
    if (anyWanted && this.config && !this.socket && !this.reconnect) this.connect(this.config);
    if (!anyWanted && this.socket) this.close();
  }

  private connect(config: LiveConfig): void {
    const auth = { host: config.host, 'x-api-key': config.apiKey };
    let socket: WebSocket;
    try {
      socket = new WebSocket(config.realtimeUrl, ['aws-appsync-event-ws', `header-${base64Url(JSON.stringify(auth))}`]);
    } catch {
      this.failed();
      return;
    }
    this.socket = socket;
    this.acknowledged = false;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'connection_init' }));
    socket.onmessage = (event) => this.received(typeof event.data === 'string' ? event.data : '');
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.acknowledged = false;
      for (const story of this.stories.values()) story.subscriptionId = null;
      this.bySubscription.clear();
      this.failed();
    };
  }

  private received(text: string): void {
    let message: { type?: string; id?: string; event?: unknown; connectionTimeoutMs?: number };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      return;
    }
    switch (message.type) {
      case 'connection_ack':
        this.acknowledged = true;
        this.failures = 0;
        if (typeof message.connectionTimeoutMs === 'number') this.timeoutMs = message.connectionTimeoutMs;
        this.alive();
        for (const story of this.stories.values()) this.stopFallback(story);
        this.update();
        break;
      case 'ka':
        this.alive();
        break;
      case 'data': {
        const story = this.stories.get(this.bySubscription.get(message.id ?? '') ?? '');
        if (!story || typeof message.event !== 'string') break;
        let update: LiveMessage;
        try {
          update = JSON.parse(message.event) as LiveMessage;
        } catch {
          break;
        }
        for (const listener of story.listeners) listener.apply(update);
        break;
      }
      case 'subscribe_error': {
        // The key was refused for this channel: read the story by polling instead.
        const story = this.stories.get(this.bySubscription.get(message.id ?? '') ?? '');
        if (story) {
          story.subscriptionId = null;
          this.startFallback(story);
        }
        break;
      }
      case 'connection_error':
      case 'error':
        if (!this.acknowledged) this.socket?.close();
        break;
    }
  }

  private subscribe(articleId: string, story: Story): void {
    if (!this.socket || !this.config) return;
    const id = crypto.randomUUID();
    story.subscriptionId = id;
    this.bySubscription.set(id, articleId);
    this.socket.send(
      JSON.stringify({
        type: 'subscribe',
        id,
        channel: `/stories/${articleId}`,
        authorization: { host: this.config.host, 'x-api-key': this.config.apiKey },
      }),
    );
  }

  private unsubscribe(story: Story): void {
    const id = story.subscriptionId;
    if (!id) return;
    story.subscriptionId = null;
    this.bySubscription.delete(id);
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify({ type: 'unsubscribe', id }));
  }

  /** The connection is alive; without a keep-alive within its timeout it is not. */
  private alive(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => this.socket?.close(), this.timeoutMs);
  }

  private close(): void {
    const socket = this.socket;
    this.socket = null;
    this.acknowledged = false;
    if (this.watchdog) clearTimeout(this.watchdog);
    this.bySubscription.clear();
    for (const story of this.stories.values()) story.subscriptionId = null;
    socket?.close();
  }

  /** The socket could not open or was lost: poll meanwhile, and try again later. */
  private failed(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    for (const story of this.stories.values()) {
      if (story.inView.size > 0) this.startFallback(story);
    }
    const ceiling = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** this.failures++);
    this.reconnect = setTimeout(() => {
      this.reconnect = null;
      this.update();
    }, Math.random() * ceiling);
  }

  private startFallback(story: Story): void {
    if (story.fallback) return;
    story.fallback = setInterval(() => {
      for (const listener of story.inView) listener.refresh();
    }, POLL_FALLBACK_MS);
  }

  private stopFallback(story: Story): void {
    if (story.fallback) clearInterval(story.fallback);
    story.fallback = null;
  }
}

function base64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
