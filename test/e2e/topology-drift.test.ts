import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NewsroomStack } from '../../infra/stack';
import { topology } from '../../infra/topology';
import { withLocalStack } from '../support/local-stack';

/**
 * The two hosts must wire the same functions to the same triggers. This starts the local stack,
 * synthesizes the CDK stack, reads back what each one actually wired (the local stack's
 * registrations; the template's routes, bucket notifications, rules, event source mappings on the
 * stream and on queues, and the queues the stream router may send to) and compares the two lists:
 * a function, trigger or route that one host has and the other lacks fails here.
 */
type CfnResource = { Type: string; Properties?: Record<string, any> };

function cdkWiring(): string[] {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new NewsroomStack(app, 'Drift');
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;
  const nameByLogicalId = new Map(
    [...stack.functions].map(([name, fn]) => [stack.getLogicalId(fn.node.defaultChild as CfnElement), name]),
  );
  const functionOf = (value: unknown): string => {
    const logicalId =
      (value as { 'Fn::GetAtt'?: string[]; Ref?: string })['Fn::GetAtt']?.[0] ?? (value as { Ref?: string }).Ref;
    const name = logicalId ? nameByLogicalId.get(logicalId) : undefined;
    if (!name) throw new Error(`Not a topology function: ${JSON.stringify(value)}`);
    return name;
  };

  const nameByRoleId = new Map(
    [...stack.functions].map(([name, fn]) => [stack.getLogicalId(fn.role!.node.defaultChild as CfnElement), name]),
  );
  /** Each queue an event source mapping reads, by logical id: the function it feeds. */
  const consumerByQueueId = new Map<string, string>();
  for (const resource of Object.values(resources)) {
    const source = resource.Properties?.EventSourceArn?.['Fn::GetAtt'] as string[] | undefined;
    if (resource.Type === 'AWS::Lambda::EventSourceMapping' && source?.[1] === 'Arn') {
      consumerByQueueId.set(source[0]!, functionOf(resource.Properties!.FunctionName));
    }
  }

  const lines: string[] = [];
  for (const resource of Object.values(resources)) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::ApiGatewayV2::Route': {
        const integrationId = props.Target['Fn::Join'][1][1].Ref as string;
        lines.push(`${functionOf(resources[integrationId]!.Properties!.IntegrationUri)}: route ${props.RouteKey}`);
        break;
      }
      case 'Custom::S3BucketNotifications':
        for (const config of props.NotificationConfiguration.LambdaFunctionConfigurations ?? []) {
          const prefix = config.Filter.Key.FilterRules.find((rule: { Name: string }) => rule.Name === 'prefix').Value;
          lines.push(`${functionOf(config.LambdaFunctionArn)}: s3 ${prefix}`);
        }
        break;
      case 'AWS::Events::Rule':
        for (const target of props.Targets ?? []) {
          if (!nameByLogicalId.has(target.Arn?.['Fn::GetAtt']?.[0])) continue; // non-function targets (queues, topics)
          lines.push(`${functionOf(target.Arn)}: rule ${JSON.stringify(props.EventPattern)}`);
        }
        break;
      case 'AWS::Lambda::EventSourceMapping': {
        const [sourceId, attribute] = props.EventSourceArn['Fn::GetAtt'] as [string, string];
        if (attribute === 'StreamArn') lines.push(`${functionOf(props.FunctionName)}: stream table`);
        else {
          const fifo = resources[sourceId]!.Properties?.FifoQueue === true;
          lines.push(`${functionOf(props.FunctionName)}: queue ${fifo ? 'fifo' : 'standard'}`);
        }
        break;
      }
      case 'AWS::IAM::Policy': {
        // A function that may send to a queue another function reads: the stream router's routes.
        const owner = nameByRoleId.get(props.Roles?.[0]?.Ref);
        if (!owner) break;
        for (const statement of props.PolicyDocument.Statement as Array<{
          Action: string | string[];
          Resource: unknown;
        }>) {
          if (![statement.Action].flat().includes('sqs:SendMessage')) continue;
          for (const resource of [statement.Resource].flat() as Array<{ 'Fn::GetAtt'?: string[] }>) {
            const consumer = consumerByQueueId.get(resource['Fn::GetAtt']?.[0] ?? '');
            if (consumer) lines.push(`${owner}: forwards to ${consumer}`);
          }
        }
        break;
      }
    }
  }
  return lines.sort();
}

describe('topology drift between the CDK stack and the local stack', () => {
  // Nothing here waits on the table stream: polling it rarely leaves the CPU to the CDK synthesis.
  const local = withLocalStack({ name: 'drift', pollIntervalMs: 1_000 });

  it('wires every topology function to the same triggers in both hosts', () => {
    // Event patterns are compared as CloudFormation renders them (keys in declaration order).
    const wired = local.stack.wiring.map(({ functionName, wire }) => `${functionName}: ${wire}`).sort();

    expect(wired).toEqual(cdkWiring());
    expect(new Set(wired.map((line) => line.split(':')[0]))).toEqual(new Set(topology.functions.map((fn) => fn.name)));
  });

  it('reads the stream twice, and feeds every other stream feature through the router and its queue', () => {
    const wired = local.stack.wiring.map(({ functionName, wire }) => `${functionName}: ${wire}`).sort();

    expect(wired.filter((line) => line.endsWith(': stream table'))).toEqual([
      'aggregate-poll-votes: stream table',
      'route-stream-records: stream table',
    ]);
    expect(wired.filter((line) => line.includes(': queue ') || line.includes('forwards to'))).toEqual([
      'follow-up-error-reports: queue fifo',
      'process-comment-changes: queue fifo',
      'publish-article-changes: queue fifo',
      'publish-poll-tallies: queue standard',
      'route-stream-records: forwards to follow-up-error-reports',
      'route-stream-records: forwards to process-comment-changes',
      'route-stream-records: forwards to publish-article-changes',
      'route-stream-records: forwards to publish-poll-tallies',
    ]);
  });
});
