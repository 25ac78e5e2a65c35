import { SignJWT, importJWK, type JWTPayload } from 'jose';
import { LOCAL_AUDIENCE, LOCAL_ISSUER, type LocalSigningKey } from '../../infra/local/auth';

/**
 * A token validly signed with the local stack's key, with exactly the claims given: unlike
 * `issueToken`, nothing is filled in, so a test can leave out `exp` or `iat` or set any
 * `cognito:groups` value. Issuer and audience are the stack's.
 */
export async function signWithLocalKey(key: LocalSigningKey, claims: JWTPayload): Promise<string> {
  return new SignJWT({ iss: LOCAL_ISSUER, aud: LOCAL_AUDIENCE, token_use: 'access', ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: key.kid })
    .sign(await importJWK(key.privateJwk, 'ES256'));
}

/** Now, in the seconds of a JWT's `iat` and `exp`. */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000);
