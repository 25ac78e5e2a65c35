/**
 * CDK assertions for the editors' alerts: the topology's `editorAlerts` rules, the topic they
 * publish to (with an e-mail subscription only when an address is given), the inbox queue and its
 * dead-letter queue, and exactly the grants that let the rule deliver and nobody else.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../shared/events/catalog';
import { NewsroomStack, type NewsroomStackProps } from '../../infra/stack';
import { topology, type Topology } from '../../infra/topology';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

function synthesize(props: NewsroomStackProps = {}): Template {
  const app = testApp();
  return Template.fromStack(new NewsroomStack(app, 'Newsroom', props));
}

const ref = (logicalId: string) => ({ Ref: logicalId });
const arnOf = (logicalId: string) => ({ 'Fn::GetAtt': [logicalId, 'Arn'] });

function idOf(template: Template, type: string, idPrefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(idPrefix));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

describe('editor alerts from the real topology', () => {
  const template = synthesize({ editorAlertEmail: 'desk@news.example' });
  const resources: Record<string, Json> = template.toJSON().Resources;
  const topicId = idOf(template, 'AWS::SNS::Topic', 'EditorAlerts');
  const inboxId = idOf(template, 'AWS::SQS::Queue', 'EditorAlertsInbox');
  const deadLetterId = idOf(template, 'AWS::SQS::Queue', 'EditorAlertsDeadLetterQueue');
  const ruleId = idOf(template, 'AWS::Events::Rule', 'EditorAlerts');
  const busId = Object.keys(template.findResources('AWS::Events::EventBus'))[0]!;
  const [declared] = topology.editorAlerts!;

  it('declares one rule for error reports and ingest rejections', () => {
    expect(topology.editorAlerts).toHaveLength(1);
    expect(declared!.pattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [DETAIL_TYPES.errorReportSubmitted, DETAIL_TYPES.articleRejected],
    });
  });

  it('has a rule on the bus delivering those events to the topic and the inbox, with retries and the dead-letter queue', () => {
    const delivery = {
      RetryPolicy: {
        MaximumRetryAttempts: declared!.retryAttempts,
        MaximumEventAgeInSeconds: declared!.maxEventAgeSeconds,
      },
      DeadLetterConfig: { Arn: arnOf(deadLetterId) },
    };
    expect(resources[ruleId]!.Properties).toMatchObject({
      EventBusName: ref(busId),
      EventPattern: declared!.pattern,
      State: 'ENABLED',
    });
    expect(resources[ruleId]!.Properties.Targets).toEqual([
      expect.objectContaining({ Arn: ref(topicId), RoleArn: expect.anything(), ...delivery }),
      expect.objectContaining({ Arn: arnOf(inboxId), ...delivery }),
    ]);
  });

  it('keeps the inbox encrypted and TLS-only, handing messages that fail 5 times to its dead-letter queue', () => {
    expect(resources[inboxId]!.Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(deadLetterId), maxReceiveCount: 5 },
    });
    expect(resources[deadLetterId]!.Properties).toEqual({
      MessageRetentionPeriod: 14 * 24 * 3600,
      SqsManagedSseEnabled: true,
    });
    for (const queueId of [inboxId, deadLetterId]) {
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [ref(queueId)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    }
  });

  it('lets only the alert rule send to the inbox and the dead-letter queue', () => {
    for (const queueId of [inboxId, deadLetterId]) {
      const allows = Object.values(template.findResources('AWS::SQS::QueuePolicy'))
        .filter((policy) => policy.Properties.Queues.some((q: Json) => q.Ref === queueId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
        .filter((statement) => statement.Effect === 'Allow');
      expect(allows.length).toBeGreaterThan(0);
      for (const statement of allows) {
        expect(statement).toMatchObject({
          Principal: { Service: 'events.amazonaws.com' },
          Condition: { ArnEquals: { 'aws:SourceArn': arnOf(ruleId) } },
        });
        expect([statement.Action].flat()).toContain('sqs:SendMessage');
      }
    }
  });

  it('publishes to the topic through a role only EventBridge assumes, with no open topic policy', () => {
    const roleId: string = resources[ruleId]!.Properties.Targets[0].RoleArn['Fn::GetAtt'][0];
    expect(resources[roleId]!.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      expect.objectContaining({
        Action: 'sts:AssumeRole',
        Effect: 'Allow',
        Principal: { Service: 'events.amazonaws.com' },
      }),
    ]);
    const roleStatements = Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
    expect(roleStatements).toEqual([{ Action: 'sns:Publish', Effect: 'Allow', Resource: ref(topicId) }]);
    const topicAllows = Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .filter((policy) => policy.Properties.Topics.some((topic: Json) => topic.Ref === topicId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
      .filter((statement) => statement.Effect === 'Allow');
    expect(topicAllows).toEqual([]);
  });

  it('gives no function access to the topic or the queues', () => {
    const functionPolicies = Object.entries(resources).filter(
      ([id, r]) => r.Type === 'AWS::IAM::Policy' && !id.startsWith('EditorAlerts'),
    );
    const text = JSON.stringify(functionPolicies);
    for (const id of [topicId, inboxId, deadLetterId]) expect(text).not.toContain(`"${id}"`);
  });

  it('subscribes the given address to the topic by e-mail', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'desk@news.example',
      TopicArn: ref(topicId),
    });
  });

  it('outputs the topic and the inbox', () => {
    template.hasOutput('EditorAlertTopicArn', { Value: ref(topicId) });
    template.hasOutput('EditorInboxQueueUrl', { Value: ref(inboxId) });
  });

  describe("the desks' alerts list", () => {
    const recorderId = idOf(template, 'AWS::Lambda::Function', 'RecordEditorAlerts');
    const listRuleId = idOf(template, 'AWS::Events::Rule', 'RecordEditorAlertsEditorAlertsListRule');
    const listDeadLetterId = idOf(template, 'AWS::SQS::Queue', 'RecordEditorAlertsDeadLetterQueue');
    const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;

    it('has the same events delivered, by the same pattern, to the function that keeps the list, with retries and a dead-letter queue', () => {
      expect(resources[listRuleId]!.Properties).toEqual({
        Description: 'editor-alerts-list: delivers matching events to RecordEditorAlerts',
        EventBusName: ref(busId),
        EventPattern: { source: ['newsroom'], 'detail-type': ['ErrorReportSubmitted', 'ArticleRejected'] },
        State: 'ENABLED',
        Targets: [
          {
            Arn: arnOf(recorderId),
            Id: 'Target0',
            RetryPolicy: { MaximumRetryAttempts: 8, MaximumEventAgeInSeconds: 86400 },
            DeadLetterConfig: { Arn: arnOf(listDeadLetterId) },
          },
        ],
      });
      expect(resources[listRuleId]!.Properties.EventPattern).toEqual(resources[ruleId]!.Properties.EventPattern);
    });

    it('sends an event the function failed on after two retries to the same dead-letter queue, and alarms on it', () => {
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: ref(recorderId),
        MaximumRetryAttempts: 2,
        MaximumEventAgeInSeconds: 21600,
        DestinationConfig: { OnFailure: { Destination: arnOf(listDeadLetterId) } },
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'Newsroom-dead-letters-record-editor-alerts',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [listDeadLetterId, 'QueueName'] } }],
      });
    });

    it('lets the function read a headline and put an alert in the table, and nothing else of it', () => {
      const roleId: string = resources[recorderId]!.Properties.Role['Fn::GetAtt'][0];
      const statements = Object.values(resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
        .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
      expect(statements).toEqual([
        { Action: ['xray:PutTelemetryRecords', 'xray:PutTraceSegments'], Effect: 'Allow', Resource: '*' },
        { Action: ['dynamodb:GetItem', 'dynamodb:PutItem'], Effect: 'Allow', Resource: arnOf(tableId) },
        {
          Action: ['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage'],
          Effect: 'Allow',
          Resource: arnOf(listDeadLetterId),
        },
      ]);
      expect(resources[recorderId]!.Properties.Environment.Variables.TABLE_NAME).toEqual(ref(tableId));
    });

    it('serves the list to editors only, on GET /editor/alerts behind the JWT authorizer', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'GET /editor/alerts',
        AuthorizationType: 'JWT',
      });
    });
  });
});

/** The logical ids of one type's resources that belong to the editor alerts. */
function editorAlertIds(template: Template, type: string): string[] {
  return Object.keys(template.findResources(type)).filter((id) => id.startsWith('EditorAlerts'));
}

describe('editor alerts without an address or without rules', () => {
  it('has the topic but no subscription when no address is given', () => {
    const template = synthesize();
    expect(editorAlertIds(template, 'AWS::SNS::Topic')).toHaveLength(1);
    expect(editorAlertIds(template, 'AWS::SNS::Subscription')).toHaveLength(0);
  });

  it('creates no alert resources for a topology that declares none', () => {
    const small: Topology = { functions: topology.functions.filter((fn) => fn.name === 'list-articles') };
    const template = synthesize({ topology: small, editorAlertEmail: 'desk@news.example' });
    expect(editorAlertIds(template, 'AWS::SNS::Topic')).toEqual([]);
    template.resourceCountIs('AWS::SQS::Queue', 0);
    template.resourceCountIs('AWS::Events::Rule', 0);
  });
});
