import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify, type JWK, type JWTPayload } from 'jose';
import { EDITOR_GROUP, GROUPS_CLAIM } from '../../shared/http/caller';

/**
 * The local stand-in for the Cognito user pool behind the HTTP API's JWT authorizer: one
 * signing key kept in the data folder, tokens that carry the same claims Cognito issues
 * (`sub`, `cognito:groups`), and the same checks the authorizer makes (signature, issuer,
 * audience, expiry) before a request reaches an editor route.
 */
export const LOCAL_ISSUER = 'urn:newsroom:local-stack';
export const LOCAL_AUDIENCE = 'newsroom-local';
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
 * anything invalid: a bad signature, issuer or audience, an expired token, and a token that
 * does not say when it was issued and when it expires, was issued in the future, or claims a
 * lifetime over {@link EDITOR_TOKEN_MAX_LIFETIME_SECONDS}.
 */
export async function verifyBearer(
  key: LocalSigningKey,
  authorization: string | undefined,
): Promise<JWTPayload | null> {
  const match = /^Bearer\s+([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)\s*$/i.exec(authorization ?? '');
  if (!match) return null;
  try {
    const { payload } = await jwtVerify(match[1]!, await importJWK(key.publicJwk, ALGORITHM), {
      issuer: LOCAL_ISSUER,
      audience: LOCAL_AUDIENCE,
      algorithms: [ALGORITHM],
      requiredClaims: ['exp', 'iat'],
      // Also refuses an `iat` in the future; with the lifetime check below, no token outlives a day.
      maxTokenAge: EDITOR_TOKEN_MAX_LIFETIME_SECONDS,
    });
    if (payload.exp! - payload.iat! > EDITOR_TOKEN_MAX_LIFETIME_SECONDS) return null;
    return payload;
  } catch {
    return null;
  }
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
