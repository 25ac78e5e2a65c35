/**
 * The editor desk as both hosts serve it, declared once: where it lives, what its app client may
 * ask for and for how long its tokens last, and the headers its pages carry. The CDK stack
 * (infra/constructs/editor-desk.ts) and the local stack (infra/local/desk-site.ts, and the sign-in
 * imitation in infra/local/oauth.ts) both read these.
 */
import { STATIC_CACHE_CONTROL } from '../topology/cdn';

/** The desk's path on the distribution (AWS) and on the API's origin (locally). */
export const DESK_PATH = '/desk/';

/** The OAuth scopes the desk's app client allows and the desk asks for. */
export const DESK_SCOPES = ['openid', 'email', 'profile'] as const;

/**
 * Token lifetimes of the desk's app client: access and ID tokens an hour (the desk refreshes them
 * five minutes before they expire), the refresh token an editor's shift, after which they sign in
 * again.
 */
export const DESK_TOKEN_VALIDITY = {
  accessTokenMinutes: 60,
  idTokenMinutes: 60,
  refreshTokenHours: 12,
} as const;

/**
 * The Content-Security-Policy of the desk's pages: scripts and styles from the desk's own origin
 * only (no inline script, no inline style), and requests only to its origin (config.json), the
 * API and the sign-in endpoints (`connectTo`: origins, e.g. `https://<id>.execute-api.<region>.amazonaws.com`).
 * Nothing may frame the desk, and it posts no form elsewhere.
 */
export function deskContentSecurityPolicy(connectTo: readonly string[]): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src 'self' ${connectTo.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Every response of the desk's own files: the CSP above and the security headers beside it. */
export function deskSecurityHeaders(connectTo: readonly string[]): Record<string, string> {
  return {
    'content-security-policy': deskContentSecurityPolicy(connectTo),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    // The sign-in callback's URL carries the authorization code: no page it links to learns it.
    'referrer-policy': 'no-referrer',
  };
}

/** Hashed script and styles: a year; the page and config.json: five minutes (an older page still finds its files). */
export const DESK_CACHE_CONTROL = {
  hashed: STATIC_CACHE_CONTROL.hashed,
  page: STATIC_CACHE_CONTROL.shortLived,
} as const;
