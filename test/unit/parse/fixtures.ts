import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The seed page lives beside the repository (`/work/shared/seed`), not inside it. */
export const SEED_PATH = path.resolve(__dirname, '../../../../shared/seed/newser-us-russia-crimea-talks.txt');

const FIXTURES = path.resolve(__dirname, '../../fixtures');

export function readSeed(): Buffer {
  return readFileSync(SEED_PATH);
}

/** A file under `test/fixtures`, e.g. `stories/tidal-snail-clocks.txt`. */
export function readFixture(relativePath: string): Buffer {
  return readFileSync(path.join(FIXTURES, relativePath));
}
