/**
 * CDK assertions for the operational alarms. Dead-letter queues are found in the template by what
 * uses them as one (stream and async-invoke on-failure destinations, rule target dead-letter
 * configs, queue redrive policies), not by name, so a dead-letter queue added anywhere without an
 * alarm fails here; every function of the topology is walked the same way.
 */
import { type CfnResource } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NewsroomStack, type NewsroomStackProps } from '../../infra/stack';
import { topology, type Topology } from '../../infra/topology';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

function synthesize(props: NewsroomStackProps = {}): { stack: NewsroomStack; template: Template } {
  const app = testApp();
  const stack = new NewsroomStack(app, 'Newsroom', props);
  return { stack, template: Template.fromStack(stack) };
}

const ref = (logicalId: string) => ({ Ref: logicalId });
const logicalIdOf = (stack: NewsroomStack, construct: { node: { defaultChild?: unknown } }) =>
  stack.getLogicalId(construct.node.defaultChild as CfnResource);

/** `{ 'Fn::GetAtt': [id, 'Arn'] }` → id. */
function arnTarget(value: Json | undefined): string | undefined {
  const getAtt = value?.['Fn::GetAtt'];
  return Array.isArray(getAtt) && getAtt[1] === 'Arn' ? getAtt[0] : undefined;
}

/** Every queue something in the template sends its failures to. */
function deadLetterQueueIds(resources: Record<string, Json>): Set<string> {
  const ids = new Set<string>();
  const add = (value: Json | undefined) => {
    const id = arnTarget(value);
    if (id && resources[id]?.Type === 'AWS::SQS::Queue') ids.add(id);
  };
  for (const { Type: type, Properties: props } of Object.values(resources)) {
    if (type === 'AWS::Lambda::EventSourceMapping' || type === 'AWS::Lambda::EventInvokeConfig') {
      add(props.DestinationConfig?.OnFailure?.Destination);
    }
    if (type === 'AWS::Events::Rule') for (const target of props.Targets ?? []) add(target.DeadLetterConfig?.Arn);
    if (type === 'AWS::SQS::Queue') add(props.RedrivePolicy?.deadLetterTargetArn);
  }
  return ids;
}

/** The alarms on one metric, by the resource id in its first dimension. */
function alarmsOn(resources: Record<string, Json>, namespace: string, metricName: string): Map<string, Json[]> {
  const byResource = new Map<string, Json[]>();
  for (const alarm of Object.values(resources)) {
    const props = alarm.Properties;
    if (alarm.Type !== 'AWS::CloudWatch::Alarm' || props.Namespace !== namespace || props.MetricName !== metricName) {
      continue;
    }
    const value = props.Dimensions[0].Value;
    const id: string = value.Ref ?? value['Fn::GetAtt'][0];
    byResource.set(id, [...(byResource.get(id) ?? []), props]);
  }
  return byResource;
}

describe('operational alarms from the real topology', () => {
  const { stack, template } = synthesize({ alarmEmail: 'ops@news.example' });
  const resources: Record<string, Json> = template.toJSON().Resources;
  const topicId = logicalIdOf(stack, stack.alarms.topic);
  const notifies = { AlarmActions: [ref(topicId)], OKActions: [ref(topicId)] };
  const everyPeriod = { Period: 300, EvaluationPeriods: 1, TreatMissingData: 'notBreaching' };

  it('knows every dead-letter queue of the template: one per asynchronous function and the editor inbox’s', () => {
    const fromTemplate = [...deadLetterQueueIds(resources)].sort();
    const known = [...stack.deadLetterQueues.values()].map((queue) => logicalIdOf(stack, queue)).sort();
    expect(known).toEqual(fromTemplate);
    const asynchronous = topology.functions.filter((fn) => fn.trigger.kind !== 'http').map((fn) => fn.name);
    expect([...stack.deadLetterQueues.keys()].sort()).toEqual([...asynchronous, 'editor-alerts'].sort());
  });

  it('alarms as soon as any dead-letter queue holds a message', () => {
    const alarms = alarmsOn(resources, 'AWS/SQS', 'ApproximateNumberOfMessagesVisible');
    for (const queueId of deadLetterQueueIds(resources)) {
      expect([queueId, alarms.get(queueId)]).toEqual([
        queueId,
        [
          expect.objectContaining({
            Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [queueId, 'QueueName'] } }],
            Statistic: 'Maximum',
            ComparisonOperator: 'GreaterThanThreshold',
            Threshold: 0,
            ...everyPeriod,
            ...notifies,
          }),
        ],
      ]);
    }
  });

  it.each(topology.functions.map((fn) => [fn.name] as const))('alarms on every error and throttle of %s', (name) => {
    const fnId = logicalIdOf(stack, stack.functions.get(name)!);
    for (const metricName of ['Errors', 'Throttles']) {
      expect([metricName, alarmsOn(resources, 'AWS/Lambda', metricName).get(fnId)]).toEqual([
        metricName,
        [
          expect.objectContaining({
            AlarmName: `Newsroom-${metricName.toLowerCase()}-${name}`,
            Dimensions: [{ Name: 'FunctionName', Value: ref(fnId) }],
            Statistic: 'Sum',
            ComparisonOperator: 'GreaterThanOrEqualToThreshold',
            Threshold: 1,
            ...everyPeriod,
            ...notifies,
          }),
        ],
      ]);
    }
  });

  it('alarms on any 5xx answer of the HTTP API', () => {
    const apiId = logicalIdOf(stack, stack.api);
    expect(alarmsOn(resources, 'AWS/ApiGateway', '5xx').get(apiId)).toEqual([
      expect.objectContaining({
        AlarmName: 'Newsroom-api-5xx',
        Dimensions: [{ Name: 'ApiId', Value: ref(apiId) }],
        Statistic: 'Sum',
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        ...everyPeriod,
        ...notifies,
      }),
    ]);
  });

  it('has no alarm that notifies nobody', () => {
    const silent = Object.entries(template.findResources('AWS::CloudWatch::Alarm'))
      .filter(([, alarm]) => JSON.stringify(alarm.Properties.AlarmActions) !== JSON.stringify([ref(topicId)]))
      .map(([id]) => id);
    expect(silent).toEqual([]);
  });

  it('lets only CloudWatch alarms of this account and stack publish to the TLS-only topic', () => {
    const statements = Object.values(template.findResources('AWS::SNS::TopicPolicy'))
      .filter((policy) => policy.Properties.Topics.some((topic: Json) => topic.Ref === topicId))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[]);
    expect(statements).toContainEqual(
      expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
    );
    expect(statements.filter((statement) => statement.Effect === 'Allow')).toEqual([
      expect.objectContaining({
        Action: 'sns:Publish',
        Principal: { Service: 'cloudwatch.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': ref('AWS::AccountId') },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', expect.arrayContaining([':alarm:Newsroom-*'])] } },
        },
      }),
    ]);
  });

  it('subscribes the given address to the alarm topic by e-mail, and outputs the topic', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@news.example',
      TopicArn: ref(topicId),
    });
    template.hasOutput('AlarmTopicArn', { Value: ref(topicId) });
  });
});

describe('operational alarms without an address', () => {
  it('has the alarm topic but no subscription to it (the editors’ address is not used for alarms)', () => {
    const small: Topology = {
      functions: topology.functions.filter((fn) => fn.name === 'list-articles'),
      editorAlerts: topology.editorAlerts!,
    };
    const { stack, template } = synthesize({ topology: small, editorAlertEmail: 'desk@news.example' });
    const topicId = logicalIdOf(stack, stack.alarms.topic);
    template.resourceCountIs('AWS::SNS::Subscription', 1);
    template.resourcePropertiesCountIs('AWS::SNS::Subscription', { TopicArn: ref(topicId) }, 0);
    // Errors and throttles of the one function, the API's 5xx and the editor inbox's dead letters.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 4);
  });
});
