/**
 * Where a stream consumer remembers how far it got: the last processed sequence number per
 * shard, as Lambda's event source mapping keeps it. The JSON-file store lets a restarted local
 * stack resume instead of replaying the whole stream into its handlers.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Shard id → last processed sequence number (or a marker the poller defines). */
export type Checkpoints = Record<string, string>;

/** Persistence for a stream consumer's checkpoints. */
export interface CheckpointStore {
  load(): Promise<Checkpoints>;
  /** Replaces everything stored with `checkpoints`. */
  save(checkpoints: Checkpoints): Promise<void>;
}

/** Keeps checkpoints for the life of the process; a new poller on the same store resumes. */
export class InMemoryCheckpointStore implements CheckpointStore {
  private checkpoints: Checkpoints = {};

  async load(): Promise<Checkpoints> {
    return { ...this.checkpoints };
  }

  async save(checkpoints: Checkpoints): Promise<void> {
    this.checkpoints = { ...checkpoints };
  }
}

/**
 * Keeps checkpoints in one JSON file, e.g. `<dataDir>/checkpoints/<functionName>.json`.
 * Saves are serialized and written to a temporary file renamed over the old one, so a crash
 * mid-write leaves the previous checkpoints rather than a truncated file.
 */
export class JsonFileCheckpointStore implements CheckpointStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly path: string) {}

  async load(): Promise<Checkpoints> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new Error(`${this.path} does not hold a checkpoint object`);
    }
    return Object.fromEntries(
      Object.entries(parsed).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
    );
  }

  save(checkpoints: Checkpoints): Promise<void> {
    const text = `${JSON.stringify(checkpoints, null, 2)}\n`;
    const write = async (): Promise<void> => {
      await mkdir(dirname(this.path), { recursive: true });
      const temporary = `${this.path}.${process.pid}.tmp`;
      await writeFile(temporary, text, 'utf8');
      await rename(temporary, this.path);
    };
    // Chain after the previous save whatever its outcome, so one failure does not wedge the rest.
    const next = this.writing.then(write, write);
    this.writing = next.catch(() => undefined);
    return next;
  }
}
