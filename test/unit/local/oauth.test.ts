/**
 * The local imitation of the user pool domain's sign-in endpoints (infra/local/oauth.ts), driven
 * as a browser and the desk drive Cognito's: the authorize page, the sign-in form, the code and
 * refresh grants with Cognito's answers and claims, revocation and logout; and the local gateway
 * accepting the desk's access tokens on editor routes as API Gateway's JWT authorizer would.
 */
import { createHash, randomBytes } from 'node:crypto';
import { decodeJwt } from 'jose';
import { issueToken, LOCAL_DESK_CLIENT_ID, LOCAL_ISSUER, localSubjectOf } from '../../../infra/local/auth';
import { EDITOR_ROUTE, withSignInGateway } from '../../support/sign-in-gateway';
import { nowSeconds, signWithLocalKey } from '../../support/tokens';

const ACCOUNT = { email: 'editor@newsroom.local', password: 'Correct-horse-1' };
const SCOPE = 'openid email profile';

const gateway = withSignInGateway(ACCOUNT);

beforeEach(() => {
  gateway.clock = Date.now();
});

const base64Url = (bytes: Buffer) => bytes.toString('base64url');

function pkce(): { verifier: string; challenge: string } {
  const verifier = base64Url(randomBytes(32));
  return { verifier, challenge: base64Url(createHash('sha256').update(verifier).digest()) };
}

function authorizeParams(challenge: string, overrides: Record<string, string | null> = {}): URLSearchParams {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: LOCAL_DESK_CLIENT_ID,
    redirect_uri: gateway.deskUrl,
    scope: SCOPE,
    state: 'state-1',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  for (const [name, value] of Object.entries(overrides)) {
    if (value === null) params.delete(name);
    else params.set(name, value);
  }
  return params;
}

const query = (...args: Parameters<typeof authorizeParams>) => authorizeParams(...args).toString();
const get = (path: string) => fetch(`${gateway.url}${path}`, { redirect: 'manual' });
const postForm = (path: string, form: Record<string, string>) =>
  fetch(`${gateway.url}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form).toString(),
  });

/** Submits the sign-in form as the page would: the authorize parameters carried, plus the credentials. */
const submitSignIn = (params: URLSearchParams, email: string, password: string) =>
  postForm('/login', { ...Object.fromEntries(params), username: email, password });

/** Signs in and returns the code the redirect carries. */
async function codeFor(challenge: string): Promise<string> {
  const reply = await submitSignIn(authorizeParams(challenge), ACCOUNT.email, ACCOUNT.password);
  expect(reply.status).toBe(302);
  return new URL(reply.headers.get('location')!).searchParams.get('code')!;
}

const exchange = (code: string, verifier: string, overrides: Record<string, string> = {}) =>
  postForm('/oauth2/token', {
    grant_type: 'authorization_code',
    client_id: LOCAL_DESK_CLIENT_ID,
    code,
    redirect_uri: gateway.deskUrl,
    code_verifier: verifier,
    ...overrides,
  });

async function signedIn(): Promise<{ access_token: string; id_token: string; refresh_token: string }> {
  const { verifier, challenge } = pkce();
  const reply = await exchange(await codeFor(challenge), verifier);
  expect(reply.status).toBe(200);
  return (await reply.json()) as never;
}

const asEditor = (token: string) =>
  fetch(`${gateway.url}${EDITOR_ROUTE}`, { headers: { authorization: `Bearer ${token}` } });

describe('signing in through the local user pool domain', () => {
  it('shows a sign-in form with labelled fields, no script, posting back to the stack', async () => {
    // Act
    const reply = await get(`/oauth2/authorize?${query(pkce().challenge)}`);
    const html = await reply.text();

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-security-policy')).toMatch(
      /^default-src 'none'; style-src 'sha256-[^']+'; form-action 'self'/,
    );
    expect(html).toContain('<form method="post" action="/login">');
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('<input id="email" name="username" type="email" autocomplete="username"');
    expect(html).toContain('<label for="password">Password</label>');
    expect(html).toContain('<input id="password" name="password" type="password" autocomplete="current-password"');
    expect(html).not.toMatch(/<script/i);
  });

  it('returns to the desk with a code and the state, and the code and verifier buy Cognito-shaped tokens', async () => {
    // Prepare
    const { verifier, challenge } = pkce();

    // Act
    const signIn = await submitSignIn(authorizeParams(challenge), 'Editor@Newsroom.local', ACCOUNT.password);
    const location = new URL(signIn.headers.get('location')!);
    const reply = await exchange(location.searchParams.get('code')!, verifier);
    const tokens: any = await reply.json();

    // Assess
    expect(signIn.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(gateway.deskUrl);
    expect(location.searchParams.get('state')).toBe('state-1');
    expect(location.searchParams.get('code')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(tokens).toEqual({
      access_token: expect.any(String),
      id_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
    });
    const access = decodeJwt(tokens.access_token);
    const id = decodeJwt(tokens.id_token);
    const sub = localSubjectOf(ACCOUNT.email);
    expect(access).toEqual({
      sub,
      'cognito:groups': ['editors'],
      iss: LOCAL_ISSUER,
      version: 2,
      client_id: LOCAL_DESK_CLIENT_ID,
      origin_jti: expect.any(String),
      token_use: 'access',
      scope: SCOPE,
      auth_time: expect.any(Number),
      exp: access.iat! + 3600,
      iat: expect.any(Number),
      jti: expect.any(String),
      username: sub,
    });
    expect(id).toEqual({
      sub,
      'cognito:groups': ['editors'],
      iss: LOCAL_ISSUER,
      aud: LOCAL_DESK_CLIENT_ID,
      'cognito:username': sub,
      email: ACCOUNT.email,
      email_verified: true,
      at_hash: expect.any(String),
      origin_jti: access.origin_jti,
      token_use: 'id',
      auth_time: access.auth_time,
      exp: id.iat! + 3600,
      iat: expect.any(Number),
      jti: expect.any(String),
    });
    expect(sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers a wrong verifier with 400 invalid_grant, as Cognito does, and the code is spent', async () => {
    // Prepare
    const { verifier, challenge } = pkce();
    const code = await codeFor(challenge);

    // Act
    const wrong = await exchange(code, pkce().verifier);
    const right = await exchange(code, verifier);

    // Assess
    expect(wrong.status).toBe(400);
    expect(await wrong.json()).toEqual({ error: 'invalid_grant' });
    expect(right.status).toBe(400);
    expect(await right.json()).toEqual({ error: 'invalid_grant' });
  });

  it('refuses a code used twice, a code past its five minutes, and a code for another redirect URI', async () => {
    // Prepare
    const first = pkce();
    const code = await codeFor(first.challenge);
    await exchange(code, first.verifier);
    const late = pkce();
    const lateCode = await codeFor(late.challenge);
    const elsewhere = pkce();
    const elsewhereCode = await codeFor(elsewhere.challenge);

    // Act
    const reused = await exchange(code, first.verifier);
    gateway.clock += 5 * 60 * 1000 + 1;
    const expired = await exchange(lateCode, late.verifier);
    gateway.clock = Date.now();
    const redirected = await exchange(elsewhereCode, elsewhere.verifier, { redirect_uri: `${gateway.url}/other/` });

    // Assess
    for (const reply of [reused, expired, redirected]) {
      expect(reply.status).toBe(400);
      expect(await reply.json()).toEqual({ error: 'invalid_grant' });
    }
  });

  it('shows the error on the page for a wrong password or email, keeping the email, and issues no code', async () => {
    // Prepare
    const params = authorizeParams(pkce().challenge);

    // Act
    const wrongPassword = await submitSignIn(params, ACCOUNT.email, 'not-the-password');
    const wrongEmail = await submitSignIn(params, 'someone@newsroom.local', ACCOUNT.password);
    const html = await wrongPassword.text();

    // Assess
    for (const reply of [wrongPassword, wrongEmail]) {
      expect(reply.status).toBe(200);
      expect(reply.headers.get('location')).toBeNull();
    }
    expect(html).toContain('<p id="sign-in-error" class="alert" role="alert">Incorrect email or password.</p>');
    expect(html).toContain(`value="${ACCOUNT.email}" aria-invalid="true" aria-describedby="sign-in-error"`);
    expect(html).toContain('<input type="hidden" name="code_challenge"');
  });

  it('shows an error page, never redirecting, for an unknown client or a redirect URI not the desk’s', async () => {
    // Prepare
    const challenge = pkce().challenge;

    // Act
    const replies = await Promise.all([
      get(`/oauth2/authorize?${query(challenge, { redirect_uri: 'https://evil.example/desk/' })}`),
      get(`/oauth2/authorize?${query(challenge, { redirect_uri: null })}`),
      get(`/oauth2/authorize?${query(challenge, { client_id: 'another-client' })}`),
      submitSignIn(
        authorizeParams(challenge, { redirect_uri: 'https://evil.example/desk/' }),
        ACCOUNT.email,
        ACCOUNT.password,
      ),
    ]);
    const texts = await Promise.all(replies.map((reply) => reply.text()));

    // Assess
    expect(replies.map((reply) => [reply.status, reply.headers.get('location')])).toEqual([
      [400, null],
      [400, null],
      [400, null],
      [400, null],
    ]);
    expect(texts[0]).toContain('redirect_mismatch');
    expect(texts[2]).toContain('client_id');
  });

  it.each([
    ['a plain challenge', { code_challenge_method: 'plain' }, 'invalid_request'],
    ['no challenge method', { code_challenge_method: null }, 'invalid_request'],
    ['no challenge', { code_challenge: null }, 'invalid_request'],
    ['a challenge that is not a SHA-256', { code_challenge: 'short' }, 'invalid_request'],
    ['the implicit grant', { response_type: 'token' }, 'unsupported_response_type'],
    ['a scope the client does not allow', { scope: 'openid aws.cognito.signin.user.admin' }, 'invalid_scope'],
  ])('sends %s back to the desk as an error with the state, without a sign-in', async (_case, overrides, error) => {
    // Act
    const reply = await get(`/oauth2/authorize?${query(pkce().challenge, overrides)}`);
    const location = new URL(reply.headers.get('location')!);

    // Assess
    expect(reply.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(gateway.deskUrl);
    expect(location.searchParams.get('error')).toBe(error);
    expect(location.searchParams.get('state')).toBe('state-1');
    expect(location.searchParams.has('code')).toBe(false);
  });

  it('answers malformed token requests with Cognito’s errors', async () => {
    // Act
    const json = await fetch(`${gateway.url}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ grant_type: 'authorization_code' }),
    });
    const otherClient = await postForm('/oauth2/token', {
      grant_type: 'refresh_token',
      client_id: 'x',
      refresh_token: 'y',
    });
    const grant = await postForm('/oauth2/token', { grant_type: 'password', client_id: LOCAL_DESK_CLIENT_ID });
    const getToken = await get('/oauth2/token');

    // Assess
    expect([json.status, await json.json()]).toEqual([400, { error: 'invalid_request' }]);
    expect([otherClient.status, await otherClient.json()]).toEqual([400, { error: 'invalid_client' }]);
    expect([grant.status, await grant.json()]).toEqual([400, { error: 'unsupported_grant_type' }]);
    expect(getToken.status).toBe(405);
  });
});

describe('refreshing, revoking and signing out', () => {
  it('refreshes with the refresh token: new access and ID tokens of the same sign-in, the same refresh token kept', async () => {
    // Prepare
    const tokens = await signedIn();
    const before = decodeJwt(tokens.access_token);

    // Act
    const reply = await postForm('/oauth2/token', {
      grant_type: 'refresh_token',
      client_id: LOCAL_DESK_CLIENT_ID,
      refresh_token: tokens.refresh_token,
    });
    const refreshed: any = await reply.json();

    // Assess
    expect(reply.status).toBe(200);
    expect(Object.keys(refreshed).sort()).toEqual(['access_token', 'expires_in', 'id_token', 'token_type']);
    const after = decodeJwt(refreshed.access_token);
    expect(after).toMatchObject({
      sub: before.sub,
      auth_time: before.auth_time,
      origin_jti: before.origin_jti,
      'cognito:groups': ['editors'],
    });
    expect(after.jti).not.toBe(before.jti);
  });

  it('refuses a refresh token after its twelve hours, and one that was revoked', async () => {
    // Prepare
    const revoked = await signedIn();
    const old = await signedIn();
    const refresh = (token: string) =>
      postForm('/oauth2/token', { grant_type: 'refresh_token', client_id: LOCAL_DESK_CLIENT_ID, refresh_token: token });

    // Act
    const revocation = await postForm('/oauth2/revoke', {
      token: revoked.refresh_token,
      client_id: LOCAL_DESK_CLIENT_ID,
    });
    const afterRevoke = await refresh(revoked.refresh_token);
    gateway.clock += 12 * 3600 * 1000 + 1;
    const afterShift = await refresh(old.refresh_token);

    // Assess
    expect(revocation.status).toBe(200);
    expect([afterRevoke.status, await afterRevoke.json()]).toEqual([400, { error: 'invalid_grant' }]);
    expect([afterShift.status, await afterShift.json()]).toEqual([400, { error: 'invalid_grant' }]);
  });

  it('signs out back to the desk, and only to the desk', async () => {
    // Act
    const home = await get(
      `/logout?client_id=${LOCAL_DESK_CLIENT_ID}&logout_uri=${encodeURIComponent(gateway.deskUrl)}`,
    );
    const elsewhere = await get(
      `/logout?client_id=${LOCAL_DESK_CLIENT_ID}&logout_uri=${encodeURIComponent('https://evil.example/')}`,
    );

    // Assess
    expect([home.status, home.headers.get('location')]).toEqual([302, gateway.deskUrl]);
    expect([elsewhere.status, elsewhere.headers.get('location')]).toEqual([400, null]);
  });
});

describe('the local gateway and the desk’s tokens, as the HTTP API’s JWT authorizer', () => {
  it('lets the desk’s access token (client_id, no aud) through to an editor route, as the editor', async () => {
    // Prepare
    const { access_token } = await signedIn();

    // Act
    const reply = await asEditor(access_token);

    // Assess
    expect(reply.status).toBe(200);
    expect(await reply.json()).toEqual({ subject: localSubjectOf(ACCOUNT.email) });
  });

  it('still takes the tokens `npm run token` issues', async () => {
    const reply = await asEditor(await issueToken(gateway.key, { role: 'editor' }));

    expect(reply.status).toBe(200);
  });

  it('lets a reader’s token through the authorizer, whose handler then refuses it (403)', async () => {
    // Prepare
    const iat = nowSeconds();
    const deskReader = await signWithLocalKey(gateway.key, {
      aud: undefined,
      client_id: LOCAL_DESK_CLIENT_ID,
      sub: 'reader-1',
      'cognito:groups': [],
      iat,
      exp: iat + 3600,
    });

    // Act
    const replies = [await asEditor(deskReader), await asEditor(await issueToken(gateway.key, { role: 'reader' }))];

    // Assess
    expect(replies.map((reply) => reply.status)).toEqual([403, 403]);
  });

  it.each([
    ['a client_id of another app client', { aud: undefined, client_id: 'another-client' }],
    ['neither aud nor client_id', { aud: undefined }],
    ['an aud of another client, whatever its client_id', { aud: 'another-client', client_id: LOCAL_DESK_CLIENT_ID }],
  ])('refuses a token with %s (401)', async (_case, claims) => {
    // Prepare
    const iat = nowSeconds();
    const token = await signWithLocalKey(gateway.key, {
      sub: 'editor-1',
      'cognito:groups': ['editors'],
      iat,
      exp: iat + 3600,
      ...claims,
    });

    // Act
    const reply = await asEditor(token);

    // Assess
    expect(reply.status).toBe(401);
  });
});
