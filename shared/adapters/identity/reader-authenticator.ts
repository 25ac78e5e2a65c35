import { ENV, MissingConfigurationError, optionalEnv, requireEnv } from '../../config';
import { cachedActiveBans } from '../../identity/cached-active-bans';
import { ReaderAuthenticator, siteReaderId, type SiteTokens } from '../../identity/reader-identity';
import { createSiteTokenVerifier, type SiteTokenVerifier } from '../../identity/site-token';
import type { ReaderHasher } from '../../privacy/reader-hasher';
import { createDocumentClient } from '../aws/dynamodb-client';
import { readSecretString } from '../aws/secrets-extension';
import { readBanList } from './dynamo-ban-list';
import { readerTokenKeysFromEnvironment } from './reader-token-keys';

/**
 * How long a function instance keeps the list of bans before reading it again. Every reader
 * write consults it, and a read per write would cost the vote its budget: an eventually
 * consistent read of the list is 0.5 read units ($0.0625 per million at $0.125 per million read
 * units), which would take the $1.958 measured per million votes over issue 12's $2.00. Read at
 * most once a second, it costs a busy instance a small fraction of a unit per vote, and a ban
 * reaches every warm instance within about a second (plus DynamoDB's replication lag, usually
 * well under a second, as the read is eventually consistent).
 */
export const BAN_LIST_MAX_AGE_MS = 1_000;

/**
 * The reader authenticator of a reader route, from its environment: our reader token keys, the
 * site's sign-in when SITE_TOKEN_ISSUER is set, and the bans in force (the table, TABLE_NAME). A
 * signed-in reader's id is the keyed hash of `site:<sub>`, so ids never reveal the site's
 * subjects and a ban holds across the reader's devices.
 */
export function readerAuthenticatorFromEnvironment(
  readerHasher: () => Promise<ReaderHasher>,
  env: NodeJS.ProcessEnv = process.env,
): ReaderAuthenticator {
  const siteTokens = siteTokensFromEnvironment(env);
  const db = createDocumentClient();
  const tableName = requireEnv(ENV.tableName, env);
  return new ReaderAuthenticator({
    readerTokenKeys: readerTokenKeysFromEnvironment(env),
    ...(siteTokens ? { siteTokens } : {}),
    siteReaderId: async (subject) => siteReaderId(await readerHasher(), subject),
    bans: cachedActiveBans(async () => (await readBanList(db, tableName, false)).entries, BAN_LIST_MAX_AGE_MS),
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
