/**
 * `npm run token -- --role editor`: prints a bearer token for the running local stack (signed
 * with its key in LOCAL_DATA_DIR), e.g. `TOKEN=$(npm run -s token -- --role editor)`.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  EDITOR_TOKEN_MAX_LIFETIME_SECONDS,
  issueToken,
  loadOrCreateSigningKey,
} from './auth';
import { localDataDir } from './data-dir';

const USAGE = `Usage: npm run -s token -- [--role editor|reader] [--subject SUBJECT] [--ttl SECONDS]

Prints a bearer token for the local stack, signed with its key in LOCAL_DATA_DIR (default .local/).

  --role      editor (default: in the editors group) or reader (in no group)
  --subject   the token's sub claim (default local-editor or local-reader)
  --ttl       lifetime in seconds (default ${DEFAULT_TOKEN_LIFETIME_SECONDS}; an editor token at most ${EDITOR_TOKEN_MAX_LIFETIME_SECONDS}, as in Cognito)
  -h, --help  this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'editor' },
      subject: { type: 'string' },
      ttl: { type: 'string', default: String(DEFAULT_TOKEN_LIFETIME_SECONDS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (values.role !== 'editor' && values.role !== 'reader') throw new Error('--role must be editor or reader');
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('--ttl must be a positive number of seconds');
  const key = await loadOrCreateSigningKey(localDataDir());
  const token = await issueToken(key, {
    role: values.role,
    ttlSeconds,
    ...(values.subject ? { subject: values.subject } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  console.error('Run `npm run token -- --help` for the options.');
  process.exit(2);
});
