import { ENV, MissingConfigurationError, optionalEnv } from '../../config';
import { readerTokenKeysFrom, type ReaderTokenKeys } from '../../identity/reader-token';
import { readSecretString } from '../aws/secrets-extension';

/**
 * How long a process keeps the secret's value before reading it again, so a rotation reaches
 * every warm function within this (plus the extension's own cache, `SECRETS_MANAGER_TTL`).
 */
const REFRESH_MS = 5 * 60 * 1000;

/**
 * The reader token keys: from READER_TOKEN_KEY where a test provides the key directly, otherwise
 * from the secret READER_TOKEN_KEY_SECRET_ARN names, through the Lambda secrets extension (its
 * imitation locally). Read on first use and again every five minutes; the keys are computed at
 * each call, so a previous key stops verifying as soon as its grace period ends.
 */
export function readerTokenKeysFromEnvironment(
  env: NodeJS.ProcessEnv = process.env,
  clock: () => Date = () => new Date(),
): () => Promise<ReaderTokenKeys> {
  let cached: { value: Promise<string>; readAt: number } | undefined;
  return async () => {
    const now = clock();
    if (!cached || now.getTime() - cached.readAt > REFRESH_MS) {
      const value = read(env);
      cached = { value, readAt: now.getTime() };
      value.catch(() => {
        if (cached?.value === value) cached = undefined; // a failed read is retried on the next request
      });
    }
    return readerTokenKeysFrom(await cached.value, now);
  };
}

async function read(env: NodeJS.ProcessEnv): Promise<string> {
  const direct = optionalEnv(ENV.readerTokenKey, env);
  if (direct) return direct;
  const secretArn = optionalEnv(ENV.readerTokenKeySecretArn, env);
  if (!secretArn) throw new MissingConfigurationError(`${ENV.readerTokenKey} or ${ENV.readerTokenKeySecretArn}`);
  return readSecretString(secretArn, env);
}
