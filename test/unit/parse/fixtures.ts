import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * The seed page lives beside the repository (`../shared/seed`), not inside it: it is a third
 * party's story, so a fresh clone does not have it. Tests on it run only when it is there.
 */
export const SEED_PATH = path.resolve(__dirname, '../../../../shared/seed/newser-us-russia-crimea-talks.txt');
export const seedPresent = existsSync(SEED_PATH);

const FIXTURES = path.resolve(__dirname, '../../fixtures');
const SAMPLES = path.resolve(__dirname, '../../../samples/stories');

export function readSeed(): Buffer {
  return readFileSync(SEED_PATH);
}

/** A demo story under `samples/stories` (the ones `npm start` loads), e.g. `tidal-snail-clocks.txt`. */
export function readSample(name: string): Buffer {
  return readFileSync(path.join(SAMPLES, name));
}

/** A test-only file under `test/fixtures`, e.g. `garbage/not-a-story.txt`. */
export function readFixture(relativePath: string): Buffer {
  return readFileSync(path.join(FIXTURES, relativePath));
}
