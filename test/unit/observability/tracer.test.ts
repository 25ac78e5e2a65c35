/**
 * SDK-call subsegments: what the X-Ray daemon receives for real SDK calls (a DynamoDB and an S3
 * client talking HTTP to a small server here), under a sampled trace header and without one.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { S3Client, PutObjectCommand } from '@aws-sdk/client-s3';
import { daemonAddress, parseTraceHeader, traced, type SdkCallSubsegment } from '../../../shared/observability/tracer';
import { waitFor } from '../../support/wait-for';

const TRACE_ID = '1-5759e988-bd862e3fe1be46a994272793';
const PARENT_ID = '53995c3f42cd8ad8';
const SAMPLED = `Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=1;Lineage=a87bd80c:0`;
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

type Answer = (request: IncomingMessage, body: string, response: ServerResponse) => void;
let answer: Answer;
let server: Server;
let endpoint: string;
const seenTraceHeaders: Array<string | undefined> = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seenTraceHeaders.push(request.headers['x-amzn-trace-id'] as string | undefined);
      answer(request, body, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const previousHeader = process.env._X_AMZN_TRACE_ID;
beforeEach(() => {
  seenTraceHeaders.length = 0;
  process.env._X_AMZN_TRACE_ID = SAMPLED;
});
afterEach(() => {
  if (previousHeader === undefined) delete process.env._X_AMZN_TRACE_ID;
  else process.env._X_AMZN_TRACE_ID = previousHeader;
});

function dynamoAnswers(status: number, body: object, requestId = 'REQ-1'): Answer {
  return (_request, _body, response) => {
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId });
    response.end(JSON.stringify(body));
  };
}

function recordingClient(maxAttempts = 1) {
  const recorded: SdkCallSubsegment[] = [];
  const client = traced(new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials, maxAttempts }), (subsegment) =>
    recorded.push(subsegment),
  );
  return { client, recorded };
}

describe('trace header', () => {
  it('gives a context only for a sampled, well-formed header', () => {
    expect(parseTraceHeader(SAMPLED)).toEqual({ traceId: TRACE_ID, parentId: PARENT_ID });
    expect(parseTraceHeader(`Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=0`)).toBeUndefined();
    expect(parseTraceHeader(`Root=${TRACE_ID};Sampled=1`)).toBeUndefined();
    expect(parseTraceHeader(`Root=not-a-trace;Parent=${PARENT_ID};Sampled=1`)).toBeUndefined();
    expect(parseTraceHeader(undefined)).toBeUndefined();
  });

  it('reads the daemon address in both of its forms', () => {
    expect(daemonAddress('169.254.79.129:2000')).toEqual({ host: '169.254.79.129', port: 2000 });
    expect(daemonAddress('tcp:10.0.0.1:3000 udp:10.0.0.2:4000')).toEqual({ host: '10.0.0.2', port: 4000 });
    expect(daemonAddress(undefined)).toEqual({ host: '127.0.0.1', port: 2000 });
    expect(daemonAddress('nonsense')).toEqual({ host: '127.0.0.1', port: 2000 });
  });
});

describe('a subsegment per SDK call', () => {
  it('records a successful call under the invocation trace, and passes the trace on', async () => {
    answer = dynamoAnswers(200, { Item: { pk: { S: 'a' } } });
    const { client, recorded } = recordingClient();
    const before = Date.now() / 1000;
    await client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }));

    expect(recorded).toHaveLength(1);
    const [subsegment] = recorded as [SdkCallSubsegment];
    expect(subsegment).toMatchObject({
      name: 'DynamoDB',
      type: 'subsegment',
      namespace: 'aws',
      trace_id: TRACE_ID,
      parent_id: PARENT_ID,
      aws: { operation: 'GetItem', region: 'eu-west-1', request_id: 'REQ-1', retries: 0, table_name: 'News' },
      http: { response: { status: 200 } },
    });
    expect(subsegment.id).toMatch(/^[0-9a-f]{16}$/);
    expect(subsegment.start_time).toBeGreaterThanOrEqual(before - 0.001);
    expect(subsegment.end_time).toBeGreaterThanOrEqual(subsegment.start_time);
    expect(subsegment).not.toHaveProperty('error');
    expect(subsegment).not.toHaveProperty('fault');
    expect(seenTraceHeaders).toEqual([`Root=${TRACE_ID};Parent=${subsegment.id};Sampled=1`]);
  });

  it('never records keys, items or bodies: only the resource names', async () => {
    answer = dynamoAnswers(200, {});
    const { client, recorded } = recordingClient();
    const documents = DynamoDBDocumentClient.from(client);
    await documents.send(new GetCommand({ TableName: 'News', Key: { pk: 'reader-secret-token' } }));
    await documents.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: 'News', Item: { pk: 'reader-secret-token' } } },
          { Put: { TableName: 'Audit', Item: { pk: 'x' } } },
        ],
      }),
    );
    expect(recorded.map((s) => [s.aws.operation, s.aws.table_name ?? s.aws.table_names])).toEqual([
      ['GetItem', 'News'],
      ['TransactWriteItems', ['News', 'Audit']],
    ]);
    expect(JSON.stringify(recorded)).not.toContain('reader-secret-token');
  });

  it('marks a refused condition as an error with its cause, and rethrows it unchanged', async () => {
    answer = dynamoAnswers(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
    const { client, recorded } = recordingClient();
    await expect(
      client.send(new PutItemCommand({ TableName: 'News', Item: { pk: { S: 'a' } } })),
    ).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect(recorded[0]).toMatchObject({
      error: true,
      http: { response: { status: 400 } },
      cause: { exceptions: [{ type: 'ConditionalCheckFailedException', remote: true }] },
    });
    expect(recorded[0]).not.toHaveProperty('fault');
    expect(recorded[0]).not.toHaveProperty('throttle');
  });

  it('spans the retries of one call, and marks throttling', async () => {
    answer = dynamoAnswers(400, {
      __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
      message: 'slow down',
    });
    const { client, recorded } = recordingClient(2);
    await expect(client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }))).rejects.toThrow();
    expect(seenTraceHeaders).toHaveLength(2);
    expect(recorded).toHaveLength(1);
    expect(recorded[0]).toMatchObject({ error: true, throttle: true, aws: { retries: 1 } });
  });

  it('marks a server failure as a fault', async () => {
    answer = dynamoAnswers(500, { __type: 'InternalServerError', message: 'boom' });
    const { client, recorded } = recordingClient();
    await expect(client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }))).rejects.toThrow();
    expect(recorded[0]).toMatchObject({ fault: true, http: { response: { status: 500 } } });
  });

  it('names S3 calls by bucket and keeps the extended request id', async () => {
    answer = (_request, _body, response) => {
      response.writeHead(200, { 'x-amz-request-id': 'S3REQ', 'x-amz-id-2': 'EXT2', etag: '"abc"' });
      response.end();
    };
    const recorded: SdkCallSubsegment[] = [];
    const s3 = traced(
      new S3Client({ endpoint, region: 'eu-west-1', credentials, forcePathStyle: true, maxAttempts: 1 }),
      (subsegment) => recorded.push(subsegment),
    );
    await s3.send(new PutObjectCommand({ Bucket: 'stories', Key: 'raw/a.txt', Body: 'hello' }));
    expect(recorded[0]).toMatchObject({
      name: 'S3',
      aws: { operation: 'PutObject', bucket_name: 'stories', request_id: 'S3REQ', id_2: 'EXT2' },
    });
    expect(JSON.stringify(recorded)).not.toContain('raw/a.txt');
  });

  it('records nothing and adds no header when the invocation is not sampled', async () => {
    answer = dynamoAnswers(200, {});
    const { client, recorded } = recordingClient();
    process.env._X_AMZN_TRACE_ID = `Root=${TRACE_ID};Parent=${PARENT_ID};Sampled=0`;
    await client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }));
    delete process.env._X_AMZN_TRACE_ID;
    await client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }));
    expect(recorded).toEqual([]);
    expect(seenTraceHeaders).toEqual([undefined, undefined]);
  });

  it('adds its middleware once however often a client is traced', async () => {
    answer = dynamoAnswers(200, {});
    const { client, recorded } = recordingClient();
    traced(client, (subsegment) => recorded.push(subsegment));
    await client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }));
    expect(recorded).toHaveLength(1);
  });
});

describe('the daemon', () => {
  it('receives each subsegment as one datagram in its protocol', async () => {
    const daemon = createSocket('udp4');
    const datagrams: string[] = [];
    daemon.on('message', (message) => datagrams.push(message.toString('utf8')));
    await new Promise<void>((resolve) => daemon.bind(0, '127.0.0.1', resolve));
    const previousAddress = process.env.AWS_XRAY_DAEMON_ADDRESS;
    process.env.AWS_XRAY_DAEMON_ADDRESS = `127.0.0.1:${daemon.address().port}`;
    try {
      answer = dynamoAnswers(200, {});
      const client = traced(new DynamoDBClient({ endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 }));
      await client.send(new GetItemCommand({ TableName: 'News', Key: { pk: { S: 'a' } } }));
      await waitFor(() => datagrams.length === 1, { description: 'one datagram at the daemon' });
      const [header, document] = datagrams[0]!.split('\n');
      expect(JSON.parse(header!)).toEqual({ format: 'json', version: 1 });
      expect(JSON.parse(document!)).toMatchObject({ name: 'DynamoDB', trace_id: TRACE_ID, parent_id: PARENT_ID });
    } finally {
      if (previousAddress === undefined) delete process.env.AWS_XRAY_DAEMON_ADDRESS;
      else process.env.AWS_XRAY_DAEMON_ADDRESS = previousAddress;
      daemon.close();
    }
  });
});
