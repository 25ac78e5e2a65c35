import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { BatchGetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord, S3Event } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { EmfMetrics, metrics } from '../../../shared/observability/metrics';
import { oldestRecordAgeMs } from '../../../shared/observability/stream-lag';
import { lambdaContext, setHandlerEnv } from '../../support/api-events';
import { normalize } from '../../../shared/articles/identity';
import { parseArticle } from '../../../shared/articles/parse';
import { rememberPuts } from '../../support/remembering-bucket';
import { SAMPLE_STORY_TEXT } from '../../support/sample-story';

setHandlerEnv();
const SAMPLE_ARTICLE = normalize(parseArticle({ body: SAMPLE_STORY_TEXT }));
const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const eventBridge = mockClient(EventBridgeClient);

let ingestObject: (event: S3Event, context: unknown) => Promise<void>;
/** The EMF documents the middleware flushed, serialized just before Powertools writes them. */
const flushed: Array<Record<string, unknown>> = [];

beforeAll(async () => {
  ingestObject = (await import('../../../functions/ingest-object/handler')).handler as unknown as typeof ingestObject;
  const instance = metrics();
  const publish = instance.publishStoredMetrics.bind(instance);
  jest.spyOn(instance, 'publishStoredMetrics').mockImplementation(() => {
    flushed.push(instance.serializeMetrics());
    return publish();
  });
});

beforeEach(() => {
  flushed.length = 0;
  s3.reset();
  dynamo.reset();
  eventBridge.reset();
  rememberPuts(s3);
  s3.on(DeleteObjectCommand).resolves({});
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
  dynamo.on(UpdateCommand).resolves({ Attributes: { version: 1 } });
  // What the index holds after the save: ingest renders articles/<id>.json from it.
  const at = '2026-02-01T10:00:01.000Z';
  dynamo.on(BatchGetCommand).resolves({
    Responses: { 'test-table': [{ sk: 'META', ...SAMPLE_ARTICLE, version: 1, createdAt: at, updatedAt: at }] },
  });
});

const objectBody = (text: string) =>
  ({
    transformToByteArray: async () => new Uint8Array(Buffer.from(text)),
    transformToString: async () => text,
  }) as never;
const s3Event = (key: string): S3Event =>
  ({ Records: [{ s3: { bucket: { name: 'test-bucket' }, object: { key, size: 1 } } }] }) as unknown as S3Event;
const metricNames = (doc: Record<string, unknown>) =>
  (doc._aws as { CloudWatchMetrics: Array<{ Namespace: string; Metrics: Array<{ Name: string }> }> }).CloudWatchMetrics;

describe('business metrics (EMF)', () => {
  it('ingest-object counts an ingested article once, in the Newsroom namespace with the service dimension', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody(SAMPLE_STORY_TEXT), ContentType: 'text/plain' });

    await ingestObject(s3Event('incoming/story.txt'), lambdaContext());

    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toMatchObject({ ArticlesIngested: 1, service: 'newsroom' });
    expect(flushed[0]).not.toHaveProperty('ArticlesRejected');
    expect(metricNames(flushed[0]!)[0]).toMatchObject({
      Namespace: 'Newsroom',
      Metrics: [{ Name: 'ArticlesIngested', Unit: 'Count' }],
    });
  });

  it('ingest-object counts a rejected input as ArticlesRejected', async () => {
    s3.on(GetObjectCommand).resolves({ Body: objectBody('just some words, not a story'), ContentType: 'text/plain' });

    await ingestObject(s3Event('incoming/garbage.txt'), lambdaContext());

    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toMatchObject({ ArticlesRejected: 1 });
    expect(flushed[0]).not.toHaveProperty('ArticlesIngested');
  });

  it('flushes nothing (and warns about nothing) when an invocation recorded no metric', async () => {
    s3.on(GetObjectCommand).rejects(
      Object.assign(new Error('NoSuchKey'), { name: 'NoSuchKey', $metadata: { httpStatusCode: 404 } }),
    );

    await ingestObject(s3Event('incoming/gone.txt'), lambdaContext());

    expect(flushed).toHaveLength(0);
  });
});

describe('tally lag', () => {
  const record = (votedAt: string | undefined, approximateSeconds?: number): DynamoDBRecord => ({
    eventName: 'INSERT',
    dynamodb: {
      ...(approximateSeconds !== undefined ? { ApproximateCreationDateTime: approximateSeconds } : {}),
      NewImage: votedAt ? { votedAt: { S: votedAt } } : {},
    },
  });

  it('is the age of the oldest vote, from its votedAt, else from the stream time', () => {
    const now = new Date('2026-01-01T00:00:10.000Z');
    expect(
      oldestRecordAgeMs([record('2026-01-01T00:00:09.500Z'), record('2026-01-01T00:00:07.250Z')], 'votedAt', now),
    ).toBe(2750);
    expect(oldestRecordAgeMs([record(undefined, Date.parse('2026-01-01T00:00:04Z') / 1000)], 'votedAt', now)).toBe(
      6000,
    );
    expect(oldestRecordAgeMs([record(undefined)], 'votedAt', now)).toBeUndefined();
  });
});

describe('the EMF document', () => {
  const written: string[] = [];
  const emf = () =>
    new EmfMetrics({ namespace: 'Newsroom', serviceName: 'newsroom', write: (line) => written.push(line) });

  beforeEach(() => {
    written.length = 0;
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  });

  it('is one line CloudWatch reads as metrics: namespace, the service dimension, each metric with its unit', () => {
    const metrics = emf();
    metrics.addMetric('VotesCast', 'Count', 1);
    metrics.addMetric('TallyLagMs', 'Milliseconds', 250);
    metrics.addMetric('TallyLagMs', 'Milliseconds', 900);

    metrics.publishStoredMetrics();

    expect(written).toHaveLength(1);
    expect(JSON.parse(written[0]!)).toEqual({
      _aws: {
        Timestamp: expect.any(Number),
        CloudWatchMetrics: [
          {
            Namespace: 'Newsroom',
            Dimensions: [['service']],
            Metrics: [
              { Name: 'VotesCast', Unit: 'Count' },
              { Name: 'TallyLagMs', Unit: 'Milliseconds' },
            ],
          },
        ],
      },
      service: 'newsroom',
      VotesCast: 1,
      TallyLagMs: [250, 900],
    });
    expect(metrics.hasStoredMetrics()).toBe(false);
  });

  it('writes nothing when POWERTOOLS_METRICS_DISABLED is true, and still forgets what it stored', () => {
    process.env.POWERTOOLS_METRICS_DISABLED = 'true';
    const metrics = emf();
    metrics.addMetric('CommentsPosted', 'Count', 1);

    metrics.publishStoredMetrics();

    expect(written).toEqual([]);
    expect(metrics.hasStoredMetrics()).toBe(false);
  });
});
