import { ENV, MissingConfigurationError, optionalEnv } from '../../config';
import { ReaderHasher } from '../../privacy/reader-hasher';
import { readSecretString } from './secrets-extension';

/**
 * Loads the hashing key once per process: from READER_HASH_KEY where a test provides it
 * directly, otherwise from the Secrets Manager secret named by READER_HASH_KEY_SECRET_ARN,
 * through the Lambda secrets extension (in AWS; its imitation in the local stack). Called lazily
 * on first use, so a cold start that never hashes never pays for the secret.
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
  return new ReaderHasher(Buffer.from(await readSecretString(secretArn, env), 'utf8'));
}
