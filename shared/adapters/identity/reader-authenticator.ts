import { ENV, MissingConfigurationError, optionalEnv, requireEnv } from '../../config';
import { ReaderAuthenticator, type SiteTokens } from '../../identity/reader-identity';
import { createSiteTokenVerifier, type SiteTokenVerifier } from '../../identity/site-token';
import type { ReaderHasher } from '../../privacy/reader-hasher';
import { readSecretString } from '../aws/secrets-extension';
import { readerTokenKeysFromEnvironment } from './reader-token-keys';

/**
 * The reader authenticator of a reader route, from its environment: our reader token keys, and
 * the site's sign-in when SITE_TOKEN_ISSUER is set. A signed-in reader's id is the keyed hash of
 * `site:<sub>`, so ids never reveal the site's subjects and a ban holds across the reader's devices.
 */
export function readerAuthenticatorFromEnvironment(
  readerHasher: () => Promise<ReaderHasher>,
  env: NodeJS.ProcessEnv = process.env,
): ReaderAuthenticator {
  const siteTokens = siteTokensFromEnvironment(env);
  return new ReaderAuthenticator({
    readerTokenKeys: readerTokenKeysFromEnvironment(env),
    ...(siteTokens ? { siteTokens } : {}),
    siteReaderId: async (subject) => (await readerHasher()).hash('site-reader', `site:${subject}`),
  });
}

function siteTokensFromEnvironment(env: NodeJS.ProcessEnv): SiteTokens | undefined {
  const issuer = optionalEnv(ENV.siteTokenIssuer, env);
  if (!issuer) return undefined;
  const audience = requireEnv(ENV.siteTokenAudience, env);
  const jwksUrl = optionalEnv(ENV.siteTokenJwksUrl, env);
  // The shared secret is read on first use (through the secrets extension); a key set is fetched then too.
  let verifier: Promise<SiteTokenVerifier> | undefined;
  const load = async (): Promise<SiteTokenVerifier> => {
    if (jwksUrl) return createSiteTokenVerifier({ issuer, audience, key: { kind: 'jwks', url: jwksUrl } });
    const secret = optionalEnv(ENV.siteTokenSecret, env) ?? (await siteSecretFromExtension(env));
    return createSiteTokenVerifier({
      issuer,
      audience,
      key: { kind: 'secret', secret: new TextEncoder().encode(secret) },
    });
  };
  return {
    issuer,
    verify: async (token, now) => {
      verifier ??= load().catch((error: unknown) => {
        verifier = undefined; // retried on the next request
        throw error;
      });
      return (await verifier).verify(token, now);
    },
  };
}

async function siteSecretFromExtension(env: NodeJS.ProcessEnv): Promise<string> {
  const secretArn = optionalEnv(ENV.siteTokenSecretArn, env);
  if (!secretArn) {
    throw new MissingConfigurationError(`${ENV.siteTokenJwksUrl}, ${ENV.siteTokenSecretArn} or ${ENV.siteTokenSecret}`);
  }
  return readSecretString(secretArn, env);
}
