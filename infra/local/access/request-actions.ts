/**
 * Which IAM actions on which resources a request to a local engine needs, read off the request
 * as AWS reads it: DynamoDB and EventBridge by the `X-Amz-Target` operation and the JSON body,
 * S3 by method, path (`/<bucket>/<key>`, path style) and sub-resource query. Only what the
 * handlers could plausibly send is mapped precisely; anything else still maps to an action no
 * function is granted, so it is refused rather than let through.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { AccessCheck } from './identities';

/** Where the local resources claim to be, for their ARNs. */
export interface ArnScope {
  region: string;
  account: string;
}

/** How DynamoDB authorizes the items of a transaction: each by its own action (see `TableAction`). */
const TRANSACT_ITEM_ACTIONS: Record<string, string> = {
  Put: 'dynamodb:PutItem',
  Update: 'dynamodb:UpdateItem',
  Delete: 'dynamodb:DeleteItem',
  ConditionCheck: 'dynamodb:ConditionCheckItem',
  Get: 'dynamodb:GetItem',
};

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null;

/**
 * A DynamoDB JSON request (`X-Amz-Target: DynamoDB_20120810.<Operation>`): item operations on
 * the table's ARN, Query and Scan on the index's ARN when they name one, batch operations once
 * per table they touch, transactions item by item with each item's own action.
 */
export function dynamoDbChecks(target: string | undefined, body: unknown, scope: ArnScope): AccessCheck[] {
  const operation = target?.split('.').pop() ?? '';
  const request = isObject(body) ? body : {};
  const tableArn = (name: unknown) =>
    typeof name === 'string' && name.startsWith('arn:')
      ? name
      : `arn:aws:dynamodb:${scope.region}:${scope.account}:table/${String(name)}`;
  switch (operation) {
    case 'Query':
    case 'Scan': {
      const table = tableArn(request.TableName);
      const index = request.IndexName;
      return [
        { action: `dynamodb:${operation}`, resource: typeof index === 'string' ? `${table}/index/${index}` : table },
      ];
    }
    case 'BatchGetItem':
    case 'BatchWriteItem':
      return Object.keys(isObject(request.RequestItems) ? request.RequestItems : {}).map((table) => ({
        action: `dynamodb:${operation}`,
        resource: tableArn(table),
      }));
    case 'TransactWriteItems':
    case 'TransactGetItems': {
      const items = Array.isArray(request.TransactItems) ? (request.TransactItems as unknown[]) : [];
      return items.flatMap((item) =>
        Object.entries(isObject(item) ? item : {}).map(([kind, detail]) => ({
          action: TRANSACT_ITEM_ACTIONS[kind] ?? `dynamodb:${kind}`,
          resource: tableArn(isObject(detail) ? detail.TableName : undefined),
        })),
      );
    }
    default:
      return [
        {
          action: `dynamodb:${operation}`,
          resource: request.TableName === undefined ? '*' : tableArn(request.TableName),
        },
      ];
  }
}

/** An EventBridge JSON request: PutEvents once per bus its entries name (no name: the default bus). */
export function eventBridgeChecks(target: string | undefined, body: unknown, scope: ArnScope): AccessCheck[] {
  const operation = target?.split('.').pop() ?? '';
  if (operation !== 'PutEvents') return [{ action: `events:${operation}`, resource: '*' }];
  const entries = isObject(body) && Array.isArray(body.Entries) ? (body.Entries as unknown[]) : [];
  const buses = new Set(
    entries.map((entry) => {
      const name = isObject(entry) && typeof entry.EventBusName === 'string' ? entry.EventBusName : '';
      return name.startsWith('arn:')
        ? name
        : `arn:aws:events:${scope.region}:${scope.account}:event-bus/${name === '' ? 'default' : name}`;
    }),
  );
  return [...buses].map((resource) => ({ action: 'events:PutEvents', resource }));
}

/** SQS batch operations are authorized by their single-message action. */
const SQS_BATCH_ACTIONS: Record<string, string> = {
  SendMessageBatch: 'sqs:SendMessage',
  DeleteMessageBatch: 'sqs:DeleteMessage',
  ChangeMessageVisibilityBatch: 'sqs:ChangeMessageVisibility',
};

/**
 * An SQS JSON request (`X-Amz-Target: AmazonSQS.<Operation>`): the operation's action (a batch's
 * single-message one) on the queue its `QueueUrl` (`<endpoint>/<account>/<name>`) or `QueueName`
 * names.
 */
export function sqsChecks(target: string | undefined, body: unknown, scope: ArnScope): AccessCheck[] {
  const operation = target?.split('.').pop() ?? '';
  const request = isObject(body) ? body : {};
  let account = scope.account;
  let name: string | undefined = typeof request.QueueName === 'string' ? request.QueueName : undefined;
  if (typeof request.QueueUrl === 'string') {
    const [queueAccount, queueName] = safePath(request.QueueUrl).split('/').filter(Boolean).slice(-2);
    if (queueAccount !== undefined && queueName !== undefined) [account, name] = [queueAccount, queueName];
  }
  return [
    {
      action: SQS_BATCH_ACTIONS[operation] ?? `sqs:${operation}`,
      resource: name === undefined ? '*' : `arn:aws:sqs:${scope.region}:${account}:${name}`,
    },
  ];
}

function safePath(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return '';
  }
}

/** Query keys that name a sub-resource of a bucket or object (the rest are parameters). */
const SUBRESOURCES = [
  'accelerate',
  'acl',
  'analytics',
  'attributes',
  'cors',
  'encryption',
  'intelligent-tiering',
  'inventory',
  'legal-hold',
  'lifecycle',
  'location',
  'logging',
  'metrics',
  'notification',
  'object-lock',
  'ownershipControls',
  'policy',
  'policyStatus',
  'publicAccessBlock',
  'replication',
  'requestPayment',
  'restore',
  'retention',
  'select',
  'tagging',
  'torrent',
  'uploadId',
  'uploads',
  'versioning',
  'versions',
  'website',
];

/** Whether {@link s3Checks} needs the body: only a multi-object delete names its keys there. */
export function s3NeedsBody(method: string, rawUrl: string): boolean {
  return method === 'POST' && new URLSearchParams(rawUrl.split('?')[1] ?? '').has('delete');
}

/**
 * A path-style S3 request, `/<bucket>/<key>?<sub-resource>`: object reads, writes and deletes on
 * `arn:aws:s3:::<bucket>/<key>` (a copy also reads its source), listings on the bucket's ARN.
 */
export function s3Checks(method: string, rawUrl: string, headers: IncomingHttpHeaders, body = ''): AccessCheck[] {
  const [rawPath = '', rawQuery = ''] = rawUrl.split('?');
  const query = new URLSearchParams(rawQuery);
  const segments = rawPath.replace(/^\//, '').split('/');
  const bucket = decode(segments[0] ?? '');
  const key = decode(segments.slice(1).join('/'));
  if (bucket === '') return [{ action: 's3:ListAllMyBuckets', resource: '*' }];
  const bucketArn = `arn:aws:s3:::${bucket}`;
  const subresource = SUBRESOURCES.find((name) => query.has(name));
  const pascal = (subresource ?? '').replace(/(^|-)(\w)/g, (_, _dash: string, letter: string) => letter.toUpperCase());
  const versioned = query.has('versionId');

  if (key === '') {
    const on = (action: string) => [{ action, resource: bucketArn }];
    switch (method) {
      case 'GET':
        if (subresource === 'uploads') return on('s3:ListBucketMultipartUploads');
        if (subresource === 'versions') return on('s3:ListBucketVersions');
        return on(subresource ? `s3:GetBucket${pascal}` : 's3:ListBucket');
      case 'HEAD':
        return on('s3:ListBucket');
      case 'PUT':
        return on(subresource ? `s3:PutBucket${pascal}` : 's3:CreateBucket');
      case 'DELETE':
        return on(subresource ? `s3:DeleteBucket${pascal}` : 's3:DeleteBucket');
      case 'POST': {
        if (!query.has('delete')) return [{ action: 's3:PutObject', resource: `${bucketArn}/*` }];
        // DeleteObjects: each key as its own DeleteObject (or DeleteObjectVersion), as S3 authorizes it.
        const keys = [...body.matchAll(/<Object>([\s\S]*?)<\/Object>/g)].map((match) => match[1] ?? '');
        return keys.map((object) => ({
          action: /<VersionId>/.test(object) ? 's3:DeleteObjectVersion' : 's3:DeleteObject',
          resource: `${bucketArn}/${xmlText(/<Key>([\s\S]*?)<\/Key>/.exec(object)?.[1] ?? '')}`,
        }));
      }
      default:
        return on(`s3:${method}Bucket`);
    }
  }

  const objectArn = `${bucketArn}/${key}`;
  const on = (action: string) => [{ action, resource: objectArn }];
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (subresource === 'uploadId') return on('s3:ListMultipartUploadParts');
      if (subresource && subresource !== 'torrent') return on(`s3:GetObject${versioned ? 'Version' : ''}${pascal}`);
      return on(versioned ? 's3:GetObjectVersion' : 's3:GetObject');
    case 'PUT': {
      if (subresource && subresource !== 'uploadId') return on(`s3:PutObject${versioned ? 'Version' : ''}${pascal}`);
      const copySource = headerValue(headers['x-amz-copy-source']);
      return copySource === undefined ? on('s3:PutObject') : [...on('s3:PutObject'), copySourceCheck(copySource)];
    }
    case 'DELETE':
      if (subresource === 'uploadId') return on('s3:AbortMultipartUpload');
      if (subresource) return on(`s3:DeleteObject${versioned ? 'Version' : ''}${pascal}`);
      return on(versioned ? 's3:DeleteObjectVersion' : 's3:DeleteObject');
    case 'POST':
      if (subresource === 'restore') return on('s3:RestoreObject');
      if (subresource === 'select') return on('s3:GetObject');
      return on('s3:PutObject');
    default:
      return on(`s3:${method}Object`);
  }
}

/** `x-amz-copy-source: /<bucket>/<key>[?versionId=…]`, URL-encoded: reading the source. */
function copySourceCheck(copySource: string): AccessCheck {
  const [path = '', query = ''] = copySource.split('?');
  const [bucket = '', ...key] = decode(path.replace(/^\//, '')).split('/');
  const action = new URLSearchParams(query).has('versionId') ? 's3:GetObjectVersion' : 's3:GetObject';
  return { action, resource: `arn:aws:s3:::${bucket}/${key.join('/')}` };
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function xmlText(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}
