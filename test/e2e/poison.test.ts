import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { ingestFiles, type FileOutcome } from '../../infra/cli/ingest-files';
import { REPO_ROOT, type RunningLocalStack } from '../../infra/local/local-stack';
import { encodeS3EventKey } from '../../infra/local/s3-notifications';
import { topology } from '../../infra/topology';
import { withLocalStack } from '../support/local-stack';
import { http } from '../support/http';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';
import { STORY_PAGE } from '../support/story-page';

/**
 * Poison messages through the local stack: inputs that fail on every attempt end in the dead
 * letters after their retries (`<dataDir>/dead-letters/<function>.jsonl`, the local stand-in
 * for the dead-letter queue and the on-failure destination), and the next good input still goes
 * through. Bad input cannot poison these paths (it is rejected, with a reason, at parse time), so
 * the failures come from the FAULT_INJECTION switch the local stack honours: it stands for an
 * outage or a bug that fails every attempt.
 */
const HTML_STORY = resolve(REPO_ROOT, 'samples', 'stories', 'port-calder-light-rail-tax.html');

let stack: RunningLocalStack;
let dataDir: string;
let s3: S3Client;

const local = withLocalStack({ name: 'poison' });
const logLines = local.logLines;
beforeAll(() => {
  ({ stack, dataDir, s3 } = local);
});

/** The sample story under another headline, so it is a story of its own. */
function story(headline: string, extraParagraphs: string[] = []): string {
  const [, ...rest] = SAMPLE_STORY_TEXT.split('\n');
  return [headline, ...rest, ...extraParagraphs.flatMap((p) => [p, ''])].join('\n');
}

async function drop(key: string, text: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({ Bucket: stack.endpoints.bucket, Key: key, Body: text, ContentType: 'text/plain' }),
  );
}

async function ingest(file: string): Promise<Extract<FileOutcome, { status: 'ingested' }>> {
  const [outcome] = await ingestFiles({
    s3,
    bucket: stack.endpoints.bucket,
    files: [file],
    timeoutMs: 20_000,
    pollMs: 50,
  });
  expect(outcome).toMatchObject({ status: 'ingested' });
  return outcome as Extract<FileOutcome, { status: 'ingested' }>;
}

async function publishedIds(): Promise<string[]> {
  const text = await readFile(join(dataDir, 'events.jsonl'), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line))
    .filter((event) => event['detail-type'] === 'ArticleIngested')
    .map((event) => event.detail.articleId as string);
}

afterEach(() => {
  delete process.env.FAULT_INJECTION;
});

const triggerOf = (name: string) => topology.functions.find((fn) => fn.name === name)!.trigger;

describe('poison messages end in the dead letters while the next good input goes through', () => {
  it('a drop that fails on every attempt is dead-lettered after its retries, and the next drop is ingested', async () => {
    // Prepare: the ingest function fails as often as Lambda tries one event (first attempt + retries).
    const trigger = triggerOf('ingest-object');
    if (trigger.kind !== 's3') throw new Error('ingest-object is S3-triggered');
    const attempts = 1 + trigger.retryAttempts;
    process.env.FAULT_INJECTION = `ingest-object:${attempts}`;
    const poisonKey = 'incoming/poison/harbor-town-ferry.txt';

    // Act
    await drop(poisonKey, story('Harbor Town Ferry Service Resumes'));
    await stack.idle();
    const good = await ingest(STORY_PAGE);

    // Assess: one dead letter, for the poison, after the first attempt and every retry.
    const letters = await stack.deadLetters.read('ingest-object');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      source: 's3',
      functionName: 'ingest-object',
      error: expect.stringMatching(/Injected fault: ingest-object/),
      payload: { Records: [{ s3: { object: { key: encodeS3EventKey(poisonKey) } } }] },
    });
    expect(logLines.filter((line) => line.startsWith('ingest-object failed'))).toHaveLength(attempts);
    // The poison stays in the drop zone, so it can be replayed once the cause is fixed.
    await expect(
      s3.send(new HeadObjectCommand({ Bucket: stack.endpoints.bucket, Key: poisonKey })),
    ).resolves.toBeDefined();
    // The next good file went through, start to finish.
    expect((await http(`${api()}/articles/${good.articleId}`)).status).toBe(200);
  });

  it("a stream record that fails on every attempt is dead-lettered alone from its feature's queue, and later records publish", async () => {
    // Prepare: nothing from earlier tests left in flight (it would use up the injected failures),
    // then the publisher fails as often as its queue delivers one message (maxReceiveCount).
    await stack.idle();
    const trigger = triggerOf('publish-article-changes');
    if (trigger.kind !== 'queue') throw new Error('publish-article-changes is fed through its queue');
    process.env.FAULT_INJECTION = `publish-article-change:${trigger.maxReceiveCount}`;
    const headline = 'Harbor Town Names a New Harbor Master';

    // Act
    await drop('incoming/poison/harbor-master.txt', story(headline));
    await stack.idle();
    const good = await ingest(HTML_STORY);
    await stack.idle();

    // Assess: the poison's own message, and only it, is in the consumer's dead letters: the
    // queue's message as Lambda handed it, whose body is the stream record the router forwarded.
    const letters = await stack.deadLetters.read('publish-article-changes');
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      source: 'queue',
      functionName: 'publish-article-changes',
      // The handler answered for the message (the injected fault is in its log, not in its answer).
      error: expect.stringMatching(/batchItemFailures/),
      payload: { eventSource: 'aws:sqs', attributes: { ApproximateReceiveCount: String(trigger.maxReceiveCount) } },
    });
    const record = JSON.parse((letters[0]!.payload as { body: string }).body) as {
      dynamodb: { NewImage: { id: { S: string }; headline: { S: string } } };
    };
    expect(record.dynamodb.NewImage.headline.S).toBe(headline);
    // Its event was never published; the next story's was, and it reads fine.
    const published = await publishedIds();
    expect(published).not.toContain(record.dynamodb.NewImage.id.S);
    expect(published).toContain(good.articleId);
    expect((await http(`${api()}/articles/${good.articleId}`)).status).toBe(200);
  });
});

const api = () => stack.endpoints.api;
