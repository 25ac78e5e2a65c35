/**
 * The local stack's dead-letter queues: what a function could not process after its retries
 * (a stream batch, a queue message, a bus event, an S3 notification) is kept as one JSON line per failure in
 * `<dataDir>/dead-letters/<functionName>.jsonl`, where a developer can read it and replay it.
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Which trigger gave up on the payload. */
export type DeadLetterSource = 'stream' | 'queue' | 'event' | 's3';

/** One dead letter as written, one per line. */
export interface DeadLetter {
  /** When the failure was recorded (ISO 8601). */
  at: string;
  source: DeadLetterSource;
  functionName: string;
  /** The last error, as text. */
  error: string;
  /**
   * What the function was given: the stream records, the queue message (Lambda's SQS record,
   * whose body is the stream record the router forwarded), the bus event or the S3 event.
   */
  payload: unknown;
}

/** Appends dead letters to per-function JSON-lines files under `<dataDir>/dead-letters/`. */
export class DeadLetterSink {
  private readonly directory: string;
  /** Per file: appends are chained so concurrent failures never interleave their lines. */
  private readonly writes = new Map<string, Promise<void>>();

  constructor(
    dataDir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.directory = join(dataDir, 'dead-letters');
  }

  /** The file holding `functionName`'s dead letters. */
  pathFor(functionName: string): string {
    // Function names are kebab-case; refusing anything else keeps a name from escaping the folder.
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(functionName)) {
      throw new Error(`Not a valid function name for a dead-letter file: ${JSON.stringify(functionName)}`);
    }
    return join(this.directory, `${functionName}.jsonl`);
  }

  /** Records one failure; resolves once the line is on disk. */
  write(letter: Omit<DeadLetter, 'at'>): Promise<void> {
    const path = this.pathFor(letter.functionName);
    const line = `${JSON.stringify({ at: this.now().toISOString(), ...letter } satisfies DeadLetter)}\n`;
    const append = async (): Promise<void> => {
      await mkdir(this.directory, { recursive: true });
      await appendFile(path, line, 'utf8');
    };
    const previous = this.writes.get(path) ?? Promise.resolve();
    const next = previous.then(append, append);
    this.writes.set(
      path,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Everything recorded for `functionName`, oldest first; empty if nothing failed. */
  async read(functionName: string): Promise<DeadLetter[]> {
    let text: string;
    try {
      text = await readFile(this.pathFor(functionName), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as DeadLetter);
  }
}
