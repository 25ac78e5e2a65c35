/**
 * The local stack's grant enforcement, without engines: which IAM actions a request needs, which
 * a function's declared needs allow, and how a refusal looks to the unmodified SDK clients (a
 * stub stands in for the engine behind the guard).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { policyFor, streamRoutingStatement, type NeededArns } from '../../../infra/needs';
import { startAccessGuard, type AccessDenial, type AccessGuard } from '../../../infra/local/access/access-guard';
import {
  IdentityRegistry,
  isAllowed,
  localIdentity,
  type AccessCheck,
  type LocalIdentity,
} from '../../../infra/local/access/identities';
import { dynamoDbChecks, eventBridgeChecks, s3Checks, sqsChecks } from '../../../infra/local/access/request-actions';
import { startSecretsExtension, type SecretsExtension } from '../../../infra/local/access/secrets-extension';
import { LOCAL_CREDENTIALS } from '../../../infra/local/engines/local-clients';
import { localArns } from '../../../infra/local/function-environment';
import { topology, type ResourceNeeds } from '../../../infra/topology';
import { readSecretString } from '../../../shared/adapters/aws/secrets-extension';

const scope = { region: 'us-east-1', account: '000000000000' };
const names = {
  table: 'news',
  bucket: 'news-bucket',
  bus: 'news-bus',
  readerHashKey: 'news-key',
  readerTokenKey: 'news-token-key',
  siteTokenSecret: 'news-site-secret',
};
const arns: NeededArns = localArns(names);
const TABLE = arns.table;

const declared = (name: string): ResourceNeeds => {
  const fn = topology.functions.find((candidate) => candidate.name === name);
  if (!fn) throw new Error(`No function ${name}`);
  return fn.needs;
};
const identityOf = (name: string, needs: ResourceNeeds = declared(name)) => localIdentity(name, policyFor(needs, arns));
const allows = (identity: LocalIdentity, check: AccessCheck) => isAllowed(identity.statements, check);

describe('the IAM actions a request needs', () => {
  it.each([
    ['GetItem', { TableName: 'news' }, [['dynamodb:GetItem', TABLE]]],
    ['PutItem', { TableName: 'news' }, [['dynamodb:PutItem', TABLE]]],
    ['Query', { TableName: 'news' }, [['dynamodb:Query', TABLE]]],
    ['Query', { TableName: 'news', IndexName: 'gsi1' }, [['dynamodb:Query', `${TABLE}/index/gsi1`]]],
    ['Scan', { TableName: 'news', IndexName: 'gsi2' }, [['dynamodb:Scan', `${TABLE}/index/gsi2`]]],
    [
      'BatchGetItem',
      { RequestItems: { news: {}, other: {} } },
      [
        ['dynamodb:BatchGetItem', TABLE],
        ['dynamodb:BatchGetItem', TABLE.replace('news', 'other')],
      ],
    ],
    ['BatchWriteItem', { RequestItems: { news: [] } }, [['dynamodb:BatchWriteItem', TABLE]]],
    ['DescribeTable', { TableName: 'news' }, [['dynamodb:DescribeTable', TABLE]]],
    ['ListTables', {}, [['dynamodb:ListTables', '*']]],
  ])('DynamoDB %s %j', (operation, body, expected) => {
    expect(dynamoDbChecks(`DynamoDB_20120810.${operation}`, body, scope)).toEqual(
      expected.map(([action, resource]) => ({ action, resource })),
    );
  });

  it('authorizes each item of a transaction by its own action, as DynamoDB does', () => {
    const body = {
      TransactItems: [
        { Put: { TableName: 'news' } },
        { Update: { TableName: 'news' } },
        { Delete: { TableName: 'news' } },
        { ConditionCheck: { TableName: 'news' } },
      ],
    };

    expect(dynamoDbChecks('DynamoDB_20120810.TransactWriteItems', body, scope).map((c) => c.action)).toEqual([
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
      'dynamodb:DeleteItem',
      'dynamodb:ConditionCheckItem',
    ]);
    expect(
      dynamoDbChecks('DynamoDB_20120810.TransactGetItems', { TransactItems: [{ Get: { TableName: 'news' } }] }, scope),
    ).toEqual([{ action: 'dynamodb:GetItem', resource: TABLE }]);
  });

  it.each([
    ['GET', '/news-bucket/articles/a%20b.json', {}, [['s3:GetObject', 'arn:aws:s3:::news-bucket/articles/a b.json']]],
    ['HEAD', '/news-bucket/raw/x/y.txt', {}, [['s3:GetObject', 'arn:aws:s3:::news-bucket/raw/x/y.txt']]],
    ['GET', '/news-bucket/k?versionId=1', {}, [['s3:GetObjectVersion', 'arn:aws:s3:::news-bucket/k']]],
    ['PUT', '/news-bucket/receipts/r.json', {}, [['s3:PutObject', 'arn:aws:s3:::news-bucket/receipts/r.json']]],
    [
      'PUT',
      '/news-bucket/rejected/x.txt',
      { 'x-amz-copy-source': 'news-bucket/incoming/x%2B1.txt' },
      [
        ['s3:PutObject', 'arn:aws:s3:::news-bucket/rejected/x.txt'],
        ['s3:GetObject', 'arn:aws:s3:::news-bucket/incoming/x+1.txt'],
      ],
    ],
    ['PUT', '/news-bucket/k?tagging', {}, [['s3:PutObjectTagging', 'arn:aws:s3:::news-bucket/k']]],
    ['DELETE', '/news-bucket/incoming/x.txt', {}, [['s3:DeleteObject', 'arn:aws:s3:::news-bucket/incoming/x.txt']]],
    ['DELETE', '/news-bucket/k?uploadId=u', {}, [['s3:AbortMultipartUpload', 'arn:aws:s3:::news-bucket/k']]],
    ['POST', '/news-bucket/k?uploads', {}, [['s3:PutObject', 'arn:aws:s3:::news-bucket/k']]],
    ['GET', '/news-bucket?list-type=2&prefix=raw/', {}, [['s3:ListBucket', 'arn:aws:s3:::news-bucket']]],
    ['GET', '/news-bucket?location', {}, [['s3:GetBucketLocation', 'arn:aws:s3:::news-bucket']]],
    ['PUT', '/news-bucket', {}, [['s3:CreateBucket', 'arn:aws:s3:::news-bucket']]],
    ['GET', '/', {}, [['s3:ListAllMyBuckets', '*']]],
  ])('S3 %s %s %j', (method, url, headers, expected) => {
    expect(s3Checks(method, url, headers)).toEqual(expected.map(([action, resource]) => ({ action, resource })));
  });

  it('authorizes each key of a multi-object delete as its own DeleteObject', () => {
    const body =
      '<Delete><Object><Key>incoming/a.txt</Key></Object><Object><Key>raw/b&amp;c</Key><VersionId>v</VersionId></Object></Delete>';

    expect(s3Checks('POST', '/news-bucket?delete', {}, body)).toEqual([
      { action: 's3:DeleteObject', resource: 'arn:aws:s3:::news-bucket/incoming/a.txt' },
      { action: 's3:DeleteObjectVersion', resource: 'arn:aws:s3:::news-bucket/raw/b&c' },
    ]);
  });

  it('puts events on each bus the entries name, the default bus when they name none', () => {
    const body = { Entries: [{ EventBusName: 'news-bus' }, { EventBusName: 'news-bus' }, {}] };

    expect(eventBridgeChecks('AWSEvents.PutEvents', body, scope)).toEqual([
      { action: 'events:PutEvents', resource: arns.bus },
      { action: 'events:PutEvents', resource: 'arn:aws:events:us-east-1:000000000000:event-bus/default' },
    ]);
    expect(eventBridgeChecks('AWSEvents.ListRules', {}, scope)).toEqual([
      { action: 'events:ListRules', resource: '*' },
    ]);
  });
});

describe('the IAM actions an SQS request needs', () => {
  const queueArn = 'arn:aws:sqs:us-east-1:000000000000:news-feature.fifo';

  it('authorizes a batch by its single-message action, on the queue its URL names', () => {
    const QueueUrl = 'http://127.0.0.1:4566/000000000000/news-feature.fifo';

    expect(sqsChecks('AmazonSQS.SendMessageBatch', { QueueUrl, Entries: [] }, scope)).toEqual([
      { action: 'sqs:SendMessage', resource: queueArn },
    ]);
    expect(sqsChecks('AmazonSQS.DeleteMessageBatch', { QueueUrl }, scope)).toEqual([
      { action: 'sqs:DeleteMessage', resource: queueArn },
    ]);
    expect(sqsChecks('AmazonSQS.GetQueueUrl', { QueueName: 'news-feature.fifo' }, scope)).toEqual([
      { action: 'sqs:GetQueueUrl', resource: queueArn },
    ]);
    expect(sqsChecks('AmazonSQS.ListQueues', {}, scope)).toEqual([{ action: 'sqs:ListQueues', resource: '*' }]);
  });

  it('lets the router send to the queues it routes to and no other, and nobody else send at all', () => {
    const router = localIdentity('route-stream-records', [
      ...policyFor(declared('route-stream-records'), arns),
      streamRoutingStatement([queueArn]),
    ]);

    expect(allows(router, { action: 'sqs:SendMessage', resource: queueArn })).toBe(true);
    expect(allows(router, { action: 'sqs:SendMessage', resource: `${queueArn}-other` })).toBe(false);
    expect(allows(router, { action: 'sqs:ReceiveMessage', resource: queueArn })).toBe(false);
    expect(allows(identityOf('post-comment'), { action: 'sqs:SendMessage', resource: queueArn })).toBe(false);
  });
});

describe('what a function may do, from its declared needs', () => {
  it('allows the declared table operations and nothing else', () => {
    const getArticle = identityOf('get-article');

    expect(allows(getArticle, { action: 'dynamodb:GetItem', resource: TABLE })).toBe(true);
    expect(allows(getArticle, { action: 'dynamodb:BatchGetItem', resource: TABLE })).toBe(true);
    expect(allows(getArticle, { action: 'dynamodb:PutItem', resource: TABLE })).toBe(false);
    expect(allows(getArticle, { action: 'dynamodb:Query', resource: `${TABLE}/index/gsi1` })).toBe(false);
    expect(allows(getArticle, { action: 'dynamodb:GetItem', resource: `${TABLE}-other` })).toBe(false);
  });

  it('allows index queries on the indexes only, not on the table', () => {
    const listArticles = identityOf('list-articles');

    expect(allows(listArticles, { action: 'dynamodb:Query', resource: `${TABLE}/index/feed` })).toBe(true);
    expect(allows(listArticles, { action: 'dynamodb:Query', resource: TABLE })).toBe(false);
  });

  it('allows object actions under the declared prefixes only', () => {
    const ingest = identityOf('ingest-object');
    const object = (key: string) => `${arns.bucket}/${key}`;

    expect(allows(ingest, { action: 's3:GetObject', resource: object('incoming/a.txt') })).toBe(true);
    expect(allows(ingest, { action: 's3:DeleteObject', resource: object('incoming/a.txt') })).toBe(true);
    expect(allows(ingest, { action: 's3:PutObject', resource: object('raw/a/b.txt') })).toBe(true);
    expect(allows(ingest, { action: 's3:DeleteObject', resource: object('raw/a/b.txt') })).toBe(false);
    expect(allows(ingest, { action: 's3:PutObject', resource: object('incoming/a.txt') })).toBe(false);
    expect(allows(ingest, { action: 's3:GetObject', resource: object('receipts/a.json') })).toBe(false);
    expect(allows(ingest, { action: 's3:ListBucket', resource: arns.bucket })).toBe(true);
    expect(allows(identityOf('get-article'), { action: 's3:GetObject', resource: object('articles/a.json') })).toBe(
      false,
    );
  });

  it('allows the bus and the secret only to the functions that declare them', () => {
    expect(allows(identityOf('ingest-object'), { action: 'events:PutEvents', resource: arns.bus })).toBe(true);
    expect(allows(identityOf('get-article'), { action: 'events:PutEvents', resource: arns.bus })).toBe(false);
    const read = { action: 'secretsmanager:GetSecretValue', resource: arns.readerHashKey };
    expect(allows(identityOf('cast-poll-vote'), read)).toBe(true);
    expect(allows(identityOf('list-articles'), read)).toBe(false);
  });

  it('gives every function an access key of letters and digits only, as DynamoDB Local requires', () => {
    const identities = topology.functions.map((fn) => identityOf(fn.name));

    expect(identities.every((identity) => /^[A-Z0-9]+$/.test(identity.accessKeyId))).toBe(true);
    expect(() => new IdentityRegistry(identities)).not.toThrow();
  });
});

describe('a refusal, as the SDK clients see it', () => {
  const reader = identityOf('probe', {
    table: { actions: ['get'] },
    bucket: [{ prefix: 'articles/', actions: ['read'] }],
  });
  const publisher = identityOf('publisher', { publishEvents: true, readerHashKey: true });
  const queueArn = 'arn:aws:sqs:us-east-1:000000000000:news-feature.fifo';
  const router = localIdentity('router', [streamRoutingStatement([queueArn])]);
  const registry = new IdentityRegistry([reader, publisher, router]);
  const denials: AccessDenial[] = [];
  let upstream: Server;
  let guards: Record<'dynamodb' | 's3' | 'events' | 'sqs', AccessGuard>;

  beforeAll(async () => {
    // The engine behind the guard: any request that reaches it succeeds.
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        const target = String(req.headers['x-amz-target'] ?? '');
        const json = target.startsWith('AWSEvents')
          ? '{"FailedEntryCount":0,"Entries":[{"EventId":"1"}]}'
          : target.startsWith('AmazonSQS')
            ? '{"Successful":[{"Id":"1","MessageId":"m1","MD5OfMessageBody":"99914b932bd37a50b983c5e7c90ae93b"}],"Failed":[]}'
            : '{}';
        res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', etag: '"abc"' });
        res.end(req.method === 'HEAD' || target === '' ? '' : json);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const engine = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    const start = (service: 'dynamodb' | 's3' | 'events' | 'sqs') =>
      startAccessGuard({
        service,
        upstream: engine,
        identities: registry,
        scope,
        onDenied: (d) => denials.push(d),
      });
    guards = {
      dynamodb: await start('dynamodb'),
      s3: await start('s3'),
      events: await start('events'),
      sqs: await start('sqs'),
    };
  });

  afterAll(async () => {
    await Promise.all(Object.values(guards).map((guard) => guard.stop()));
    await new Promise((resolve) => upstream.close(resolve));
  });

  const credentialsOf = (identity: LocalIdentity | 'admin' | 'unknown') =>
    identity === 'admin'
      ? { ...LOCAL_CREDENTIALS }
      : identity === 'unknown'
        ? { accessKeyId: 'NOBODY', secretAccessKey: 'x' }
        : {
            accessKeyId: identity.accessKeyId,
            secretAccessKey: identity.secretAccessKey,
            sessionToken: identity.sessionToken,
          };
  const dynamo = (who: Parameters<typeof credentialsOf>[0]) =>
    new DynamoDBClient({
      region: 'us-east-1',
      endpoint: guards.dynamodb.endpoint,
      credentials: credentialsOf(who),
      maxAttempts: 1,
    });
  const s3 = (who: Parameters<typeof credentialsOf>[0]) =>
    new S3Client({
      region: 'us-east-1',
      endpoint: guards.s3.endpoint,
      forcePathStyle: true,
      credentials: credentialsOf(who),
      maxAttempts: 1,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const events = (who: Parameters<typeof credentialsOf>[0]) =>
    new EventBridgeClient({
      region: 'us-east-1',
      endpoint: guards.events.endpoint,
      credentials: credentialsOf(who),
      maxAttempts: 1,
    });
  const failure = async (send: Promise<unknown>) => {
    const error = (await send.then(
      () => undefined,
      (e: unknown) => e,
    )) as { name: string; message: string; $metadata?: { httpStatusCode?: number } } | undefined;
    return error && { name: error.name, status: error.$metadata?.httpStatusCode, message: error.message };
  };
  const key = { pk: { S: 'A' }, sk: { S: 'B' } };

  it('DynamoDB: 400 AccessDeniedException naming the caller, the action and the table', async () => {
    await expect(dynamo(reader).send(new GetItemCommand({ TableName: 'news', Key: key }))).resolves.toBeDefined();
    expect(await failure(dynamo(reader).send(new PutItemCommand({ TableName: 'news', Item: key })))).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/probe-role/local-probe is not authorized to perform: ' +
        `dynamodb:PutItem on resource: ${TABLE} because no identity-based policy allows the dynamodb:PutItem action`,
    });
    expect(denials).toContainEqual({ functionName: 'probe', action: 'dynamodb:PutItem', resource: TABLE });
  });

  it('DynamoDB: a transaction is refused for its one undeclared item', async () => {
    const transaction = new TransactWriteItemsCommand({
      TransactItems: [{ ConditionCheck: { TableName: 'news', Key: key, ConditionExpression: 'attribute_exists(pk)' } }],
    });

    expect(await failure(dynamo(reader).send(transaction))).toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('dynamodb:ConditionCheckItem'),
    });
  });

  it('S3: 403 AccessDenied for an undeclared action or prefix; a HEAD gets the bare 403', async () => {
    await expect(
      s3(reader).send(new GetObjectCommand({ Bucket: 'news-bucket', Key: 'articles/a.json' })),
    ).resolves.toBeDefined();
    expect(
      await failure(
        s3(reader).send(new PutObjectCommand({ Bucket: 'news-bucket', Key: 'articles/a.json', Body: 'x' })),
      ),
    ).toEqual({
      name: 'AccessDenied',
      status: 403,
      message:
        'User: arn:aws:sts::000000000000:assumed-role/probe-role/local-probe is not authorized to perform: ' +
        's3:PutObject on resource: "arn:aws:s3:::news-bucket/articles/a.json" because no identity-based policy ' +
        'allows the s3:PutObject action',
    });
    expect(
      await failure(s3(reader).send(new GetObjectCommand({ Bucket: 'news-bucket', Key: 'raw/a.txt' }))),
    ).toMatchObject({
      name: 'AccessDenied',
      status: 403,
    });
    expect(
      await failure(s3(reader).send(new HeadObjectCommand({ Bucket: 'news-bucket', Key: 'raw/a.txt' }))),
    ).toMatchObject({
      status: 403,
    });
  });

  it('EventBridge: 400 AccessDeniedException for a function that does not publish', async () => {
    const put = () =>
      new PutEventsCommand({ Entries: [{ EventBusName: 'news-bus', Source: 's', DetailType: 'd', Detail: '{}' }] });

    await expect(events(publisher).send(put())).resolves.toMatchObject({ FailedEntryCount: 0 });
    expect(await failure(events(reader).send(put()))).toEqual({
      name: 'AccessDeniedException',
      status: 400,
      message: expect.stringContaining(`events:PutEvents on resource: ${arns.bus}`),
    });
  });

  it('SQS: 403 AccessDenied for a function that does not route to the queue', async () => {
    const sqs = (who: Parameters<typeof credentialsOf>[0]) =>
      new SQSClient({
        region: 'us-east-1',
        endpoint: guards.sqs.endpoint,
        credentials: credentialsOf(who),
        maxAttempts: 1,
      });
    const send = () =>
      new SendMessageBatchCommand({
        QueueUrl: `${guards.sqs.endpoint}/000000000000/news-feature.fifo`,
        Entries: [{ Id: '1', MessageBody: '{}', MessageGroupId: 'g', MessageDeduplicationId: 'd' }],
      });

    await expect(sqs(router).send(send())).resolves.toMatchObject({ Failed: [] });
    expect(await failure(sqs(reader).send(send()))).toEqual({
      name: 'AccessDenied',
      status: 403,
      message: expect.stringContaining(`sqs:SendMessage on resource: ${queueArn}`),
    });
    expect(denials).toContainEqual({ functionName: 'probe', action: 'sqs:SendMessage', resource: queueArn });
  });

  it("lets the host's own key through and refuses a key no function holds, as AWS refuses an unknown key", async () => {
    await expect(dynamo('admin').send(new PutItemCommand({ TableName: 'news', Item: key }))).resolves.toBeDefined();
    expect(await failure(dynamo('unknown').send(new GetItemCommand({ TableName: 'news', Key: key })))).toMatchObject({
      name: 'UnrecognizedClientException',
      status: 400,
    });
    expect(
      await failure(s3('unknown').send(new GetObjectCommand({ Bucket: 'news-bucket', Key: 'articles/a' }))),
    ).toMatchObject({
      name: 'InvalidAccessKeyId',
      status: 403,
    });
    expect(await failure(events('unknown').send(new PutEventsCommand({ Entries: [] })))).toMatchObject({
      name: 'UnrecognizedClientException',
    });
  });
});

describe('the secrets extension imitation', () => {
  const reader = identityOf('cast-poll-vote');
  const other = identityOf('list-articles');
  let extension: SecretsExtension;

  beforeAll(async () => {
    extension = await startSecretsExtension({
      secrets: [{ arn: arns.readerHashKey, name: names.readerHashKey, value: 'the-key' }],
      identities: new IdentityRegistry([reader, other]),
    });
  });

  afterAll(() => extension.stop());

  const envOf = (identity: LocalIdentity | undefined) => ({
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port),
    ...(identity ? { AWS_SESSION_TOKEN: identity.sessionToken } : {}),
  });
  const get = (token: string | undefined, secretId: string) =>
    fetch(`http://127.0.0.1:${extension.port}/secretsmanager/get?secretId=${encodeURIComponent(secretId)}`, {
      headers: token === undefined ? {} : { 'X-Aws-Parameters-Secrets-Token': token },
    });

  it('serves the secret, by ARN or by name, to a function that declares it, as the handlers read it', async () => {
    await expect(readSecretString(arns.readerHashKey, envOf(reader))).resolves.toBe('the-key');
    const byName = await get(reader.sessionToken, names.readerHashKey);
    expect(await byName.json()).toMatchObject({
      ARN: arns.readerHashKey,
      Name: names.readerHashKey,
      SecretString: 'the-key',
    });
  });

  it("refuses a function that does not declare it with Secrets Manager's AccessDeniedException", async () => {
    const reply = await get(other.sessionToken, arns.readerHashKey);

    expect(reply.status).toBe(400);
    expect(await reply.json()).toEqual({
      __type: 'AccessDeniedException',
      Message:
        'User: arn:aws:sts::000000000000:assumed-role/list-articles-role/local-list-articles is not authorized to ' +
        `perform: secretsmanager:GetSecretValue on resource: ${arns.readerHashKey} because no identity-based policy ` +
        'allows the secretsmanager:GetSecretValue action',
    });
    await expect(readSecretString(arns.readerHashKey, envOf(other))).rejects.toThrow('HTTP 400');
  });

  it('refuses a caller without a known session token with 401', async () => {
    expect((await get(undefined, arns.readerHashKey)).status).toBe(401);
    expect((await get('forged', arns.readerHashKey)).status).toBe(401);
  });
});
