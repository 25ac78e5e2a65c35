import { randomInt } from 'node:crypto';

const KEY_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const KEY_LENGTH = 26;

/**
 * A new API key in AppSync's format, `da2-` and 26 lowercase alphanumerics, so code that checks a
 * key's shape (or a reader's eye) takes the local one as it takes the deployed one.
 */
export function newAppSyncApiKey(): string {
  return `da2-${Array.from({ length: KEY_LENGTH }, () => KEY_ALPHABET[randomInt(KEY_ALPHABET.length)]).join('')}`;
}
