/**
 * `npm run token -- --role editor`: prints a bearer token for the running local stack (signed
 * with its key in LOCAL_DATA_DIR), e.g. `TOKEN=$(npm run -s token -- --role editor)`.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_TOKEN_LIFETIME_SECONDS,
  EDITOR_TOKEN_MAX_LIFETIME_SECONDS,
  issueSiteReaderToken,
  issueToken,
  loadOrCreateSigningKey,
} from './auth';
import { loadOrCreateKey, localDataDir, SITE_TOKEN_SECRET_FILE } from './data-dir';
import { LOCAL_SITE_SIGN_IN } from './function-environment';

const USAGE = `Usage: npm run -s token -- [--role editor|reader|site-reader] [--subject SUBJECT] [--name NAME] [--ttl SECONDS]

Prints a bearer token for the local stack, signed with its keys in LOCAL_DATA_DIR (default .local/).

  --role      editor (default: in the editors group), reader (a Cognito user in no group), or
              site-reader: a reader signed in on the news site the stack imitates, as the site's
              login would sign them (${LOCAL_SITE_SIGN_IN.issuer}); the reader routes accept it
  --subject   the token's sub claim (default local-editor, local-reader or local-site-reader)
  --name      site-reader only: the display name comments show (default: the subject)
  --ttl       lifetime in seconds (default ${DEFAULT_TOKEN_LIFETIME_SECONDS}; an editor token at most ${EDITOR_TOKEN_MAX_LIFETIME_SECONDS}, as in Cognito)
  -h, --help  this text`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string', default: 'editor' },
      subject: { type: 'string' },
      name: { type: 'string' },
      ttl: { type: 'string', default: String(DEFAULT_TOKEN_LIFETIME_SECONDS) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const role = values.role;
  if (role !== 'editor' && role !== 'reader' && role !== 'site-reader') {
    throw new Error('--role must be editor, reader or site-reader');
  }
  const ttlSeconds = Number(values.ttl);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds <= 0) throw new Error('--ttl must be a positive number of seconds');
  if (role === 'site-reader') {
    const subject = values.subject ?? 'local-site-reader';
    const secret = await loadOrCreateKey(localDataDir(), SITE_TOKEN_SECRET_FILE);
    process.stdout.write(
      `${await issueSiteReaderToken(secret, LOCAL_SITE_SIGN_IN, { subject, name: values.name ?? subject, ttlSeconds })}\n`,
    );
    return;
  }
  const key = await loadOrCreateSigningKey(localDataDir());
  const token = await issueToken(key, {
    role,
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
