import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InMemoryCheckpointStore, JsonFileCheckpointStore } from '../../../infra/local/checkpoint-store';

describe('InMemoryCheckpointStore', () => {
  it('returns what was saved last, as a copy', async () => {
    const store = new InMemoryCheckpointStore();
    await store.save({ 'shard-1': '000000000000000000005' });

    const loaded = await store.load();
    loaded['shard-1'] = 'changed';

    expect(await store.load()).toEqual({ 'shard-1': '000000000000000000005' });
  });
});

describe('JsonFileCheckpointStore', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'checkpoints-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('starts empty when the file does not exist', async () => {
    expect(await new JsonFileCheckpointStore(join(dir, 'none.json')).load()).toEqual({});
  });

  it('persists across instances, creating the folder, and keeps the last of concurrent saves', async () => {
    const path = join(dir, 'nested', 'consumer.json');
    const store = new JsonFileCheckpointStore(path);

    await Promise.all([store.save({ a: '1' }), store.save({ a: '2' }), store.save({ a: '3', b: 'SHARD_END' })]);

    expect(await new JsonFileCheckpointStore(path).load()).toEqual({ a: '3', b: 'SHARD_END' });
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ a: '3', b: 'SHARD_END' });
  });

  it('refuses a file that does not hold a checkpoint object', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '[1,2]');
    await expect(new JsonFileCheckpointStore(path).load()).rejects.toThrow(/checkpoint object/);
  });
});
