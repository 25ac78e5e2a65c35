import { ApiError, readReply } from '../../shared/api-reply';
import { fill, plural, type Strings } from './strings';

export { ApiError };

import type { DeployedConfig } from './shapes';

/**
 * The widget's client of the newsroom API: reads from `reads` (the CDN in AWS), writes to `api`
 * (straight to the API, so the reader's address is API Gateway's), and the reader's identity.
 */
export type WidgetConfig = Pick<DeployedConfig, 'api' | 'reads'>;

/**
 * What to tell the reader about a failed request, in their language; what they typed is always
 * kept. The API's own message and field details are shown as it sends them.
 */
export function readable(error: unknown, strings: Strings): string {
  if (!(error instanceof ApiError)) return strings.unreachable;
  if (error.status === 429) {
    const wait = error.retryAfter ?? 60;
    return fill(strings.tooManyTries, {
      wait: wait < 90 ? plural(strings, strings.seconds, wait) : plural(strings, strings.minutes, Math.ceil(wait / 60)),
    });
  }
  if (error.status >= 500) return strings.serverFailed;
  if (error.code === 'reader_banned') return strings.readerBanned;
  const fields = error.details.map((detail) => `${fieldName(detail.path)}: ${detail.message}`);
  return [error.message || fill(strings.requestFailed, { status: error.status }), ...fields].join(' ');
}

const fieldName = (path: string) => path.replace(/^body\./, '');

const TOKEN_KEY = 'newsroom:reader';

interface StoredReader {
  token: string;
  readerId: string;
  expiresAt: string;
}

let siteToken: string | null = null;

/** A site with its own sign-in passes its reader's signed token; null signs the reader out. */
export function setReaderToken(token: string | null): void {
  siteToken = token;
}

export class NewsroomApi {
  private minting: Promise<StoredReader> | null = null;

  constructor(readonly config: WidgetConfig) {}

  get<T>(path: string): Promise<T> {
    return this.request<T>(this.config.reads, 'GET', path);
  }

  /** A reader write: with the site's token if it gave one, else the anonymous reader's (minted on first use). */
  async write<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const token = siteToken ?? (await this.anonymousReader()).token;
    return this.request<T>(this.config.api, method, path, body, token);
  }

  /** The anonymous reader's id, if this browser has one (own comments are recognised by it). */
  knownReaderId(): string | null {
    return stored()?.readerId ?? null;
  }

  private anonymousReader(): Promise<StoredReader> {
    const kept = stored();
    if (kept && Date.parse(kept.expiresAt) > Date.now() + 60_000) return Promise.resolve(kept);
    this.minting ??= this.request<StoredReader>(this.config.api, 'POST', '/readers/anonymous')
      .then((reader) => {
        try {
          localStorage.setItem(TOKEN_KEY, JSON.stringify(reader));
        } catch {
          // Storage may be off (private modes): the reader is then new on every page.
        }
        return reader;
      })
      .finally(() => {
        this.minting = null;
      });
    return this.minting;
  }

  private async request<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (token) headers.authorization = `Bearer ${token}`;
    const response = await fetch(new URL(path.replace(/^\//, ''), base.endsWith('/') ? base : `${base}/`), {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return readReply<T>(response);
  }
}

function stored(): StoredReader | null {
  try {
    const raw = localStorage.getItem(TOKEN_KEY);
    return raw ? (JSON.parse(raw) as StoredReader) : null;
  } catch {
    return null;
  }
}

/** A remembered value per story (the reader's vote), in this browser only. */
export const memory = {
  get(key: string): string | null {
    try {
      return localStorage.getItem(`newsroom:${key}`);
    } catch {
      return null;
    }
  },
  set(key: string, value: string): void {
    try {
      localStorage.setItem(`newsroom:${key}`, value);
    } catch {
      // Storage off: the server's 409 still carries the vote.
    }
  },
};
