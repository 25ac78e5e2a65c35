/**
 * `npm run token -- --role editor`: prints a bearer token for the running local stack (signed
 * with its key in LOCAL_DATA_DIR), e.g. `TOKEN=$(npm run -s token -- --role editor)`.
 */
import { parseArgs } from 'node:util';
import { issueToken, loadOrCreateSigningKey, type TokenRole } from './auth';
import { localDataDir } from './data-dir';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'editor' },
      subject: { type: 'string' },
      ttl: { type: 'string', default: '3600' },
    },
  });
  if (values.role !== 'editor' && values.role !== 'reader') throw new Error('--role must be editor or reader');
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('--ttl must be a positive number of seconds');
  const key = await loadOrCreateSigningKey(localDataDir());
  const token = await issueToken(key, {
    role: values.role as TokenRole,
    ttlSeconds,
    ...(values.subject ? { subject: values.subject } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
