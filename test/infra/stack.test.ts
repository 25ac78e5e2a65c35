/**
 * CDK assertions on the synthesized stack. Every function in the topology is walked, so a
 * function added there is checked here without touching this file. Bundling is skipped
 * (`aws:cdk:bundling-stacks: []`), but `NodejsFunction` still requires each entry file
 * (`functions/<name>/handler.ts`) to exist.
 */
import { EDITOR_GROUP } from '../../shared/http/caller';
import { type CfnResource } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { ENV } from '../../shared/config';
import { EVENT_SOURCE } from '../../shared/events/catalog';
import { BUCKET_PREFIXES } from '../../shared/store/bucket-layout';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../../shared/store/table-design';
import { NewsroomStack, type NewsroomStackProps } from '../../infra/stack';
import {
  isHttp,
  MAX_FILTER_PATTERNS,
  ROUTE_THROTTLES,
  routerFilters,
  STAGE_THROTTLE,
  topology,
  type EventTrigger,
  type FunctionDeclaration,
  type ObjectAction,
  type QueueTrigger,
  type S3Trigger,
  type StreamTrigger,
  type Topology,
} from '../../infra/topology';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

interface Synthesized {
  stack: NewsroomStack;
  template: Template;
  resources: Record<string, Json>;
}

function synthesize(props: NewsroomStackProps = {}): Synthesized {
  const app = testApp();
  const stack = new NewsroomStack(app, 'Newsroom', props);
  const template = Template.fromStack(stack);
  return { stack, template, resources: template.toJSON().Resources };
}

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

/** The one resource of a type whose logical id starts with `prefix` (the stack has two secrets). */
function resourceIdNamed(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function onlyResourceId(template: Template, type: string): string {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function logicalIdOf({ stack }: Synthesized, construct: { node: { defaultChild?: unknown } }): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnResource);
}

function functionId({ stack }: Synthesized, name: string): string {
  const fn = stack.functions.get(name);
  if (!fn) throw new Error(`No function ${name} in the stack`);
  return stack.getLogicalId(fn.node.defaultChild as CfnFunction);
}

/** The statements of every policy attached to the role the function (by logical id) runs as. */
function roleStatementsOf({ resources }: Synthesized, fnLogicalId: string): Json[] {
  const roleArn = resources[fnLogicalId]!.Properties.Role;
  const roleId: string = roleArn['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
    .filter((statement) => statement.Effect === 'Allow');
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function actionsOf(statements: Json[]): Set<string> {
  return new Set(statements.flatMap((s) => asList<string>(s.Action)));
}

/** Object-level S3 actions by key pattern (`incoming/*`), read off `<bucket arn>/<pattern>` resources. */
function objectActionsByKeyPattern(statements: Json[], bucketId: string): Map<string, Set<string>> {
  const byPattern = new Map<string, Set<string>>();
  for (const statement of statements) {
    for (const resource of asList<Json | string>(statement.Resource)) {
      const parts = typeof resource === 'object' ? resource['Fn::Join']?.[1] : undefined;
      if (!Array.isArray(parts) || parts[0]?.['Fn::GetAtt']?.[0] !== bucketId) continue;
      const pattern = String(parts[1]).replace(/^\//, '');
      const actions = byPattern.get(pattern) ?? new Set<string>();
      for (const action of asList<string>(statement.Action)) actions.add(action);
      byPattern.set(pattern, actions);
    }
  }
  return byPattern;
}

/**
 * The DynamoDB actions each function may use, on the table itself and on its indexes, written
 * out here rather than read from the topology: a grant the stack adds beyond these, or a
 * declaration widened without this list, fails. Each list is what the function's handler sends
 * (see its adapters in shared/adapters); a transaction is authorized per item, by the action of
 * each item in it. No function scans, and a public GET route never writes.
 */
const TABLE_USE: Record<string, { table: readonly string[]; indexes: readonly string[] }> = {
  'ingest-object': { table: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'create-article': { table: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'list-articles': { table: ['dynamodb:BatchGetItem'], indexes: ['dynamodb:Query'] },
  'get-article': { table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], indexes: [] },
  'publish-article-changes': { table: [], indexes: [] },
  'submit-error-report': { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'list-error-reports': { table: [], indexes: ['dynamodb:Query'] },
  'get-error-report': { table: ['dynamodb:BatchGetItem'], indexes: [] },
  'update-error-report': { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'follow-up-error-reports': { table: ['dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'publish-corrections': { table: ['dynamodb:BatchGetItem'], indexes: [] },
  'issue-reader-token': { table: ['dynamodb:UpdateItem'], indexes: [] },
  // The author's edit: the comment and the replaced text in one transaction, and the posting limit.
  'edit-own-comment': { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'delete-own-comment': { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], indexes: [] },
  // The list of bans in force (a consistent GetItem), then a transaction of two puts: the list and the history entry.
  'ban-reader': { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], indexes: [] },
  'unban-reader': { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], indexes: [] },
  // The ban list, the reader's ban history and replaced texts, and their comments and flags on gsi3.
  'get-reader-record': { table: ['dynamodb:GetItem', 'dynamodb:Query'], indexes: ['dynamodb:Query'] },
  'post-comment': {
    table: [
      'dynamodb:BatchGetItem',
      'dynamodb:DeleteItem',
      'dynamodb:GetItem',
      'dynamodb:PutItem',
      'dynamodb:UpdateItem',
    ],
    indexes: [],
  },
  'list-comments': { table: ['dynamodb:BatchGetItem'], indexes: ['dynamodb:Query'] },
  'list-comment-replies': { table: ['dynamodb:GetItem'], indexes: ['dynamodb:Query'] },
  'vote-on-comment': { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], indexes: [] },
  'flag-comment': { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], indexes: [] },
  // The queue and both counts on gsi1; the stories' headings and the parent comments.
  'list-moderation-queue': { table: ['dynamodb:BatchGetItem'], indexes: ['dynamodb:Query'] },
  'moderate-comment': { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], indexes: [] },
  'change-comment-settings': { table: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'], indexes: [] },
  'process-comment-changes': { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'get-poll-results': { table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem'], indexes: [] },
  // No UpdateItem: votes are no longer rate limited per source (reader token issuance is).
  'cast-poll-vote': { table: ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem'], indexes: [] },
  'aggregate-poll-votes': { table: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  'publish-poll-tallies': { table: ['dynamodb:BatchGetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'], indexes: [] },
  // The comment or corrections it announces (consistent GetItem), and the coalescing slots (an
  // UpdateItem, or a transaction of two updates for a comment).
  'publish-live-updates': { table: ['dynamodb:GetItem', 'dynamodb:UpdateItem'], indexes: [] },
  // The reported story's headline (a projected GetItem), then the alert, put once per event id.
  'record-editor-alerts': { table: ['dynamodb:GetItem', 'dynamodb:PutItem'], indexes: [] },
  // The alerts list is a partition of gsi1.
  'list-editor-alerts': { table: [], indexes: ['dynamodb:Query'] },
  'list-top-polls': { table: ['dynamodb:BatchGetItem'], indexes: ['dynamodb:Query'] },
  'get-openapi': { table: [], indexes: [] },
  'route-stream-records': { table: [], indexes: [] },
};

/** What reading the table stream takes; the stream trigger adds it, and only stream consumers hold it. */
const STREAM_READ_ACTIONS = [
  'dynamodb:DescribeStream',
  'dynamodb:GetRecords',
  'dynamodb:GetShardIterator',
  'dynamodb:ListStreams',
];

const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/** DynamoDB actions by the resource they are allowed on: the table, its indexes, its stream, or anything else. */
function dynamoActionsByResource(
  statements: Json[],
  tableId: string,
): Record<'table' | 'indexes' | 'stream' | 'other', string[]> {
  const tableArn = JSON.stringify(arnOf(tableId));
  const indexesArn = JSON.stringify({ 'Fn::Join': ['', [arnOf(tableId), '/index/*']] });
  const streamArn = JSON.stringify({ 'Fn::GetAtt': [tableId, 'StreamArn'] });
  const byResource = {
    table: new Set<string>(),
    indexes: new Set<string>(),
    stream: new Set<string>(),
    other: new Set<string>(),
  };
  const kindOf = (resource: string): keyof typeof byResource => {
    if (resource === tableArn) return 'table';
    if (resource === indexesArn) return 'indexes';
    return resource === streamArn ? 'stream' : 'other';
  };
  for (const statement of statements) {
    const actions = asList<string>(statement.Action).filter((action) => action.startsWith('dynamodb:'));
    for (const resource of asList<unknown>(statement.Resource)) {
      for (const action of actions) byResource[kindOf(JSON.stringify(resource))].add(action);
    }
  }
  const sorted = (set: Set<string>) => [...set].sort();
  return {
    table: sorted(byResource.table),
    indexes: sorted(byResource.indexes),
    stream: sorted(byResource.stream),
    other: sorted(byResource.other),
  };
}

const OBJECT_ACTIONS: Record<ObjectAction, string> = {
  read: 's3:GetObject*',
  write: 's3:PutObject',
  delete: 's3:DeleteObject*',
};

describe('NewsroomStack from the real topology', () => {
  const synthesized = synthesize();
  const { template, resources } = synthesized;
  const bucketId = logicalIdOf(synthesized, synthesized.stack.bucket);
  const accessLogsBucketId = logicalIdOf(synthesized, synthesized.stack.accessLogsBucket);
  const widgetBucketId = logicalIdOf(synthesized, synthesized.stack.cdn.widgetBucket);
  const tableId = onlyResourceId(template, 'AWS::DynamoDB::GlobalTable');
  const busId = onlyResourceId(template, 'AWS::Events::EventBus');
  const authorizerId = onlyResourceId(template, 'AWS::ApiGatewayV2::Authorizer');

  describe('bucket', () => {
    it('is the only bucket beside its access log bucket and the widget’s', () => {
      expect(Object.keys(template.findResources('AWS::S3::Bucket')).sort()).toEqual(
        [accessLogsBucketId, bucketId, widgetBucketId].sort(),
      );
    });

    it('blocks public access, is versioned, encrypted and retained', () => {
      expect(resources[bucketId]).toMatchObject({
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          VersioningConfiguration: { Status: 'Enabled' },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
        },
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
    });

    it('expires receipts after 7 days and noncurrent versions after 90', () => {
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({ Prefix: BUCKET_PREFIXES.receipts, ExpirationInDays: 7, Status: 'Enabled' }),
            Match.objectLike({ NoncurrentVersionExpiration: { NoncurrentDays: 90 }, Status: 'Enabled' }),
          ]),
        },
      });
    });

    it('denies every request that is not over TLS', () => {
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: ref(bucketId),
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
    });

    it('logs server access to the access log bucket', () => {
      expect(resources[bucketId]!.Properties.LoggingConfiguration).toEqual({
        DestinationBucketName: ref(accessLogsBucketId),
        LogFilePrefix: 'bucket/',
      });
    });

    it('keeps access logs 90 days in a private, encrypted, retained bucket only S3 log delivery writes to', () => {
      expect(resources[accessLogsBucketId]).toMatchObject({
        Properties: {
          PublicAccessBlockConfiguration: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
          BucketEncryption: {
            ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
          },
          LifecycleConfiguration: {
            Rules: [expect.objectContaining({ ExpirationInDays: 90, Status: 'Enabled' })],
          },
        },
        DeletionPolicy: 'Retain',
      });
      const statements = Object.values(template.findResources('AWS::S3::BucketPolicy'))
        .filter((policy) => policy.Properties.Bucket.Ref === accessLogsBucketId)
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const allows = statements.filter((statement) => statement.Effect === 'Allow');
      expect(allows).toEqual(
        [bucketId, widgetBucketId].map((source) =>
          expect.objectContaining({
            Action: 's3:PutObject',
            Principal: { Service: 'logging.s3.amazonaws.com' },
            Condition: expect.objectContaining({ ArnLike: { 'aws:SourceArn': arnOf(source) } }),
          }),
        ),
      );
    });
  });

  describe('table', () => {
    it('is on-demand with point-in-time recovery, a new-and-old-images stream and TTL, and is retained', () => {
      template.hasResource('AWS::DynamoDB::GlobalTable', {
        Properties: {
          BillingMode: 'PAY_PER_REQUEST',
          KeySchema: [
            { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
            { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
          ],
          StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
          TimeToLiveSpecification: { AttributeName: TABLE_KEYS.timeToLive, Enabled: true },
          Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
        },
        DeletionPolicy: 'Retain',
      });
    });

    it('has exactly the four indexes, gsi3 (what editors look up by reader) added last, one per deploy', () => {
      const [table] = Object.values(template.findResources('AWS::DynamoDB::GlobalTable'));
      const indexes = (table!.Properties.GlobalSecondaryIndexes as { IndexName: string; KeySchema: unknown }[]).map(
        (index) => [index.IndexName, index.KeySchema],
      );
      expect(indexes).toEqual([
        [
          'feed',
          [
            { AttributeName: 'feedPk', KeyType: 'HASH' },
            { AttributeName: 'feedSk', KeyType: 'RANGE' },
          ],
        ],
        [
          'gsi1',
          [
            { AttributeName: 'gsi1pk', KeyType: 'HASH' },
            { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
          ],
        ],
        [
          'gsi2',
          [
            { AttributeName: 'gsi2pk', KeyType: 'HASH' },
            { AttributeName: 'gsi2sk', KeyType: 'RANGE' },
          ],
        ],
        [
          'gsi3',
          [
            { AttributeName: 'gsi3pk', KeyType: 'HASH' },
            { AttributeName: 'gsi3sk', KeyType: 'RANGE' },
          ],
        ],
      ]);
    });

    it.each(GLOBAL_INDEXES.map((index) => [index.indexName, index] as const))(
      'has the %s index with its declared projection',
      (_name, index) => {
        template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
          GlobalSecondaryIndexes: Match.arrayWith([
            {
              IndexName: index.indexName,
              KeySchema: [
                { AttributeName: index.partitionKey, KeyType: 'HASH' },
                { AttributeName: index.sortKey, KeyType: 'RANGE' },
              ],
              Projection: index.nonKeyAttributes
                ? { ProjectionType: 'INCLUDE', NonKeyAttributes: [...index.nonKeyAttributes] }
                : { ProjectionType: 'ALL' },
            },
          ]),
        });
      },
    );
  });

  it('has a custom event bus whose events are all archived', () => {
    template.hasResourceProperties('AWS::Events::Archive', {
      SourceArn: arnOf(busId),
      EventPattern: { account: [ref('AWS::AccountId')] },
      RetentionDays: 90,
    });
  });

  describe('editor sign-in', () => {
    it('has a user pool without self sign-up, signing in by email', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        UsernameAttributes: ['email'],
      });
    });

    it('has the editors group', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: EDITOR_GROUP });
    });

    it('has a public client signing in with password or SRP', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        ExplicitAuthFlows: Match.arrayWith(['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_USER_SRP_AUTH']),
      });
    });

    it('checks tokens against the pool as issuer and the web and desk clients as audiences', () => {
      const poolId = onlyResourceId(template, 'AWS::Cognito::UserPool');
      const clientId = resourceIdNamed(template, 'AWS::Cognito::UserPoolClient', 'UserPoolWebClient');
      const deskClientId = resourceIdNamed(template, 'AWS::Cognito::UserPoolClient', 'EditorDeskClient');
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [ref(clientId), ref(deskClientId)],
          Issuer: {
            'Fn::Join': ['', Match.arrayWith(['https://cognito-idp.', ref('AWS::Region'), ref(poolId)])],
          },
        },
      });
    });
  });

  describe('HTTP API', () => {
    it('throttles and logs its default stage', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        DefaultRouteSettings: { ThrottlingBurstLimit: 200, ThrottlingRateLimit: 100 },
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('\\$context.requestId') },
      });
    });

    it('has no CORS configuration unless origins are given', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', { CorsConfiguration: Match.absent() });
    });

    it('has exactly one route per HTTP function', () => {
      const routeKeys = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (route) => route.Properties.RouteKey,
      );
      const declared = topology.functions.flatMap((fn) =>
        fn.trigger.kind === 'http' ? [`${fn.trigger.method} ${fn.trigger.path}`] : [],
      );
      expect(routeKeys.sort()).toEqual(declared.sort());
    });

    describe('route throttling', () => {
      const stageResource = resources[onlyResourceId(template, 'AWS::ApiGatewayV2::Stage')]!;
      const httpFunctions = topology.functions.filter(isHttp);
      const routeKey = (fn: (typeof httpFunctions)[number]) => `${fn.trigger.method} ${fn.trigger.path}`;
      const throttled = httpFunctions.filter((fn) => fn.trigger.throttle !== undefined);

      it('limits the reader writes and POST /articles as declared', () => {
        const limits = Object.fromEntries(throttled.map((fn) => [routeKey(fn), fn.trigger.throttle]));
        expect(limits).toEqual({
          'POST /articles': ROUTE_THROTTLES.articleIngest,
          'POST /articles/{articleId}/comments': ROUTE_THROTTLES.readerPost,
          'POST /comments/{commentId}/votes': ROUTE_THROTTLES.readerVote,
          'POST /comments/{commentId}/flags': ROUTE_THROTTLES.readerPost,
          'POST /articles/{articleId}/error-reports': ROUTE_THROTTLES.readerPost,
          'POST /articles/{articleId}/poll/votes': ROUTE_THROTTLES.readerVote,
          'POST /readers/anonymous': ROUTE_THROTTLES.readerVote,
          'PUT /comments/{commentId}/text': ROUTE_THROTTLES.readerPost,
          'DELETE /comments/{commentId}': ROUTE_THROTTLES.readerPost,
        });
      });

      it('leaves no public write route without a limit of its own', () => {
        const unlimited = httpFunctions
          .filter((fn) => fn.trigger.access === 'public' && fn.trigger.method !== 'GET' && !fn.trigger.throttle)
          .map(routeKey);
        expect(unlimited).toEqual([]);
      });

      it('keeps every route limit within the stage default', () => {
        for (const { rateLimit, burstLimit } of Object.values(ROUTE_THROTTLES)) {
          expect(rateLimit).toBeLessThanOrEqual(STAGE_THROTTLE.rateLimit);
          expect(burstLimit).toBeLessThanOrEqual(STAGE_THROTTLE.burstLimit);
          expect(burstLimit).toBeGreaterThanOrEqual(rateLimit);
        }
      });

      it('sets exactly the declared limits as the stage route settings', () => {
        expect(stageResource.Properties.RouteSettings).toEqual(
          Object.fromEntries(
            throttled.map((fn) => [
              routeKey(fn),
              {
                ThrottlingRateLimit: fn.trigger.throttle!.rateLimit,
                ThrottlingBurstLimit: fn.trigger.throttle!.burstLimit,
              },
            ]),
          ),
        );
      });

      it('creates the stage after the routes it limits, which must exist first', () => {
        const routes = template.findResources('AWS::ApiGatewayV2::Route');
        const limitedRouteIds = throttled.map((fn) =>
          Object.keys(routes).find((id) => routes[id]!.Properties.RouteKey === routeKey(fn))!,
        );
        expect(stageResource.DependsOn).toEqual(expect.arrayContaining(limitedRouteIds));
      });
    });
  });

  it('finds the secrets extension in each region by its published ARN', () => {
    const byRegion = (
      synthesized.template.toJSON() as { Mappings: Record<string, Record<string, Record<string, string>>> }
    ).Mappings.ParamsandsecretslayerMap!;
    expect(byRegion['eu-west-1']!['1x0x103xarm64']).toMatch(
      /^arn:aws:lambda:eu-west-1:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
    );
    expect(byRegion['us-east-1']!['1x0x103xarm64']).toMatch(
      /^arn:aws:lambda:us-east-1:\d{12}:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:\d+$/,
    );
  });

  it('has every output', () => {
    for (const output of ['ApiUrl', 'BucketName', 'TableName', 'EventBusName', 'UserPoolId', 'UserPoolClientId']) {
      template.hasOutput(output, { Value: Match.anyValue() });
    }
  });

  describe.each(topology.functions.map((fn) => [fn.name, fn] as const))('function %s', (name, declaration) => {
    const fnId = functionId(synthesized, name);
    const fnProps = resources[fnId]!.Properties;
    const statements = roleStatementsOf(synthesized, fnId);
    const actions = actionsOf(statements);

    it('runs Node.js 22 on arm64 with JSON logs, tracing, its timeout and memory', () => {
      expect(fnProps).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        Timeout: declaration.timeoutSeconds ?? 10,
        MemorySize: declaration.memoryMb ?? 256,
        TracingConfig: { Mode: 'Active' },
        LoggingConfig: { LogFormat: 'JSON' },
      });
    });

    it('logs to its own log group, kept for a month', () => {
      const logGroupId: string = fnProps.LoggingConfig.LogGroup.Ref;
      expect(resources[logGroupId]).toMatchObject({ Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 30 } });
    });

    it('is told about exactly the resources it needs', () => {
      const { needs } = declaration;
      const expected: Record<string, unknown> = {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'newsroom',
        ...(needs.table ? { [ENV.tableName]: ref(tableId) } : {}),
        ...(needs.bucket?.length ? { [ENV.bucketName]: ref(bucketId) } : {}),
        ...(needs.publishEvents ? { [ENV.eventBusName]: ref(busId), [ENV.eventSource]: EVENT_SOURCE } : {}),
        // The feature queues' URLs and filters; written out in "the table stream's readers" below.
        ...(needs.routeStreamRecords ? { [ENV.streamRoutes]: { 'Fn::Join': ['', expect.any(Array)] } } : {}),
        ...(needs.readerHashKey
          ? {
              [ENV.readerHashKeySecretArn]: ref(
                resourceIdNamed(template, 'AWS::SecretsManager::Secret', 'ReaderHashKey'),
              ),
            }
          : {}),
        ...(needs.readerTokenKey
          ? {
              [ENV.readerTokenKeySecretArn]: ref(
                resourceIdNamed(template, 'AWS::SecretsManager::Secret', 'ReaderTokenKey'),
              ),
            }
          : {}),
        ...(needs.readerHashKey || needs.readerTokenKey
          ? {
              // The secrets extension's settings: its port, a five-minute cache, quiet logs.
              PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
              SECRETS_MANAGER_TTL: '300',
              PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL: 'warn',
              PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED: 'true',
              PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE: '1000',
              PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS: '3',
              SECRETS_MANAGER_TIMEOUT_MILLIS: '0',
              SSM_PARAMETER_STORE_TIMEOUT_MILLIS: '0',
              SSM_PARAMETER_STORE_TTL: '300',
            }
          : {}),
        // The Event API's publish endpoint, from its HTTP domain.
        ...(needs.publishLiveUpdates
          ? {
              [ENV.liveEventsHttpUrl]: {
                'Fn::Join': [
                  '',
                  ['https://', { 'Fn::GetAtt': [onlyResourceId(template, 'AWS::AppSync::Api'), 'Dns.Http'] }, '/event'],
                ],
              },
            }
          : {}),
      };
      expect(fnProps.Environment.Variables).toEqual(expected);
    });

    it('carries the secrets extension (arm64, from the per-region table) exactly when it reads a secret', () => {
      const extension = { 'Fn::FindInMap': ['ParamsandsecretslayerMap', { Ref: 'AWS::Region' }, '1x0x103xarm64'] };
      const readsSecret = declaration.needs.readerHashKey || declaration.needs.readerTokenKey;
      expect([name, fnProps.Layers ?? []]).toEqual([name, readsSecret ? [extension] : []]);
    });

    it('may use the table, its indexes and its stream exactly as listed in TABLE_USE', () => {
      const expected = TABLE_USE[name];
      if (!expected) throw new Error(`${name} is not in TABLE_USE: write out what it may do on the table`);
      expect(dynamoActionsByResource(statements, tableId)).toEqual({
        table: [...expected.table].sort(),
        indexes: [...expected.indexes].sort(),
        stream: declaration.trigger.kind === 'stream' ? STREAM_READ_ACTIONS : [],
        other: [],
      });
    });

    it('may touch bucket objects only under the declared prefixes, with the declared actions', () => {
      const granted = objectActionsByKeyPattern(statements, bucketId);
      const declared = new Map((declaration.needs.bucket ?? []).map((grant) => [`${grant.prefix}*`, grant.actions]));
      expect([...granted.keys()].sort()).toEqual([...declared.keys()].sort());
      for (const [pattern, declaredActions] of declared) {
        for (const [action, iamAction] of Object.entries(OBJECT_ACTIONS) as [ObjectAction, string][]) {
          expect([pattern, iamAction, granted.get(pattern)!.has(iamAction)]).toEqual([
            pattern,
            iamAction,
            declaredActions.includes(action),
          ]);
        }
      }
      if (!declaration.needs.bucket?.length) {
        expect([...actions].filter((action) => action.startsWith('s3:'))).toEqual([]);
      }
    });

    it('may put events on the bus only if it publishes', () => {
      expect(actions.has('events:PutEvents')).toBe(declaration.needs.publishEvents === true);
    });

    it('may read the reader hash key only if it hashes reader secrets', () => {
      expect(actions.has('secretsmanager:GetSecretValue')).toBe(declaration.needs.readerHashKey === true);
    });

    it('is started by its trigger', () => {
      expectTrigger(synthesized, declaration);
    });
  });

  it('lists every function of the stack, and only those, in TABLE_USE', () => {
    expect([...synthesized.stack.functions.keys()].sort()).toEqual(Object.keys(TABLE_USE).sort());
  });

  it('gives no public GET route any write on the table', () => {
    const publicReads = topology.functions.filter(
      (fn) => fn.trigger.kind === 'http' && fn.trigger.access === 'public' && fn.trigger.method === 'GET',
    );
    expect(publicReads.length).toBeGreaterThan(0);
    for (const { name } of publicReads) {
      const granted = actionsOf(roleStatementsOf(synthesized, functionId(synthesized, name)));
      expect([name, TABLE_WRITE_ACTIONS.filter((action) => granted.has(action))]).toEqual([name, []]);
    }
  });

  it('lets no function scan the table or its indexes', () => {
    const scanning = topology.functions
      .filter((fn) => actionsOf(roleStatementsOf(synthesized, functionId(synthesized, fn.name))).has('dynamodb:Scan'))
      .map((fn) => fn.name);
    expect(scanning).toEqual([]);
  });

  it('guards exactly the editor routes with the JWT authorizer', () => {
    for (const fn of topology.functions) {
      if (fn.trigger.kind !== 'http') continue;
      const expected =
        fn.trigger.access === 'editor'
          ? { AuthorizationType: 'JWT', AuthorizerId: ref(authorizerId) }
          : { AuthorizationType: 'NONE', AuthorizerId: Match.absent() };
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${fn.trigger.method} ${fn.trigger.path}`,
        ...expected,
      });
    }
  });
});

/**
 * Issue 11: DynamoDB throttles a stream shard read by more than two readers, so the stack reads the
 * table's stream with two event source mappings — the vote aggregator's and the stream router's —
 * and every other stream feature reads its records from a queue of its own that the router fills.
 * Read off the synthesized template, not the topology.
 */
describe("the table stream's readers", () => {
  const synthesized = synthesize();
  const { template, resources, stack } = synthesized;
  const tableId = onlyResourceId(template, 'AWS::DynamoDB::GlobalTable');
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
    (mapping) => mapping.Properties as Json,
  );
  const nameOfFunction = (value: Json): string =>
    [...stack.functions.keys()].find((name) => functionId(synthesized, name) === value.Ref) ?? JSON.stringify(value);
  const queueIdOf = (name: string) => logicalIdOf(synthesized, stack.featureQueues.get(name)!);
  const deadLetterIdOf = (name: string) => logicalIdOf(synthesized, stack.deadLetterQueues.get(name)!);
  const patternsOf = (mapping: Json): Json[] =>
    (mapping.FilterCriteria?.Filters ?? []).map((filter: { Pattern: string }) => JSON.parse(filter.Pattern));
  const streamMappings = mappings.filter((mapping) => mapping.EventSourceArn['Fn::GetAtt']?.[1] === 'StreamArn');
  const routerMapping = streamMappings.find(
    (mapping) => nameOfFunction(mapping.FunctionName) === 'route-stream-records',
  )!;

  /** The features, written out: the queue each reads and how. */
  const FEATURES = {
    'publish-article-changes': { fifo: true, batchSize: 10, visibilityTimeout: 60, maxReceiveCount: 6 },
    'follow-up-error-reports': { fifo: true, batchSize: 10, visibilityTimeout: 60, maxReceiveCount: 6 },
    'process-comment-changes': { fifo: true, batchSize: 10, visibilityTimeout: 180, maxReceiveCount: 11 },
    'publish-poll-tallies': { fifo: false, batchSize: 1000, window: 1, visibilityTimeout: 180, maxReceiveCount: 11 },
  } as const;
  const FILTERS = {
    'publish-article-changes': [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } }],
    'follow-up-error-reports': [
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'REPORT#' }] } } } },
    ],
    'process-comment-changes': [
      { dynamodb: { Keys: { sk: { S: [{ prefix: 'COMMENT#' }] } } } },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'CVOTE#' }, { prefix: 'CFLAG#' }] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } },
    ],
    'publish-poll-tallies': [
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'POLL#TALLY#' }] } } } },
    ],
  };

  it('has at most two event source mappings on any DynamoDB stream: the vote aggregator and the stream router', () => {
    const perStream = new Map<string, number>();
    for (const mapping of streamMappings) {
      const stream = mapping.EventSourceArn['Fn::GetAtt'][0] as string;
      perStream.set(stream, (perStream.get(stream) ?? 0) + 1);
    }
    expect([...perStream]).toEqual([[tableId, 2]]);
    expect(streamMappings.map((mapping) => nameOfFunction(mapping.FunctionName)).sort()).toEqual([
      'aggregate-poll-votes',
      'route-stream-records',
    ]);
  });

  it(`gives no event source mapping more than Lambda's ${MAX_FILTER_PATTERNS} filter patterns`, () => {
    for (const mapping of mappings) {
      expect([nameOfFunction(mapping.FunctionName), patternsOf(mapping).length <= MAX_FILTER_PATTERNS]).toEqual([
        nameOfFunction(mapping.FunctionName),
        true,
      ]);
    }
  });

  it("filters the router's mapping to the union of its features' filters, merged into three patterns", () => {
    expect(patternsOf(routerMapping)).toEqual([
      {
        eventName: ['INSERT', 'MODIFY'],
        dynamodb: { Keys: { sk: { S: ['META', { prefix: 'REPORT#' }, { prefix: 'POLL#TALLY#' }] } } },
      },
      { dynamodb: { Keys: { sk: { S: [{ prefix: 'COMMENT#' }] } } } },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'CVOTE#' }, { prefix: 'CFLAG#' }] } } } },
    ]);
  });

  it('runs the router at once, bisecting, reporting partial failures, retrying, with a dead-letter queue of its own', () => {
    expect(routerMapping).toEqual({
      FunctionName: ref(functionId(synthesized, 'route-stream-records')),
      EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 0,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 20,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      DestinationConfig: { OnFailure: { Destination: arnOf(deadLetterIdOf('route-stream-records')) } },
      FilterCriteria: expect.anything(),
    });
  });

  it("tells the router each feature's queue and filters, and lets it only send to those queues", () => {
    const routerId = functionId(synthesized, 'route-stream-records');
    const joined = resources[routerId]!.Properties.Environment.Variables[ENV.streamRoutes]['Fn::Join'][1] as Array<
      string | { Ref: string }
    >;
    const routes = JSON.parse(joined.map((part) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join(''));
    expect(routes).toEqual(
      Object.entries(FILTERS).map(([feature, filters]) => ({ feature, queueUrl: `<${queueIdOf(feature)}>`, filters })),
    );
    const sqsByResource = new Map<string, string[]>();
    for (const statement of roleStatementsOf(synthesized, routerId)) {
      const actions = asList<string>(statement.Action).filter((action) => action.startsWith('sqs:'));
      for (const resource of asList<Json>(statement.Resource)) {
        if (actions.length > 0) sqsByResource.set(JSON.stringify(resource), actions);
      }
    }
    expect(Object.fromEntries(sqsByResource)).toEqual({
      ...Object.fromEntries(
        Object.keys(FEATURES).map((name) => [JSON.stringify(arnOf(queueIdOf(name))), ['sqs:SendMessage']]),
      ),
      // Lambda itself, as the router's role, sends a failed batch's pointer to its dead-letter queue.
      [JSON.stringify(arnOf(deadLetterIdOf('route-stream-records')))]: [
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:SendMessage',
      ],
    });
  });

  it("keeps the router's routes well inside Lambda's 4 KB of environment, with 100-character queue URLs", () => {
    const routes = Object.entries(FILTERS).map(([feature, filters]) => ({
      feature,
      queueUrl: 'q'.repeat(100),
      filters,
    }));
    expect(JSON.stringify(routes).length).toBeLessThan(3 * 1024);
  });

  describe.each(Object.entries(FEATURES))('%s', (name, expected) => {
    const queueId = queueIdOf(name);
    const deadLetterId = deadLetterIdOf(name);

    it('reads a queue of its own, FIFO with content-based deduplication off or standard, redriving to its own dead-letter queue', () => {
      expect(resources[queueId]!.Properties).toMatchObject({
        VisibilityTimeout: expected.visibilityTimeout,
        RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount: expected.maxReceiveCount },
        ...(expected.fifo ? { ContentBasedDeduplication: false, DeduplicationScope: 'messageGroup' } : {}),
      });
      expect(resources[queueId]!.Properties.FifoQueue).toBe(expected.fifo ? true : undefined);
      expect(resources[deadLetterId]!.Properties.FifoQueue).toBe(expected.fifo ? true : undefined);
    });

    it('is invoked by one SQS event source mapping reporting partial batch failures, with its own batching', () => {
      const own = mappings.filter((mapping) => nameOfFunction(mapping.FunctionName) === name);
      expect(own).toEqual([
        expect.objectContaining({
          EventSourceArn: arnOf(queueId),
          BatchSize: expected.batchSize,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
        }),
      ]);
      expect(own[0]!.MaximumBatchingWindowInSeconds).toBe('window' in expected ? expected.window : undefined);
    });

    it("keeps a message invisible at least six times the function's timeout, as AWS advises", () => {
      const timeout = resources[functionId(synthesized, name)]!.Properties.Timeout as number;
      expect(expected.visibilityTimeout).toBeGreaterThanOrEqual(6 * timeout);
    });

    it('alarms when its dead-letter queue holds a message', () => {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: `Newsroom-dead-letters-${name}`,
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterId, 'QueueName'] } }],
      });
    });
  });

  it('stays below 450 CloudFormation resources', () => {
    expect(Object.keys(resources).length).toBeLessThanOrEqual(450);
  });
});

describe('NewsroomStack from a small topology', () => {
  // Entries must name existing handler folders (see the file comment), so reuse real names.
  const [streamName, eventName, queueName, routerName] = topology.functions.map((fn) => fn.name);
  const stream: StreamTrigger = {
    kind: 'stream',
    batchSize: 10,
    maxBatchingWindowSeconds: 5,
    filters: [],
    retryAttempts: 3,
    bisectBatchOnError: false,
    startingPosition: 'LATEST',
  };
  const event: EventTrigger = {
    kind: 'event',
    ruleName: 'article-ingested',
    pattern: { source: [EVENT_SOURCE], 'detail-type': ['ArticleIngested'], detail: { change: ['created'] } },
    retryAttempts: 4,
    maxEventAgeSeconds: 3600,
  };
  const queue: QueueTrigger = {
    kind: 'queue',
    fifo: true,
    streamFilters: [{ eventName: ['REMOVE'] }],
    batchSize: 5,
    maxReceiveCount: 3,
    visibilityTimeoutSeconds: 60,
  };
  const queueFed = { name: queueName!, description: 'Reads removals through its queue', trigger: queue, needs: {} };
  const router: FunctionDeclaration = {
    name: routerName!,
    description: 'Routes the stream',
    trigger: { ...stream, filters: routerFilters([queueFed]) },
    needs: { routeStreamRecords: true },
  };
  const small: Topology = {
    functions: [
      { name: streamName!, description: 'Reads the stream', trigger: stream, needs: { table: { actions: ['get'] } } },
      { name: eventName!, description: 'Reacts to events', trigger: event, needs: { publishEvents: true } },
      queueFed,
      router,
    ],
  };
  const synthesized = synthesize({ topology: small, allowedOrigins: ['https://news.example'] });
  const { template } = synthesized;

  it('builds only the declared functions', () => {
    expect([...synthesized.stack.functions.keys()]).toEqual([streamName, eventName, queueName, routerName]);
    const nodeFunctions = Object.values(template.findResources('AWS::Lambda::Function')).filter(
      (fn) => fn.Properties.Runtime === 'nodejs22.x',
    );
    expect(nodeFunctions).toHaveLength(4);
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    template.resourceCountIs('Custom::S3BucketNotifications', 0);
  });

  it.each(small.functions.map((fn) => [fn.trigger.kind, fn] as const))('wires the %s trigger', (_kind, declaration) => {
    expectTrigger(synthesized, declaration);
  });

  it('refuses queue-fed functions without a router, and a router whose filters are not its features', () => {
    expect(() => synthesize({ topology: { functions: [queueFed] } })).toThrow(/routeStreamRecords/);
    const blind = { ...router, trigger: { ...stream, filters: [{ eventName: ['INSERT'] }] } };
    expect(() => synthesize({ topology: { functions: [queueFed, blind] } })).toThrow(/routerFilters/);
  });

  it('renders the event pattern in EventBridge syntax', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: { source: [EVENT_SOURCE], 'detail-type': ['ArticleIngested'], detail: { change: ['created'] } },
    });
  });

  it('sets no route settings when no route names a limit', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', { RouteSettings: Match.absent() });
  });

  it('passes no filter criteria when the stream trigger has no filters', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { FilterCriteria: Match.absent() });
  });

  it('allows the configured origins', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://news.example'] }),
    });
  });
});

/** Asserts the trigger of one function, whatever its kind. */
function expectTrigger(synthesized: Synthesized, declaration: FunctionDeclaration): void {
  const { template } = synthesized;
  const { trigger } = declaration;
  const fnId = functionId(synthesized, declaration.name);
  switch (trigger.kind) {
    case 'http': {
      const integrations = template.findResources('AWS::ApiGatewayV2::Integration', {
        Properties: { IntegrationType: 'AWS_PROXY', IntegrationUri: arnOf(fnId), PayloadFormatVersion: '2.0' },
      });
      const integrationId = Object.keys(integrations);
      expect(integrationId).toHaveLength(1);
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: `${trigger.method} ${trigger.path}`,
        Target: { 'Fn::Join': ['', ['integrations/', ref(integrationId[0]!)]] },
      });
      return;
    }
    case 's3':
      return expectS3Trigger(synthesized, declaration.name, trigger);
    case 'event': {
      const queueId = expectDeadLetterQueue(synthesized, declaration.name);
      // EventBridge, not the function, sends undeliverable events to the queue.
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queueId)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Action: 'sqs:SendMessage',
              Principal: { Service: 'events.amazonaws.com' },
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::Events::Rule', {
        EventBusName: ref(onlyResourceId(template, 'AWS::Events::EventBus')),
        EventPattern: trigger.pattern,
        Targets: [
          Match.objectLike({
            Arn: arnOf(fnId),
            RetryPolicy: {
              MaximumRetryAttempts: trigger.retryAttempts,
              MaximumEventAgeInSeconds: trigger.maxEventAgeSeconds,
            },
            DeadLetterConfig: { Arn: arnOf(queueId) },
          }),
        ],
      });
      return;
    }
    case 'stream': {
      const queueId = expectDeadLetterQueue(synthesized, declaration.name);
      expectRoleMaySendTo(synthesized, fnId, queueId);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: ref(fnId),
        EventSourceArn: { 'Fn::GetAtt': [onlyResourceId(template, 'AWS::DynamoDB::GlobalTable'), 'StreamArn'] },
        BatchSize: trigger.batchSize,
        MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds,
        StartingPosition: trigger.startingPosition,
        MaximumRetryAttempts: trigger.retryAttempts,
        BisectBatchOnFunctionError: trigger.bisectBatchOnError,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
        ...(trigger.filters.length > 0
          ? { FilterCriteria: { Filters: trigger.filters.map((pattern) => ({ Pattern: JSON.stringify(pattern) })) } }
          : {}),
      });
      return;
    }
    case 'queue':
      return expectQueueTrigger(synthesized, declaration.name, trigger);
  }
}

/**
 * A queue trigger: the function's own queue (FIFO with the router's deduplication ids, or
 * standard), redriving to its own dead-letter queue, read by one SQS event source mapping that
 * reports partial batch failures; the function may read and delete on that queue and no other.
 */
function expectQueueTrigger(synthesized: Synthesized, name: string, trigger: QueueTrigger): void {
  const { template, resources, stack } = synthesized;
  const fnId = functionId(synthesized, name);
  const deadLetterId = expectDeadLetterQueue(synthesized, name, { fifo: trigger.fifo });
  const queueId = logicalIdOf(
    synthesized,
    stack.featureQueues.get(name) as unknown as { node: { defaultChild?: unknown } },
  );
  expect(resources[queueId]!.Properties).toEqual({
    ...(trigger.fifo
      ? {
          FifoQueue: true,
          ContentBasedDeduplication: false,
          DeduplicationScope: 'messageGroup',
          FifoThroughputLimit: 'perMessageGroupId',
        }
      : {}),
    VisibilityTimeout: trigger.visibilityTimeoutSeconds,
    SqsManagedSseEnabled: true,
    RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount: trigger.maxReceiveCount },
  });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [ref(queueId)],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => mapping.Properties.FunctionName.Ref === fnId,
  );
  expect(mappings.map((mapping) => mapping.Properties)).toEqual([
    {
      FunctionName: ref(fnId),
      EventSourceArn: arnOf(queueId),
      BatchSize: trigger.batchSize,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ...(trigger.maxBatchingWindowSeconds ? { MaximumBatchingWindowInSeconds: trigger.maxBatchingWindowSeconds } : {}),
    },
  ]);
  const sqsStatements = roleStatementsOf(synthesized, fnId).filter((statement) =>
    asList<string>(statement.Action).some((action) => action.startsWith('sqs:')),
  );
  expect(sqsStatements).toEqual([
    expect.objectContaining({
      Action: [
        'sqs:ChangeMessageVisibility',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:GetQueueUrl',
        'sqs:ReceiveMessage',
      ],
      Resource: arnOf(queueId),
    }),
  ]);
}

function expectS3Trigger(synthesized: Synthesized, name: string, trigger: S3Trigger): void {
  const { template } = synthesized;
  const fnId = functionId(synthesized, name);
  template.hasResourceProperties('Custom::S3BucketNotifications', {
    NotificationConfiguration: {
      LambdaFunctionConfigurations: Match.arrayWith([
        {
          Events: ['s3:ObjectCreated:*'],
          Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: trigger.prefix }] } },
          LambdaFunctionArn: arnOf(fnId),
        },
      ]),
    },
  });
  const queueId = expectDeadLetterQueue(synthesized, name);
  expectRoleMaySendTo(synthesized, fnId, queueId);
  template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
    FunctionName: ref(fnId),
    Qualifier: '$LATEST',
    MaximumRetryAttempts: trigger.retryAttempts,
    MaximumEventAgeInSeconds: Match.anyValue(),
    DestinationConfig: { OnFailure: { Destination: arnOf(queueId) } },
  });
}

/**
 * The function's own dead-letter queue: SQS-encrypted, TLS-only, keeping messages 14 days, FIFO
 * behind a FIFO queue. Returns its logical id.
 */
function expectDeadLetterQueue(
  { template, resources, stack }: Synthesized,
  name: string,
  { fifo = false }: { fifo?: boolean } = {},
): string {
  const constructId = stack.functions.get(name)!.node.id;
  const queues = Object.keys(template.findResources('AWS::SQS::Queue')).filter((id) =>
    id.startsWith(`${constructId}DeadLetterQueue`),
  );
  expect(queues).toHaveLength(1);
  const queueId = queues[0]!;
  expect(resources[queueId]!.Properties).toEqual({
    ...(fifo ? { FifoQueue: true } : {}),
    MessageRetentionPeriod: 14 * 24 * 3600,
    SqsManagedSseEnabled: true,
  });
  template.hasResourceProperties('AWS::SQS::QueuePolicy', {
    Queues: [ref(queueId)],
    PolicyDocument: {
      Statement: Match.arrayWith([
        Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      ]),
    },
  });
  return queueId;
}

/** Lambda itself (as the function's role) delivers failed async invocations and stream batches. */
function expectRoleMaySendTo(synthesized: Synthesized, fnId: string, queueId: string): void {
  const sendsToQueue = roleStatementsOf(synthesized, fnId).some(
    (statement) =>
      asList<string>(statement.Action).includes('sqs:SendMessage') &&
      JSON.stringify(statement.Resource) === JSON.stringify(arnOf(queueId)),
  );
  expect(sendsToQueue).toBe(true);
}
