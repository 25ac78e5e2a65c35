import { resolve } from 'node:path';

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
