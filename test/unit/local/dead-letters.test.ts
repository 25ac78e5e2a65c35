import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterSink } from '../../../infra/local/dead-letters';

describe('DeadLetterSink', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'dead-letters-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('appends one JSON line per failure to the function’s file', async () => {
    const sink = new DeadLetterSink(dataDir, () => new Date('2026-05-01T12:00:00.000Z'));

    await sink.write({
      source: 'stream',
      functionName: 'publish-article-changes',
      error: 'Error: boom',
      payload: [{ eventID: 'e1' }],
    });
    await sink.write({
      source: 's3',
      functionName: 'publish-article-changes',
      error: 'Error: again',
      payload: { key: 'k' },
    });

    const text = await readFile(join(dataDir, 'dead-letters', 'publish-article-changes.jsonl'), 'utf8');
    expect(
      text
        .trimEnd()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      {
        at: '2026-05-01T12:00:00.000Z',
        source: 'stream',
        functionName: 'publish-article-changes',
        error: 'Error: boom',
        payload: [{ eventID: 'e1' }],
      },
      {
        at: '2026-05-01T12:00:00.000Z',
        source: 's3',
        functionName: 'publish-article-changes',
        error: 'Error: again',
        payload: { key: 'k' },
      },
    ]);
  });

  it('keeps each function’s letters apart and never interleaves concurrent writes', async () => {
    const sink = new DeadLetterSink(dataDir);
    const big = 'x'.repeat(100_000);

    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        sink.write({
          source: 'event',
          functionName: i % 2 ? 'odd-fn' : 'even-fn',
          error: `e${i}`,
          payload: { i, big },
        }),
      ),
    );

    const odd = await sink.read('odd-fn');
    const even = await sink.read('even-fn');
    expect(odd.map((l) => l.error)).toEqual(['e1', 'e3', 'e5', 'e7', 'e9', 'e11', 'e13', 'e15', 'e17', 'e19']);
    expect(even).toHaveLength(10);
  });

  it('reads nothing for a function that never failed', async () => {
    expect(await new DeadLetterSink(dataDir).read('never-failed')).toEqual([]);
  });

  it('refuses function names that would leave the folder', () => {
    const sink = new DeadLetterSink(dataDir);
    expect(() => sink.pathFor('../escape')).toThrow(/valid function name/);
    expect(() => sink.pathFor('a/b')).toThrow(/valid function name/);
  });
});
