/**
 * Signing an editor in to the desk: OAuth 2.0 authorization code with PKCE (S256) against the
 * user pool's domain (Cognito's managed login in AWS, the local stack's imitation locally: the
 * same endpoints, so this module runs unchanged against both). No dependencies.
 *
 * Tokens live in this object and in the tab's sessionStorage only (never localStorage or a
 * cookie): a reload keeps the editor signed in, closing the tab forgets them. The access token is
 * refreshed with the refresh token {@link REFRESH_AHEAD_MS} before it expires; sign-out revokes
 * the refresh token and ends the sign-in session at `/logout`.
 *
 * Use: `const auth = new DeskAuth(config.auth, browserEnvironment())`, then `await auth.start()` once on page load;
 * `auth.fetch(url, init)` for API calls with the editor's token; `auth.onChange` for sign-out and
 * an ended session; `auth.signIn()` / `auth.signOut()` leave the page.
 */
import type { DeskAuthConfig } from './shapes';

/** How long before the access token expires it is replaced. */
export const REFRESH_AHEAD_MS = 5 * 60 * 1000;
/** After a refresh that failed for want of a network, the next try. */
const RETRY_REFRESH_MS = 30 * 1000;

const SESSION_KEY = 'newsroom-desk:session';
const PENDING_KEY = 'newsroom-desk:pending';
const SIGNED_OUT_KEY = 'newsroom-desk:signed-out';

/** The claims the desk reads of the tokens; the API checks the signature, the desk only reads. */
export interface DeskUser {
  /** The user's `sub`: what the API records as the editor. */
  subject: string;
  username: string;
  email: string | null;
  /** The access token's `cognito:groups`. */
  groups: string[];
}

export type AuthState =
  | { status: 'signed-in'; user: DeskUser }
  /**
   * `signed-out`: the editor signed out in this tab; `session-ended`: the refresh token was refused
   * (expired after the shift, or revoked); `none`: never signed in in this tab.
   */
  | { status: 'signed-out'; reason: 'none' | 'signed-out' | 'session-ended' };

/** A sign-in that failed: `code` is the OAuth error (`access_denied`, `invalid_grant`, …) or `state_mismatch`. */
export class SignInError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SignInError';
  }
}

/** Thrown by {@link DeskAuth.accessToken} and {@link DeskAuth.fetch} when no editor is signed in. */
export class SignInRequired extends Error {
  constructor() {
    super('Sign in to continue');
    this.name = 'SignInRequired';
  }
}

/**
 * What the module uses of the browser (`browserEnvironment()` in browser-environment.ts), so tests
 * can run it elsewhere; no DOM type, so the server's type check reads the module too.
 */
export interface AuthEnvironment {
  /** The tab's sessionStorage. */
  storage: {
    getItem(key: string): string | null;
    setItem(key: string, value: string): void;
    removeItem(key: string): void;
  };
  fetch: typeof fetch;
  /** The page's URL now. */
  location(): string;
  /** Leaves the page for another (the authorize and logout endpoints). */
  navigate(url: string): void;
  /** Changes the address bar without loading: drops `code` and `state` once used. */
  replaceUrl(url: string): void;
  now(): number;
  randomBytes(length: number): Uint8Array;
  sha256(data: Uint8Array<ArrayBuffer>): Promise<ArrayBuffer>;
  setTimer(callback: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

interface Session {
  accessToken: string;
  idToken: string;
  refreshToken: string;
  /** Epoch milliseconds: the access token's `exp`. */
  expiresAt: number;
}

interface PendingSignIn {
  state: string;
  verifier: string;
}

type Listener = (state: AuthState) => void;

export class DeskAuth {
  private session: Session | null = null;
  private current: AuthState = { status: 'signed-out', reason: 'none' };
  private readonly listeners = new Set<Listener>();
  private refreshing: Promise<Session | null> | null = null;
  private timer: unknown = null;

  constructor(
    private readonly config: DeskAuthConfig,
    private readonly env: AuthEnvironment,
  ) {}

  get state(): AuthState {
    return this.current;
  }

  /** Called on every change of state after {@link start}; returns the unsubscribe. */
  onChange(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Once, on page load: completes a sign-in returning from the authorize endpoint (`?code&state`
   * or `?error&state`), or resumes this tab's session (refreshing it if it is about to expire).
   * Rejects with {@link SignInError} when the sign-in coming back failed or is not the one this
   * tab started.
   */
  async start(): Promise<AuthState> {
    const url = new URL(this.env.location());
    const returned = url.searchParams.has('code') || url.searchParams.has('error');
    if (returned) {
      const pending = this.takePending();
      const params = new URLSearchParams(url.search);
      for (const name of ['code', 'state', 'error', 'error_description']) url.searchParams.delete(name);
      this.env.replaceUrl(url.toString());
      if (pending) {
        if (params.get('state') !== pending.state) {
          throw new SignInError(
            'state_mismatch',
            'The sign-in that came back is not the one this page started. Sign in again.',
          );
        }
        const error = params.get('error');
        if (error) throw new SignInError(error, params.get('error_description') || `Sign-in failed (${error})`);
        const tokens = await this.tokenRequest({
          grant_type: 'authorization_code',
          client_id: this.config.clientId,
          code: params.get('code') ?? '',
          redirect_uri: this.config.redirectUri,
          code_verifier: pending.verifier,
        });
        if ('error' in tokens) {
          throw new SignInError(tokens.error, `The sign-in could not be completed (${tokens.error}). Sign in again.`);
        }
        this.env.storage.removeItem(SIGNED_OUT_KEY);
        this.signedIn(sessionOf(tokens, null, this.env.now()));
        return this.current;
      }
      // A code this tab did not ask for (an old link, another tab's): ignored.
    }
    const stored = this.readSession();
    if (stored) {
      this.session = stored;
      const fresh = this.needsRefresh(stored) ? await this.refresh() : stored;
      if (fresh) this.signedIn(fresh);
      return this.current;
    }
    const signedOut = this.env.storage.getItem(SIGNED_OUT_KEY) !== null;
    this.env.storage.removeItem(SIGNED_OUT_KEY);
    this.current = { status: 'signed-out', reason: signedOut ? 'signed-out' : 'none' };
    return this.current;
  }

  /** Leaves for the sign-in page, with a new PKCE verifier (S256) and state kept in this tab. */
  async signIn(): Promise<void> {
    const verifier = base64Url(this.env.randomBytes(32));
    const state = base64Url(this.env.randomBytes(16));
    const challenge = base64Url(new Uint8Array(await this.env.sha256(new TextEncoder().encode(verifier))));
    this.env.storage.setItem(PENDING_KEY, JSON.stringify({ state, verifier } satisfies PendingSignIn));
    const url = new URL(this.config.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: this.config.clientId,
      redirect_uri: this.config.redirectUri,
      scope: this.config.scope,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    this.env.navigate(url.toString());
  }

  /**
   * Forgets the tokens, revokes the refresh token (so a copy of it is worthless), and leaves for
   * the logout endpoint, which ends the sign-in session and comes back to the desk.
   */
  async signOut(): Promise<void> {
    const refreshToken = this.session?.refreshToken;
    this.forget();
    this.env.storage.setItem(SIGNED_OUT_KEY, '1');
    if (refreshToken) {
      await this.env
        .fetch(this.config.revokeUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ token: refreshToken, client_id: this.config.clientId }).toString(),
        })
        .catch(() => undefined);
    }
    const url = new URL(this.config.logoutUrl);
    url.search = new URLSearchParams({
      client_id: this.config.clientId,
      logout_uri: this.config.redirectUri,
    }).toString();
    this.env.navigate(url.toString());
  }

  /** A current access token for the API, refreshed first if it expires within {@link REFRESH_AHEAD_MS}. */
  async accessToken(): Promise<string> {
    const session = this.session;
    if (!session) throw new SignInRequired();
    const fresh = this.needsRefresh(session) ? await this.refresh() : session;
    if (!fresh) throw new SignInRequired();
    return fresh.accessToken;
  }

  /**
   * `fetch` with `Authorization: Bearer <access token>`. A 401 (the token expired under a sleeping
   * laptop, say) is retried once after a refresh; if the refresh is refused, the session has ended
   * and this throws {@link SignInRequired}.
   */
  async fetch(input: string, init: RequestInit = {}): Promise<Response> {
    const send = (token: string) => {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${token}`);
      return this.env.fetch(input, { ...init, headers });
    };
    const response = await send(await this.accessToken());
    if (response.status !== 401) return response;
    const fresh = await this.refresh();
    if (!fresh) throw new SignInRequired();
    return send(fresh.accessToken);
  }

  /** Stops the refresh timer (the page is going away, or a test is over). */
  stop(): void {
    if (this.timer !== null) this.env.clearTimer(this.timer);
    this.timer = null;
  }

  /**
   * Replaces the access and ID tokens with the refresh token; one request at a time. Resolves to
   * null, with the session ended, when the token endpoint refuses the refresh token.
   */
  private refresh(): Promise<Session | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<Session | null> {
    const session = this.session;
    if (!session) return null;
    let tokens: TokenResponse | { error: string };
    try {
      tokens = await this.tokenRequest({
        grant_type: 'refresh_token',
        client_id: this.config.clientId,
        refresh_token: session.refreshToken,
      });
    } catch (error) {
      // No answer (offline, a network error): keep the session while its token lasts, try again soon.
      if (session.expiresAt > this.env.now()) {
        this.schedule(RETRY_REFRESH_MS);
        return session;
      }
      throw error;
    }
    if ('error' in tokens) {
      this.forget();
      this.emit({ status: 'signed-out', reason: 'session-ended' });
      return null;
    }
    const fresh = sessionOf(tokens, session.refreshToken, this.env.now());
    this.signedIn(fresh);
    return fresh;
  }

  private async tokenRequest(form: Record<string, string>): Promise<TokenResponse | { error: string }> {
    const response = await this.env.fetch(this.config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    const body = (await response.json().catch(() => null)) as Partial<TokenResponse> & { error?: unknown };
    if (response.ok && typeof body?.access_token === 'string' && typeof body.id_token === 'string') {
      return body as TokenResponse;
    }
    // 400 with Cognito's `{"error": "invalid_grant"}` and the like; 5xx: the endpoint is failing.
    if (response.status >= 500) throw new Error(`The token endpoint answered ${response.status}`);
    return { error: typeof body?.error === 'string' ? body.error : `http_${response.status}` };
  }

  private signedIn(session: Session): void {
    this.session = session;
    this.env.storage.setItem(SESSION_KEY, JSON.stringify(session));
    this.schedule(session.expiresAt - REFRESH_AHEAD_MS - this.env.now());
    this.emit({ status: 'signed-in', user: userOf(session) });
  }

  private schedule(ms: number): void {
    this.stop();
    this.timer = this.env.setTimer(
      () => {
        this.timer = null;
        void this.refresh().catch(() => undefined);
      },
      Math.max(0, ms),
    );
  }

  private forget(): void {
    this.stop();
    this.session = null;
    this.env.storage.removeItem(SESSION_KEY);
  }

  private emit(state: AuthState): void {
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }

  private needsRefresh(session: Session): boolean {
    return session.expiresAt - REFRESH_AHEAD_MS <= this.env.now();
  }

  private takePending(): PendingSignIn | null {
    const raw = this.env.storage.getItem(PENDING_KEY);
    this.env.storage.removeItem(PENDING_KEY);
    const pending = parseJson(raw) as Partial<PendingSignIn> | null;
    return typeof pending?.state === 'string' && typeof pending.verifier === 'string'
      ? { state: pending.state, verifier: pending.verifier }
      : null;
  }

  private readSession(): Session | null {
    const session = parseJson(this.env.storage.getItem(SESSION_KEY)) as Partial<Session> | null;
    if (
      typeof session?.accessToken !== 'string' ||
      typeof session.idToken !== 'string' ||
      typeof session.refreshToken !== 'string' ||
      typeof session.expiresAt !== 'number'
    ) {
      return null;
    }
    return session as Session;
  }
}

/** Whether the signed-in user may use the desk: a member of the group, by exact name. */
export function isMember(user: DeskUser, group: string): boolean {
  return user.groups.includes(group);
}

/** The claims of a JWT, read without checking the signature (the API checks it). */
export function claimsOf(jwt: string): Record<string, unknown> {
  const payload = jwt.split('.')[1] ?? '';
  const base64 = payload.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  const claims = JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  return claims && typeof claims === 'object' ? (claims as Record<string, unknown>) : {};
}

interface TokenResponse {
  access_token: string;
  id_token: string;
  /** Only from the code grant: a refresh grant keeps the refresh token it used. */
  refresh_token?: string;
  expires_in: number;
  token_type: string;
}

function sessionOf(tokens: TokenResponse, refreshToken: string | null, now: number): Session {
  const exp = claimsOf(tokens.access_token).exp;
  return {
    accessToken: tokens.access_token,
    idToken: tokens.id_token,
    refreshToken: tokens.refresh_token ?? refreshToken ?? '',
    expiresAt: typeof exp === 'number' ? exp * 1000 : now + tokens.expires_in * 1000,
  };
}

function userOf(session: Session): DeskUser {
  const access = claimsOf(session.accessToken);
  const id = claimsOf(session.idToken);
  const groups = access['cognito:groups'];
  const text = (value: unknown) => (typeof value === 'string' ? value : null);
  return {
    subject: text(access.sub) ?? '',
    username: text(access.username) ?? text(id['cognito:username']) ?? '',
    email: text(id.email),
    groups: Array.isArray(groups) ? groups.filter((group): group is string => typeof group === 'string') : [],
  };
}

function base64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function parseJson(raw: string | null): unknown {
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return null;
  }
}
