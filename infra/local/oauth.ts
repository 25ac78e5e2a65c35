import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { EDITOR_GROUP } from '../../shared/http/caller';
import { DESK_SCOPES, DESK_TOKEN_VALIDITY } from '../desk/desk-app';
import { issueUserPoolTokens, type LocalSigningKey, type LocalUser } from './auth';
import { readRequestBody } from './request-body';

/**
 * The local stand-in for the user pool's domain (Cognito's managed login and OAuth 2.0
 * endpoints), on the API's own origin, for the editor desk's app client: the endpoints and
 * answers the desk's sign-in code uses in AWS, so it runs unchanged here.
 *
 * - `GET /oauth2/authorize` (and `GET /login`, where Cognito shows its page): checks the client,
 *   the redirect URI, `response_type=code` and a PKCE S256 challenge, and shows a sign-in form;
 * - `POST /login`: checks the local editor's email and password, and returns to the redirect URI
 *   with a single-use `code` (five minutes) and the `state`;
 * - `POST /oauth2/token`: the `authorization_code` grant (the code's verifier checked against its
 *   challenge: a wrong one is Cognito's `400 {"error":"invalid_grant"}`) and the `refresh_token`
 *   grant, each answering with Cognito's claims (infra/local/auth.ts `issueUserPoolTokens`);
 * - `POST /oauth2/revoke`: ends a refresh token;
 * - `GET /logout`: returns to `logout_uri` when it is the client's sign-out URL.
 *
 * Stricter than Cognito in one way: Cognito lets a public client skip PKCE or ask for it in
 * `plain`; this refuses both, so a desk that stopped sending S256 fails here first. Codes and
 * refresh tokens live in memory: after a restart the desk's refresh is refused and the editor
 * signs in again (access tokens, signed with the kept key, stay valid until they expire).
 */
export interface LocalOAuthOptions {
  signingKey: LocalSigningKey;
  clientId: string;
  /** The client's one callback and sign-out URL (the desk's), known once the gateway listens. */
  redirectUri: () => string;
  account: LocalEditorAccount;
  /** Epoch milliseconds; tests move time. */
  now?: () => number;
}

export interface LocalEditorAccount {
  email: string;
  password: string;
}

/** The local editor unless LOCAL_EDITOR_EMAIL / LOCAL_EDITOR_PASSWORD say otherwise; the start banner prints them. */
export const DEFAULT_LOCAL_EDITOR: LocalEditorAccount = {
  email: 'editor@newsroom.local',
  password: 'Newsroom-desk-1',
};

export function localEditorAccount(env: NodeJS.ProcessEnv = process.env): LocalEditorAccount & {
  passwordIsDefault: boolean;
} {
  const email = env.LOCAL_EDITOR_EMAIL?.trim() || DEFAULT_LOCAL_EDITOR.email;
  const password = env.LOCAL_EDITOR_PASSWORD || DEFAULT_LOCAL_EDITOR.password;
  return { email, password, passwordIsDefault: !env.LOCAL_EDITOR_PASSWORD };
}

/** The paths the imitation answers on the API's origin; none is an API route. */
export const OAUTH_PATHS = ['/oauth2/authorize', '/login', '/oauth2/token', '/oauth2/revoke', '/logout'] as const;

/** Cognito's: an authorization code is good for five minutes, once. */
const CODE_LIFETIME_MS = 5 * 60 * 1000;
const MAX_FORM_BYTES = 16 * 1024;
/** RFC 7636: a verifier is 43–128 characters; its S256 challenge, 43 base64url characters. */
const S256_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string | null;
  challenge: string;
  scopes: string[];
  nonce: string | null;
}

interface IssuedCode extends AuthorizeRequest {
  user: LocalUser;
  authTime: number;
  expiresAt: number;
}

interface IssuedRefreshToken {
  clientId: string;
  user: LocalUser;
  scopes: string[];
  authTime: number;
  originJti: string;
  expiresAt: number;
}

export interface LocalOAuth {
  handles(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void>;
}

export function createLocalOAuth(options: LocalOAuthOptions): LocalOAuth {
  const now = options.now ?? (() => Date.now());
  const codes = new Map<string, IssuedCode>();
  const refreshTokens = new Map<string, IssuedRefreshToken>();
  const user: LocalUser = { email: options.account.email, groups: [EDITOR_GROUP] };

  /**
   * The authorize request's parameters, checked in OAuth's order: an unknown client or redirect
   * URI is answered on a page of its own (never redirected to), anything else is reported to the
   * redirect URI as `error` with the `state`.
   */
  function checkAuthorize(params: URLSearchParams): { ok: AuthorizeRequest } | { page: string } | { redirect: string } {
    const clientId = params.get('client_id');
    if (clientId !== options.clientId) return { page: 'The app client (client_id) is not known to this user pool.' };
    const redirectUri = params.get('redirect_uri');
    if (redirectUri !== options.redirectUri()) {
      return { page: 'redirect_mismatch: the redirect_uri is not a callback URL of this app client.' };
    }
    const state = params.get('state');
    const fail = (error: string, description: string) => ({
      redirect: withParams(redirectUri, { error, error_description: description, ...(state ? { state } : {}) }),
    });
    if (params.get('response_type') !== 'code') {
      return fail('unsupported_response_type', 'This app client uses the authorization code grant only');
    }
    if (params.get('code_challenge_method') !== 'S256' || !S256_CHALLENGE.test(params.get('code_challenge') ?? '')) {
      return fail('invalid_request', 'A PKCE code_challenge with code_challenge_method=S256 is required');
    }
    const requested = params.get('scope');
    const scopes = requested ? requested.split(' ').filter(Boolean) : [...DESK_SCOPES];
    if (scopes.some((scope) => !(DESK_SCOPES as readonly string[]).includes(scope))) {
      return fail('invalid_scope', `This app client allows the scopes ${DESK_SCOPES.join(', ')}`);
    }
    return {
      ok: {
        clientId,
        redirectUri,
        state,
        challenge: params.get('code_challenge')!,
        scopes,
        nonce: params.get('nonce'),
      },
    };
  }

  async function showSignIn(res: ServerResponse, url: URL): Promise<void> {
    const checked = checkAuthorize(url.searchParams);
    if ('page' in checked) return sendPage(res, 400, errorPage(checked.page));
    if ('redirect' in checked) return redirect(res, checked.redirect);
    sendPage(res, 200, signInPage(url.searchParams, { email: '', failed: false }));
  }

  async function signIn(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    if (!form) return sendPage(res, 400, errorPage('The sign-in form could not be read.'));
    const checked = checkAuthorize(form);
    if ('page' in checked) return sendPage(res, 400, errorPage(checked.page));
    if ('redirect' in checked) return redirect(res, checked.redirect);
    const email = form.get('username')?.trim() ?? '';
    const password = form.get('password') ?? '';
    const matches =
      sameText(email.toLowerCase(), options.account.email.toLowerCase()) &&
      sameText(password, options.account.password);
    if (!matches) return sendPage(res, 200, signInPage(form, { email, failed: true }));

    const code = randomBytes(32).toString('base64url');
    codes.set(code, {
      ...checked.ok,
      user,
      authTime: Math.floor(now() / 1000),
      expiresAt: now() + CODE_LIFETIME_MS,
    });
    const { redirectUri, state } = checked.ok;
    redirect(res, withParams(redirectUri, { code, ...(state ? { state } : {}) }));
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    if (!form) return tokenError(res, 'invalid_request');
    if (form.get('client_id') !== options.clientId) return tokenError(res, 'invalid_client');
    switch (form.get('grant_type')) {
      case 'authorization_code':
        return codeGrant(form, res);
      case 'refresh_token':
        return refreshGrant(form, res);
      case null:
        return tokenError(res, 'invalid_request');
      default:
        return tokenError(res, 'unsupported_grant_type');
    }
  }

  async function codeGrant(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const code = form.get('code');
    if (!code) return tokenError(res, 'invalid_request');
    const issued = codes.get(code);
    // Single use: any attempt to redeem a code spends it, a failed one too.
    codes.delete(code);
    if (!issued || issued.expiresAt <= now() || issued.clientId !== form.get('client_id')) {
      return tokenError(res, 'invalid_grant');
    }
    if (form.get('redirect_uri') !== issued.redirectUri) return tokenError(res, 'invalid_grant');
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || !sameText(challenge, issued.challenge)) {
      return tokenError(res, 'invalid_grant');
    }
    const originJti = randomUUID();
    const refreshToken = randomBytes(48).toString('base64url');
    refreshTokens.set(refreshToken, {
      clientId: issued.clientId,
      user: issued.user,
      scopes: issued.scopes,
      authTime: issued.authTime,
      originJti,
      expiresAt: now() + DESK_TOKEN_VALIDITY.refreshTokenHours * 3600 * 1000,
    });
    const tokens = await tokensFor({ ...issued, originJti, nonce: issued.nonce });
    sendJson(res, 200, { ...tokens, refresh_token: refreshToken });
  }

  async function refreshGrant(form: URLSearchParams, res: ServerResponse): Promise<void> {
    const refreshToken = form.get('refresh_token');
    if (!refreshToken) return tokenError(res, 'invalid_request');
    const issued = refreshTokens.get(refreshToken);
    if (!issued || issued.expiresAt <= now() || issued.clientId !== form.get('client_id')) {
      if (issued && issued.expiresAt <= now()) refreshTokens.delete(refreshToken);
      return tokenError(res, 'invalid_grant');
    }
    // As Cognito without refresh-token rotation: new access and ID tokens, the same refresh token.
    sendJson(res, 200, await tokensFor({ ...issued, nonce: null }));
  }

  async function tokensFor(grant: {
    clientId: string;
    user: LocalUser;
    scopes: string[];
    authTime: number;
    originJti: string;
    nonce: string | null;
  }): Promise<Record<string, string | number>> {
    const accessTtlSeconds = DESK_TOKEN_VALIDITY.accessTokenMinutes * 60;
    const { nonce, ...rest } = grant;
    const { accessToken, idToken } = await issueUserPoolTokens(options.signingKey, {
      ...rest,
      accessTtlSeconds,
      idTtlSeconds: DESK_TOKEN_VALIDITY.idTokenMinutes * 60,
      ...(nonce ? { nonce } : {}),
    });
    return { access_token: accessToken, id_token: idToken, token_type: 'Bearer', expires_in: accessTtlSeconds };
  }

  async function revoke(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const form = await readForm(req);
    const token = form?.get('token');
    if (!form || !token) return tokenError(res, 'invalid_request');
    if (form.get('client_id') !== options.clientId) return tokenError(res, 'invalid_client');
    const issued = refreshTokens.get(token);
    if (issued && issued.clientId !== options.clientId) return tokenError(res, 'unauthorized_client');
    refreshTokens.delete(token);
    // RFC 7009: an unknown or already revoked token is answered as a revoked one.
    res.writeHead(200, { 'cache-control': 'no-store' });
    res.end();
  }

  function logout(res: ServerResponse, url: URL): void {
    if (url.searchParams.get('client_id') !== options.clientId) {
      return sendPage(res, 400, errorPage('The app client (client_id) is not known to this user pool.'));
    }
    const logoutUri = url.searchParams.get('logout_uri');
    if (logoutUri !== options.redirectUri()) {
      return sendPage(res, 400, errorPage('The logout_uri is not a sign-out URL of this app client.'));
    }
    redirect(res, logoutUri);
  }

  return {
    handles: (pathname) => (OAUTH_PATHS as readonly string[]).includes(pathname),
    async handle(req, res, url) {
      const route = `${req.method ?? 'GET'} ${url.pathname}`;
      switch (route) {
        case 'GET /oauth2/authorize':
        case 'GET /login':
          return showSignIn(res, url);
        case 'POST /login':
          return signIn(req, res);
        case 'POST /oauth2/token':
          return token(req, res);
        case 'POST /oauth2/revoke':
          return revoke(req, res);
        case 'GET /logout':
          return logout(res, url);
        default:
          res.writeHead(405, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' });
          res.end('Method Not Allowed');
      }
    },
  };
}

/** A form body (`application/x-www-form-urlencoded`, as OAuth requires), or null for anything else. */
async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return null;
  const body = await readRequestBody(req, MAX_FORM_BYTES);
  return body === undefined ? null : new URLSearchParams(body);
}

/** Compares secrets in constant time (their digests, which have one length). */
function sameText(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function withParams(uri: string, params: Record<string, string>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value);
  return url.toString();
}

function redirect(res: ServerResponse, location: string): void {
  res.writeHead(302, { location, 'cache-control': 'no-store' });
  res.end();
}

/** Cognito's token endpoint errors: 400 with `{"error": "<code>"}`. */
function tokenError(res: ServerResponse, error: string): void {
  sendJson(res, 400, { error });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': 'application/json;charset=UTF-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
  });
  res.end(JSON.stringify(body));
}

const PAGE_STYLE = `body{font:16px/1.5 system-ui,sans-serif;color:#1a1a1a;margin:0;background:#f4f4f4}
main{max-width:24rem;margin:4rem auto;padding:2rem;background:#fff;border:1px solid #d0d0d0;border-radius:8px}
h1{font-size:1.375rem;margin:0 0 .25rem}.note{color:#595959;margin:0 0 1.5rem;font-size:.875rem}
label{display:block;font-weight:600;margin:1rem 0 .25rem}
input{box-sizing:border-box;width:100%;font:inherit;padding:.5rem;border:1px solid #767676;border-radius:4px}
input:focus-visible,button:focus-visible{outline:3px solid #1a73e8;outline-offset:2px}
button{margin-top:1.5rem;width:100%;font:inherit;font-weight:600;padding:.625rem;border:0;border-radius:4px;background:#0b57d0;color:#fff;cursor:pointer}
.alert{color:#a50e0e;border-left:4px solid #a50e0e;padding-left:.75rem}`;

/** The pages' one inline style, allowed by its hash; no script at all. */
const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(PAGE_STYLE).digest('base64')}'`,
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

function sendPage(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${PAGE_STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/** The authorize parameters the form carries back to `POST /login`. */
const CARRIED = [
  'client_id',
  'redirect_uri',
  'response_type',
  'scope',
  'state',
  'code_challenge',
  'code_challenge_method',
  'nonce',
];

function signInPage(params: URLSearchParams, attempt: { email: string; failed: boolean }): string {
  const hidden = CARRIED.filter((name) => params.has(name))
    .map((name) => `<input type="hidden" name="${name}" value="${escapeHtml(params.get(name)!)}">`)
    .join('\n');
  const invalid = attempt.failed ? ' aria-invalid="true" aria-describedby="sign-in-error"' : '';
  return page(
    'Sign in · Newsroom desk',
    `<h1>Sign in</h1>
<p class="note">Newsroom desk, local stack: this page stands in for the user pool's sign-in page.</p>
${attempt.failed ? '<p id="sign-in-error" class="alert" role="alert">Incorrect email or password.</p>' : ''}
<form method="post" action="/login">
${hidden}
<label for="email">Email</label>
<input id="email" name="username" type="email" autocomplete="username" required value="${escapeHtml(attempt.email)}"${invalid}${attempt.failed ? '' : ' autofocus'}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${attempt.failed ? ' autofocus' : ''}>
<button type="submit">Sign in</button>
</form>`,
  );
}

function errorPage(message: string): string {
  return page(
    'Sign-in error · Newsroom desk',
    `<h1>Sign-in error</h1>\n<p class="alert" role="alert">${escapeHtml(message)}</p>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );
}
