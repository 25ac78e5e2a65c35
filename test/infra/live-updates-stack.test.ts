/**
 * Live updates as the stack deploys them, every expectation written out: the Event API with a
 * readers' key and IAM as its auth providers, the `stories` namespace that readers may only
 * subscribe to and only IAM may publish to, the key's expiry (set from the deploy's month), the
 * publisher's role (publishing on that namespace and nothing else of the API), its bus rule with
 * retries and a dead-letter queue, and the widget's config.json that tells pages where to subscribe.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { liveKeyExpiry } from '../../infra/constructs/live-updates';
import { NewsroomStack } from '../../infra/stack';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

const DEPLOY_TIME = new Date('2026-03-14T15:09:26Z');
/** 2026-03-01T00:00:00Z plus 365 days: 2027-03-01T00:00:00Z, in epoch seconds. */
const EXPECTED_EXPIRY = 1803859200;

const app = testApp();
const stack = new NewsroomStack(app, 'Newsroom', { deployTime: DEPLOY_TIME });
const template = Template.fromStack(stack);
const resources: Record<string, Json> = template.toJSON().Resources;
const outputs: Record<string, Json> = template.toJSON().Outputs;

const onlyId = (type: string): string => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};
const apiId = onlyId('AWS::AppSync::Api');
const namespaceId = onlyId('AWS::AppSync::ChannelNamespace');
const keyId = onlyId('AWS::AppSync::ApiKey');
const publisherId = stack.getLogicalId(stack.functions.get('publish-live-updates')!.node.defaultChild as CfnElement);
const deadLetterId = Object.keys(template.findResources('AWS::SQS::Queue')).find((id) =>
  id.startsWith('PublishLiveUpdatesDeadLetterQueue'),
)!;
const tableId = onlyId('AWS::DynamoDB::GlobalTable');

/** Every Allow statement of the role a function runs as. */
function statementsOfRoleOf(functionId: string): Json[] {
  const roleId = resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
}

describe('the Event API', () => {
  it('takes the readers’ key and IAM; pages connect and subscribe with the key, and publishing takes IAM', () => {
    expect(resources[apiId]!.Properties).toEqual({
      Name: 'Newsroom-live',
      EventConfig: {
        AuthProviders: [{ AuthType: 'API_KEY' }, { AuthType: 'AWS_IAM' }],
        ConnectionAuthModes: [{ AuthType: 'API_KEY' }],
        DefaultPublishAuthModes: [{ AuthType: 'AWS_IAM' }],
        DefaultSubscribeAuthModes: [{ AuthType: 'API_KEY' }],
      },
    });
  });

  it('has one namespace, `stories`, that readers may only subscribe to and only IAM may publish to', () => {
    expect(resources[namespaceId]!.Properties).toEqual({
      ApiId: { 'Fn::GetAtt': [apiId, 'ApiId'] },
      Name: 'stories',
      HandlerConfigs: {},
      PublishAuthModes: [{ AuthType: 'AWS_IAM' }],
      SubscribeAuthModes: [{ AuthType: 'API_KEY' }],
    });
  });

  it('has one key, expiring a year after the first of the deploy’s month', () => {
    expect(resources[keyId]!.Properties).toEqual({
      ApiId: { 'Fn::GetAtt': [apiId, 'ApiId'] },
      Description: "Readers' pages subscribe to their story's live updates (public, subscribe-only)",
      Expires: EXPECTED_EXPIRY,
    });
  });
});

describe("the readers' key expiry", () => {
  it('stays the same through a month, so the template does not change with every synthesis', () => {
    expect(liveKeyExpiry(new Date('2026-03-01T00:00:00Z'))).toEqual(new Date('2027-03-01T00:00:00Z'));
    expect(liveKeyExpiry(new Date('2026-03-31T23:59:59Z'))).toEqual(new Date('2027-03-01T00:00:00Z'));
  });

  it('moves on with the first deploy of a new month: that deploy renews the key for a year', () => {
    expect(liveKeyExpiry(new Date('2026-04-02T08:00:00Z'))).toEqual(new Date('2027-04-01T00:00:00Z'));
    // A year of 365 days: across a leap day it lands a day earlier in the calendar.
    expect(liveKeyExpiry(new Date('2027-03-20T12:00:00Z'))).toEqual(new Date('2028-02-29T00:00:00Z'));
  });

  it('is always within what AppSync accepts: between 1 and 365 days after the deploy', () => {
    for (const deploy of [
      '2026-01-01T00:00:00Z',
      '2026-01-31T23:59:59Z',
      '2026-02-28T23:00:00Z',
      '2028-02-29T12:00:00Z',
    ]) {
      const days = (liveKeyExpiry(new Date(deploy)).getTime() - new Date(deploy).getTime()) / (24 * 3600 * 1000);
      expect(days).toBeGreaterThanOrEqual(1);
      expect(days).toBeLessThanOrEqual(365);
    }
  });

  it('is an output, with the key’s id, never the key itself', () => {
    expect(outputs.LiveReaderKeyExpires).toMatchObject({ Value: '2027-03-01T00:00:00.000Z' });
    expect(outputs.LiveReaderKeyId).toEqual({ Value: { 'Fn::GetAtt': [keyId, 'ApiKeyId'] } });
    expect(JSON.stringify(outputs)).not.toContain('"ApiKey"]');
  });
});

describe('the publisher', () => {
  it('may publish on the stories namespace and nothing else of the API, and no other role may touch it', () => {
    expect(statementsOfRoleOf(publisherId)).toEqual([
      { Effect: 'Allow', Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
        Resource: { 'Fn::GetAtt': [tableId, 'Arn'] },
      },
      {
        Effect: 'Allow',
        Action: 'appsync:EventPublish',
        Resource: { 'Fn::GetAtt': [namespaceId, 'ChannelNamespaceArn'] },
      },
      // Its own dead-letter queue, where Lambda puts an event the function failed on after its retries.
      {
        Effect: 'Allow',
        Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
        Resource: { 'Fn::GetAtt': [deadLetterId, 'Arn'] },
      },
    ]);
    const rolesWithAppSyncGrants = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && JSON.stringify(r.Properties.PolicyDocument).includes('appsync:'))
      .flatMap((policy) => (policy.Properties.Roles as Json[]).map((role) => role.Ref as string));
    expect(rolesWithAppSyncGrants).toEqual([resources[publisherId]!.Properties.Role['Fn::GetAtt'][0]]);
  });

  it("is told the API's publish endpoint", () => {
    expect(resources[publisherId]!.Properties.Environment.Variables.LIVE_EVENTS_HTTP_URL).toEqual({
      'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [apiId, 'Dns.Http'] }, '/event']],
    });
  });

  it('gets the five events from the bus, narrowed to what changes an open page, with retries and a dead-letter queue', () => {
    const rules = Object.values(template.findResources('AWS::Events::Rule')).filter((rule) =>
      (rule.Properties.Targets as Json[]).some((target) => target.Arn['Fn::GetAtt']?.[0] === publisherId),
    );
    expect(rules).toHaveLength(1);
    expect(rules[0]!.Properties).toEqual({
      Description: 'live-updates: delivers matching events to PublishLiveUpdates',
      EventBusName: { Ref: onlyId('AWS::Events::EventBus') },
      State: 'ENABLED',
      EventPattern: {
        source: ['newsroom'],
        $or: [
          { 'detail-type': ['PollTallyUpdated'] },
          { 'detail-type': ['CommentPosted'], detail: { status: ['approved'], origin: ['reader'] } },
          { 'detail-type': ['CommentEdited'], detail: { status: ['approved'] } },
          { 'detail-type': ['CommentModerated'], detail: { status: ['approved'] } },
          { 'detail-type': ['CommentModerated'], detail: { previousStatus: ['approved'] } },
          {
            'detail-type': ['ErrorReportResolved'],
            detail: { status: ['corrected'], correction: { text: [{ exists: true }] } },
          },
        ],
      },
      Targets: [
        {
          Id: 'Target0',
          Arn: { 'Fn::GetAtt': [publisherId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [deadLetterId, 'Arn'] } },
        },
      ],
    });
  });

  it('sends an event it failed on, after Lambda’s two retries, to the same dead-letter queue', () => {
    const configs = Object.values(template.findResources('AWS::Lambda::EventInvokeConfig')).filter(
      (config) => config.Properties.FunctionName.Ref === publisherId,
    );
    expect(configs.map((config) => config.Properties)).toEqual([
      {
        FunctionName: { Ref: publisherId },
        Qualifier: '$LATEST',
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [deadLetterId, 'Arn'] } } },
      },
    ]);
    expect(resources[deadLetterId]!.Properties).toMatchObject({ MessageRetentionPeriod: 14 * 24 * 3600 });
  });

  it('has time to wait out a busy second: 30 s', () => {
    expect(resources[publisherId]!.Properties.Timeout).toBe(30);
  });
});

describe("the widget's config.json", () => {
  it('tells pages where to subscribe: the real-time URL, the HTTP host and the readers’ key', () => {
    // The widget's config.json is the deployment source whose asset holds widget/v1/config.json;
    // deploy-time values make its markers non-empty.
    const sources = Object.values(template.findResources('Custom::CDKBucketDeployment')).flatMap((deployment) =>
      (deployment.Properties.SourceObjectKeys as string[]).map((objectKey, i) => ({
        assetDir: join(app.outdir, `asset.${objectKey.replace(/\.zip$/, '')}`),
        markers: (deployment.Properties.SourceMarkers as Json[] | undefined)?.[i] ?? {},
      })),
    );
    const configs = sources.filter(({ assetDir }) => existsSync(join(assetDir, 'widget', 'v1', 'config.json')));
    expect(configs).toHaveLength(1);
    const { assetDir, markers } = configs[0]!;

    // Deploy-time values are markers in the file, which the deployment replaces with these.
    const config = JSON.parse(readFileSync(join(assetDir, 'widget', 'v1', 'config.json'), 'utf8'));
    const valueOf = (marker: string): Json => markers[marker]!;
    expect(config.live).toEqual({
      realtimeUrl: expect.stringMatching(/^wss:\/\/<<marker:0xbaba:\d+>>\/event\/realtime$/),
      host: expect.stringMatching(/^<<marker:0xbaba:\d+>>$/),
      apiKey: expect.stringMatching(/^<<marker:0xbaba:\d+>>$/),
    });
    expect(valueOf(config.live.realtimeUrl.slice('wss://'.length, -'/event/realtime'.length))).toEqual({
      'Fn::GetAtt': [apiId, 'Dns.Realtime'],
    });
    expect(valueOf(config.live.host)).toEqual({ 'Fn::GetAtt': [apiId, 'Dns.Http'] });
    expect(valueOf(config.live.apiKey)).toEqual({ 'Fn::GetAtt': [keyId, 'ApiKey'] });
  });
});
