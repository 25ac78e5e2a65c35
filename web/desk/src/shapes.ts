/**
 * The desk's `config.json`, served beside it at `/desk/config.json`: written by the CDK stack at
 * deploy (infra/constructs/editor-desk.ts) and by the local stack when it serves the desk
 * (infra/local/desk-site.ts), both typed by this one definition. Types only, with no DOM, so the
 * server's type check reads it too.
 */
export interface DeskConfig {
  /** The HTTP API the desk calls with the editor's access token. */
  api: string;
  /** The Cognito group whose members may use the desk (`editors`). */
  editorGroup: string;
  auth: DeskAuthConfig;
}

/**
 * Where and how the desk signs an editor in: Cognito's OAuth 2.0 endpoints on the user pool's
 * domain in AWS, the local stack's imitation of them locally; the same protocol in both.
 */
export interface DeskAuthConfig {
  /** `https://<domain>/oauth2/authorize`: where the browser is sent to sign in. */
  authorizeUrl: string;
  /** `https://<domain>/oauth2/token`: code and refresh-token grants. */
  tokenUrl: string;
  /** `https://<domain>/oauth2/revoke`: ends a refresh token (and the tokens it issued) at sign-out. */
  revokeUrl: string;
  /** `https://<domain>/logout`: ends the sign-in session, then returns to `redirectUri`. */
  logoutUrl: string;
  /** The desk's public app client (no secret). */
  clientId: string;
  /** The desk's own URL: the callback after sign-in and the page to return to after sign-out. */
  redirectUri: string;
  /** The scopes the desk asks for, space-separated: `openid email profile`. */
  scope: string;
}
