/**
 * The desk's sign-in module (web/desk/src/auth.ts) run in Node against the local imitation of the
 * user pool domain, with the browser replaced by a recording environment: the page's address,
 * sessionStorage, navigation and timers. What the module sends is what Cognito receives in AWS.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { localSubjectOf } from '../../../infra/local/auth';
import { localDeskConfig } from '../../../infra/local/desk-site';
import {
  DeskAuth,
  REFRESH_AHEAD_MS,
  SignInRequired,
  type AuthEnvironment,
  type AuthState,
} from '../../../web/desk/src/auth';
import { EDITOR_ROUTE, withSignInGateway } from '../../support/sign-in-gateway';

const ACCOUNT = { email: 'editor@newsroom.local', password: 'Correct-horse-1' };
const gateway = withSignInGateway(ACCOUNT);

/** A browser tab, as far as the module sees one. */
class Tab implements AuthEnvironment {
  href: string;
  readonly items = new Map<string, string>();
  readonly visited: string[] = [];
  readonly requests: { url: string; body: string }[] = [];
  timers: { callback: () => void; ms: number }[] = [];
  clock = Date.now();

  constructor(href: string) {
    this.href = href;
  }

  storage = {
    getItem: (name: string) => this.items.get(name) ?? null,
    setItem: (name: string, value: string) => void this.items.set(name, value),
    removeItem: (name: string) => void this.items.delete(name),
  };
  fetch: typeof fetch = async (input, init) => {
    this.requests.push({
      url: input instanceof Request ? input.url : input.toString(),
      body: typeof init?.body === 'string' ? init.body : '',
    });
    return fetch(input, init);
  };
  location = () => this.href;
  navigate = (url: string) => void this.visited.push(url);
  replaceUrl = (url: string) => void (this.href = url);
  now = () => this.clock;
  randomBytes = (length: number) => new Uint8Array(randomBytes(length));
  sha256 = async (data: Uint8Array) => {
    const digest = createHash('sha256').update(data).digest();
    return digest.buffer.slice(digest.byteOffset, digest.byteOffset + digest.byteLength);
  };
  setTimer = (callback: () => void, ms: number) => {
    const timer = { callback, ms };
    this.timers.push(timer);
    return timer;
  };
  clearTimer = (handle: unknown) => void (this.timers = this.timers.filter((timer) => timer !== handle));
}

const config = () => localDeskConfig(gateway.url, gateway.clientId).auth;

/** What the browser does between the module leaving for the authorize URL and coming back. */
async function signInAtPool(authorizeUrl: string, password = ACCOUNT.password): Promise<string> {
  const page = await fetch(authorizeUrl, { redirect: 'manual' });
  expect(page.status).toBe(200);
  const reply = await fetch(`${gateway.url}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      ...Object.fromEntries(new URL(authorizeUrl).searchParams),
      username: ACCOUNT.email,
      password,
    }).toString(),
  });
  expect(reply.status).toBe(302);
  return reply.headers.get('location')!;
}

/** A tab with an editor signed in, through the whole redirect. */
async function signedInTab(): Promise<{ tab: Tab; auth: DeskAuth; state: AuthState }> {
  const tab = new Tab(gateway.deskUrl);
  await new DeskAuth(config(), tab).signIn();
  tab.href = await signInAtPool(tab.visited.pop()!);
  const auth = new DeskAuth(config(), tab);
  return { tab, auth, state: await auth.start() };
}

const sessionOf = (tab: Tab) => JSON.parse(tab.items.get('newsroom-desk:session')!);

describe('the desk signing an editor in', () => {
  it('leaves for the authorize endpoint with the code flow, an S256 challenge of a kept verifier, and a state', async () => {
    // Prepare
    const tab = new Tab(gateway.deskUrl);

    // Act
    await new DeskAuth(config(), tab).signIn();

    // Assess
    const url = new URL(tab.visited[0]!);
    const pending = JSON.parse(tab.items.get('newsroom-desk:pending')!);
    expect(`${url.origin}${url.pathname}`).toBe(`${gateway.url}/oauth2/authorize`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: gateway.clientId,
      redirect_uri: gateway.deskUrl,
      scope: 'openid email profile',
      state: pending.state,
      code_challenge: createHash('sha256').update(pending.verifier).digest('base64url'),
      code_challenge_method: 'S256',
    });
    expect(pending.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(pending.state).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('comes back signed in: the code exchanged with its verifier, code and state gone from the address, tokens in session storage', async () => {
    // Act
    const { tab, state } = await signedInTab();

    // Assess
    expect(state).toEqual({
      status: 'signed-in',
      user: {
        subject: localSubjectOf(ACCOUNT.email),
        username: localSubjectOf(ACCOUNT.email),
        email: ACCOUNT.email,
        groups: ['editors'],
      },
    });
    expect(tab.href).toBe(gateway.deskUrl);
    expect(tab.items.has('newsroom-desk:pending')).toBe(false);
    expect(sessionOf(tab)).toEqual({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresAt: decodeJwt(sessionOf(tab).accessToken).exp! * 1000,
    });
    // The refresh is set for five minutes before the access token expires.
    expect(tab.timers).toHaveLength(1);
    expect(tab.timers[0]!.ms).toBe(sessionOf(tab).expiresAt - REFRESH_AHEAD_MS - tab.clock);
  });

  it('calls editor routes with the access token', async () => {
    // Prepare
    const { auth } = await signedInTab();

    // Act
    const reply = await auth.fetch(`${gateway.url}${EDITOR_ROUTE}`);

    // Assess
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ subject: localSubjectOf(ACCOUNT.email) });
  });

  it('refuses an answer whose state is not the one it sent, without redeeming the code', async () => {
    // Prepare
    const tab = new Tab(gateway.deskUrl);
    await new DeskAuth(config(), tab).signIn();
    const back = new URL(await signInAtPool(tab.visited.pop()!));
    back.searchParams.set('state', 'forged');
    tab.href = back.toString();

    // Act
    const started = new DeskAuth(config(), tab).start();

    // Assess
    await expect(started).rejects.toMatchObject({ name: 'SignInError', code: 'state_mismatch' });
    expect(tab.requests).toEqual([]);
    expect(tab.href).toBe(gateway.deskUrl);
  });

  it('reports an error the authorize endpoint sent back', async () => {
    // Prepare
    const tab = new Tab(gateway.deskUrl);
    await new DeskAuth(config(), tab).signIn();
    const authorize = new URL(tab.visited.pop()!);
    authorize.searchParams.set('code_challenge_method', 'plain');
    const reply = await fetch(authorize, { redirect: 'manual' });
    tab.href = reply.headers.get('location')!;

    // Act
    const started = new DeskAuth(config(), tab).start();

    // Assess
    await expect(started).rejects.toMatchObject({ name: 'SignInError', code: 'invalid_request' });
  });

  it('resumes the session on a reload of the tab, without signing in again', async () => {
    // Prepare
    const { tab } = await signedInTab();
    const requestsBefore = tab.requests.length;

    // Act
    const state = await new DeskAuth(config(), tab).start();

    // Assess
    expect(state.status).toBe('signed-in');
    expect(tab.requests.length).toBe(requestsBefore);
  });
});

describe('keeping the editor signed in, and signing out', () => {
  it('refreshes the access token five minutes before it expires, keeping the refresh token', async () => {
    // Prepare
    const { tab, auth } = await signedInTab();
    const before = sessionOf(tab);
    const changes: AuthState[] = [];
    auth.onChange((state) => changes.push(state));

    // Act: the timer fires; then a call in the last five minutes refreshes too.
    tab.clock = before.expiresAt - REFRESH_AHEAD_MS;
    tab.timers.pop()!.callback();
    // The refresh the timer started, joined rather than repeated.
    await auth.accessToken();
    const afterTimer = sessionOf(tab);

    // Assess
    expect(afterTimer.accessToken).not.toBe(before.accessToken);
    expect(afterTimer.refreshToken).toBe(before.refreshToken);
    expect(decodeJwt(afterTimer.accessToken).jti).not.toBe(decodeJwt(before.accessToken).jti);
    expect(tab.requests.filter((request) => request.body.includes('grant_type=refresh_token'))).toHaveLength(1);
    expect(changes.map((state) => state.status)).toEqual(['signed-in']);
    expect(tab.timers).toHaveLength(1);
  });

  it('refreshes before a call when the token is about to expire', async () => {
    // Prepare
    const { tab, auth } = await signedInTab();
    const before = sessionOf(tab);
    tab.clock = before.expiresAt - REFRESH_AHEAD_MS + 1000;

    // Act
    const token = await auth.accessToken();

    // Assess
    expect(token).not.toBe(before.accessToken);
    expect(token).toBe(sessionOf(tab).accessToken);
  });

  it('ends the session when the refresh token is refused, and says so', async () => {
    // Prepare
    const { tab, auth } = await signedInTab();
    const changes: AuthState[] = [];
    auth.onChange((state) => changes.push(state));
    await fetch(`${gateway.url}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: sessionOf(tab).refreshToken, client_id: gateway.clientId }).toString(),
    });
    tab.clock = sessionOf(tab).expiresAt;

    // Act
    const call = auth.fetch(`${gateway.url}${EDITOR_ROUTE}`);

    // Assess
    await expect(call).rejects.toBeInstanceOf(SignInRequired);
    expect(changes).toEqual([{ status: 'signed-out', reason: 'session-ended' }]);
    expect(tab.items.has('newsroom-desk:session')).toBe(false);
  });

  it('signs out: forgets the tokens, revokes the refresh token, ends the session at /logout, and says so on return', async () => {
    // Prepare
    const { tab, auth } = await signedInTab();
    const { refreshToken } = sessionOf(tab);

    // Act
    await auth.signOut();
    const back = await fetch(tab.visited.at(-1)!, { redirect: 'manual' });
    tab.href = back.headers.get('location')!;
    const state = await new DeskAuth(config(), tab).start();
    const refresh = await fetch(`${gateway.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: gateway.clientId,
        refresh_token: refreshToken,
      }).toString(),
    });

    // Assess
    const logout = new URL(tab.visited.at(-1)!);
    expect(`${logout.origin}${logout.pathname}`).toBe(`${gateway.url}/logout`);
    expect(Object.fromEntries(logout.searchParams)).toEqual({
      client_id: gateway.clientId,
      logout_uri: gateway.deskUrl,
    });
    expect(tab.href).toBe(gateway.deskUrl);
    expect(state).toEqual({ status: 'signed-out', reason: 'signed-out' });
    expect(refresh.status).toBe(400);
    expect(tab.timers).toEqual([]);
    // The next load is a fresh start: straight to sign-in again.
    expect(await new DeskAuth(config(), tab).start()).toEqual({ status: 'signed-out', reason: 'none' });
  });
});
