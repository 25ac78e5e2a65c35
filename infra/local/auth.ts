import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHash, randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { EDITOR_GROUP, GROUPS_CLAIM } from '../../shared/http/caller';

/**
 * The local stand-in for the Cognito user pool behind the HTTP API's JWT authorizer: one
 * signing key kept in the data folder, tokens that carry the same claims Cognito issues
 * (`sub`, `cognito:groups`), and the same checks the authorizer makes (signature, issuer,
 * audience, expiry) before a request reaches an editor route.
 */
export const LOCAL_ISSUER = 'urn:newsroom:local-stack';
/** The audience of the tokens `npm run token` issues: the stand-in for the stack's `WebClient`. */
export const LOCAL_AUDIENCE = 'newsroom-local';
/** The editor desk's app client locally (public, no secret), whose tokens the sign-in imitation issues. */
export const LOCAL_DESK_CLIENT_ID = 'newsroom-local-desk';
/**
 * The audiences the editor routes accept, as the HTTP API's JWT authorizer lists its app clients
 * (`jwtAudience`): the web client's and the desk's.
 */
export const EDITOR_AUDIENCES: readonly string[] = [LOCAL_AUDIENCE, LOCAL_DESK_CLIENT_ID];
const ALGORITHM = 'ES256';

/**
 * The longest an editor token may live: Cognito's access tokens last at most a day, so an
 * editor token from the local key that claims more (or never expires) is not one Cognito
 * could have issued, and is refused rather than trusted forever.
 */
export const EDITOR_TOKEN_MAX_LIFETIME_SECONDS = 24 * 60 * 60;
/** What `npm run token` issues unless told otherwise: Cognito's default access-token lifetime. */
export const DEFAULT_TOKEN_LIFETIME_SECONDS = 60 * 60;

export interface LocalSigningKey {
  kid: string;
  privateJwk: JWK;
  publicJwk: JWK;
}

export type TokenRole = 'editor' | 'reader';

export function signingKeyPath(dataDir: string): string {
  return join(dataDir, 'jwt', 'signing-key.json');
}

/** Reads the stack's signing key, creating it on first start so tokens survive restarts. */
export async function loadOrCreateSigningKey(dataDir: string): Promise<LocalSigningKey> {
  const path = signingKeyPath(dataDir);
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LocalSigningKey;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const { privateKey, publicKey } = await generateKeyPair(ALGORITHM, { extractable: true });
  const key: LocalSigningKey = {
    kid: randomUUID(),
    privateJwk: await exportJWK(privateKey),
    publicJwk: await exportJWK(publicKey),
  };
  await mkdir(join(dataDir, 'jwt'), { recursive: true });
  await writeFile(path, JSON.stringify(key), { mode: 0o600 });
  return key;
}

/**
 * A token signed with the local key, as Cognito would issue it for an editor (in the
 * `editors` group) or a reader (in none). Throws for an editor lifetime the gateway refuses.
 */
export async function issueToken(
  key: LocalSigningKey,
  options: { role: TokenRole; subject?: string; ttlSeconds?: number },
): Promise<string> {
  const ttlSeconds = options.ttlSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS;
  if (options.role === 'editor' && ttlSeconds > EDITOR_TOKEN_MAX_LIFETIME_SECONDS) {
    throw new RangeError(`An editor token lives at most ${EDITOR_TOKEN_MAX_LIFETIME_SECONDS} s (24 h), as in Cognito`);
  }
  const groups = options.role === 'editor' ? [EDITOR_GROUP] : [];
  return new SignJWT({ [GROUPS_CLAIM]: groups, token_use: 'access' })
    .setProtectedHeader({ alg: ALGORITHM, kid: key.kid })
    .setIssuer(LOCAL_ISSUER)
    .setAudience(LOCAL_AUDIENCE)
    .setSubject(options.subject ?? `local-${options.role}`)
    .setIssuedAt()
    .setExpirationTime(`${ttlSeconds}s`)
    .sign(await importJWK(key.privateJwk, ALGORITHM));
}

/**
 * The verified claims of an `Authorization: Bearer …` header on an editor route, or null for
 * anything invalid: a bad signature or issuer, an audience not in `audiences`, an expired token,
 * and a token that does not say when it was issued and when it expires, was issued in the future,
 * or claims a lifetime over {@link EDITOR_TOKEN_MAX_LIFETIME_SECONDS}.
 *
 * The audience is checked as API Gateway's JWT authorizer checks it: `aud` must be one of
 * `audiences`; a token without `aud` (a Cognito access token) must carry a `client_id` that is.
 */
export async function verifyBearer(
  key: LocalSigningKey,
  authorization: string | undefined,
  audiences: readonly string[] = EDITOR_AUDIENCES,
): Promise<JWTPayload | null> {
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  try {
    const { payload } = await jwtVerify(match[1]!, await importJWK(key.publicJwk, ALGORITHM), {
      issuer: LOCAL_ISSUER,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'iat'],
      // Also refuses an `iat` in the future; with the lifetime check below, no token outlives a day.
      maxTokenAge: EDITOR_TOKEN_MAX_LIFETIME_SECONDS,
    });
    if (payload.exp! - payload.iat! > EDITOR_TOKEN_MAX_LIFETIME_SECONDS) return null;
    if (!hasAllowedAudience(payload, audiences)) return null;
    return payload;
  } catch {
    return null;
  }
}

/** API Gateway reads `client_id` only when there is no `aud`; when both are present, `aud` decides. */
function hasAllowedAudience(payload: JWTPayload, audiences: readonly string[]): boolean {
  if (payload.aud !== undefined) {
    const aud = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
    return aud.some((value) => audiences.includes(value));
  }
  return typeof payload.client_id === 'string' && audiences.includes(payload.client_id);
}

/** A user of the local sign-in imitation, as Cognito knows a user who signs in by email. */
export interface LocalUser {
  email: string;
  groups: readonly string[];
}

/**
 * The user's `sub`, a UUID as Cognito's, derived from the email so the same local editor is the
 * same editor (in what handlers record) across restarts. With email as the sign-in alias, Cognito's
 * user name is this UUID too.
 */
export function localSubjectOf(email: string): string {
  const hex = createHash('sha256').update(`newsroom-local-user:${email.toLowerCase()}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * An access token and an ID token with the claims Cognito's token endpoint puts in them, signed
 * with the local key. The access token names the app client in `client_id` and has no `aud`; the
 * ID token has `aud` = the client, and the email only with the `email` scope. `originJti` ties
 * the tokens of one sign-in together across refreshes, as Cognito's `origin_jti`.
 */
export async function issueUserPoolTokens(
  key: LocalSigningKey,
  grant: {
    clientId: string;
    user: LocalUser;
    scopes: readonly string[];
    /** Epoch seconds of the sign-in. */
    authTime: number;
    originJti: string;
    accessTtlSeconds: number;
    idTtlSeconds: number;
    nonce?: string;
  },
): Promise<{ accessToken: string; idToken: string }> {
  const signingKey = await importJWK(key.privateJwk, ALGORITHM);
  const sub = localSubjectOf(grant.user.email);
  const header = { alg: ALGORITHM, kid: key.kid };
  const common = {
    [GROUPS_CLAIM]: [...grant.user.groups],
    auth_time: grant.authTime,
    origin_jti: grant.originJti,
  };
  const accessToken = await new SignJWT({
    ...common,
    token_use: 'access',
    scope: grant.scopes.join(' '),
    client_id: grant.clientId,
    username: sub,
    version: 2,
  })
    .setProtectedHeader(header)
    .setIssuer(LOCAL_ISSUER)
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${grant.accessTtlSeconds}s`)
    .sign(signingKey);
  const idToken = await new SignJWT({
    ...common,
    token_use: 'id',
    'cognito:username': sub,
    // As OIDC defines it: the left half of the access token's SHA-256, base64url.
    at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
    ...(grant.scopes.includes('email') ? { email: grant.user.email, email_verified: true } : {}),
    ...(grant.nonce ? { nonce: grant.nonce } : {}),
  })
    .setProtectedHeader(header)
    .setIssuer(LOCAL_ISSUER)
    .setAudience(grant.clientId)
    .setSubject(sub)
    .setJti(randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${grant.idTtlSeconds}s`)
    .sign(signingKey);
  return { accessToken, idToken };
}

/**
 * A token as the imitated news site signs it for a reader signed in there (`LOCAL_SITE_SIGN_IN`):
 * HS256 with the site's shared secret, the reader's subject and display name. The reader routes
 * accept it as they accept a reader token of ours.
 */
export async function issueSiteReaderToken(
  secret: string,
  site: { issuer: string; audience: string },
  reader: { subject: string; name: string; email?: string; ttlSeconds?: number },
): Promise<string> {
  return new SignJWT({ name: reader.name, ...(reader.email ? { email: reader.email } : {}) })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(site.issuer)
    .setAudience(site.audience)
    .setSubject(reader.subject)
    .setIssuedAt()
    .setExpirationTime(`${reader.ttlSeconds ?? DEFAULT_TOKEN_LIFETIME_SECONDS}s`)
    .sign(new TextEncoder().encode(secret));
}
