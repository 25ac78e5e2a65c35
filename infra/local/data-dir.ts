import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

/**
 * Where the local stack keeps its data, and where `npm run ingest` and `npm run token` look
 * for it: LOCAL_DATA_DIR, default `.local/`. One function, so the three commands never disagree.
 */
export function localDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.LOCAL_DATA_DIR || '.local');
}

export function localPort(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PORT || '3000';
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got ${raw}`);
  return port;
}

/** LOCAL_CORS_ORIGINS: extra browser origins (comma-separated), e.g. a front end on another port. */
export function localCorsOrigins(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.LOCAL_CORS_ORIGINS ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter(Boolean);
}

/** Where the imitated site's shared secret is kept in the data folder. */
export const SITE_TOKEN_SECRET_FILE = 'site-token-secret';

/** Where the local Event API's public, subscribe-only API key is kept. */
export const LIVE_API_KEY_FILE = 'live-api-key';

/**
 * A local stand-in for one of the stack's generated secrets (the reader hash key, the reader
 * token key) or keys (the Event API's), kept in the data folder so hashes, tokens and pages
 * already open stay valid across restarts. `create` makes a new one: 32 random bytes unless the
 * key has a format of its own.
 */
export async function loadOrCreateKey(
  dataDir: string,
  file: string,
  create: () => string = () => randomBytes(32).toString('base64url'),
): Promise<string> {
  const path = join(dataDir, file);
  try {
    return (await readFile(path, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const key = create();
  await writeFile(path, key, { mode: 0o600 });
  return key;
}
