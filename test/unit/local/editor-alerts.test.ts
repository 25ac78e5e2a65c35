import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeadLetterSink } from '../../../infra/local/dead-letters';
import { editorInboxPath, wireEditorAlerts } from '../../../infra/local/editor-alerts';
import { LocalEventBus } from '../../../infra/local/event-bus';
import { topology } from '../../../infra/topology';

const silent = { warn: () => undefined, error: () => undefined };
let dataDir: string;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'editor-alerts-'));
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

const entry = (detailType: string, detail: Record<string, unknown>) => ({
  Source: 'newsroom',
  DetailType: detailType,
  Detail: JSON.stringify(detail),
});

describe('the local editor alerts', () => {
  it('deliver error reports and ingest rejections to the inbox file and the console, and nothing else', async () => {
    const bus = new LocalEventBus({ logger: silent });
    const lines: string[] = [];
    wireEditorAlerts({
      bus,
      rules: topology.editorAlerts ?? [],
      dataDir,
      deadLetters: new DeadLetterSink(dataDir),
      log: (line) => lines.push(line),
    });

    await bus.put([
      entry('ErrorReportSubmitted', { reportId: 'r-1', excerpt: 'Wrong date' }),
      entry('ArticleIngested', { articleId: 'a-1' }),
      entry('ArticleRejected', { rejectedKey: 'rejected/x.txt' }),
    ]);
    await bus.idle();

    const inbox = (await readFile(editorInboxPath(dataDir), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(inbox.map((event) => event['detail-type']).sort()).toEqual(['ArticleRejected', 'ErrorReportSubmitted']);
    expect(inbox.find((event) => event['detail-type'] === 'ErrorReportSubmitted')).toMatchObject({
      source: 'newsroom',
      detail: { reportId: 'r-1' },
    });
    expect(lines.sort()).toEqual([
      'editor alert ArticleRejected {"rejectedKey":"rejected/x.txt"}',
      'editor alert ErrorReportSubmitted {"reportId":"r-1","excerpt":"Wrong date"}',
    ]);
  });

  it('send an alert that cannot be delivered after its retries to the dead letters', async () => {
    const bus = new LocalEventBus({ logger: silent, retryDelayMs: 1 });
    // A directory where the inbox file should be makes every append fail.
    await mkdir(editorInboxPath(dataDir), { recursive: true });
    const deadLetters = new DeadLetterSink(dataDir);
    const rules = (topology.editorAlerts ?? []).map((rule) => ({ ...rule, retryAttempts: 1 }));
    wireEditorAlerts({ bus, rules, dataDir, deadLetters, log: () => undefined });

    await bus.put([entry('ErrorReportSubmitted', { reportId: 'r-2' })]);
    await bus.idle();

    const letters = await deadLetters.read('editor-alerts');
    expect(letters).toEqual([
      expect.objectContaining({
        source: 'event',
        functionName: 'editor-alerts',
        payload: expect.objectContaining({ detail: { reportId: 'r-2' } }),
      }),
    ]);
  });
});
