import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ENV, MissingConfigurationError, optionalEnv } from '../../config';
import { traced } from '../../observability/tracer';
import { ReaderHasher } from '../../privacy/reader-hasher';

/**
 * Loads the hashing key once per process: from READER_HASH_KEY where the host provides it
 * directly (the local stack, tests), otherwise from the Secrets Manager secret named by
 * READER_HASH_KEY_SECRET_ARN (AWS). Called lazily on first use, so a cold start that never
 * hashes never pays for the secret.
 */
export function readerHasherFromEnvironment(env: NodeJS.ProcessEnv = process.env): () => Promise<ReaderHasher> {
  let loading: Promise<ReaderHasher> | undefined;
  return () => {
    loading ??= load(env).catch((error: unknown) => {
      loading = undefined; // a failed fetch is retried on the next request
      throw error;
    });
    return loading;
  };
}

async function load(env: NodeJS.ProcessEnv): Promise<ReaderHasher> {
  const direct = optionalEnv(ENV.readerHashKey, env);
  if (direct) return new ReaderHasher(Buffer.from(direct, 'utf8'));
  const secretArn = optionalEnv(ENV.readerHashKeySecretArn, env);
  if (!secretArn) throw new MissingConfigurationError(`${ENV.readerHashKey} or ${ENV.readerHashKeySecretArn}`);
  const out = await traced(new SecretsManagerClient({})).send(new GetSecretValueCommand({ SecretId: secretArn }));
  if (!out.SecretString) throw new Error('The reader hash key secret has no string value');
  return new ReaderHasher(Buffer.from(out.SecretString, 'utf8'));
}
