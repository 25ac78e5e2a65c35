import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { NewsroomStack } from '../../infra/stack';
import { topology } from '../../infra/topology';
import { withLocalStack } from '../support/local-stack';

/**
 * The two hosts must wire the same functions to the same triggers. This starts the local stack,
 * synthesizes the CDK stack, reads back what each one actually wired (the local stack's
 * registrations; the template's routes, bucket notifications, rules and event source mappings)
 * and compares the two lists: a function or trigger that one host has and the other lacks fails here.
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
      case 'AWS::Lambda::EventSourceMapping':
        lines.push(`${functionOf(props.FunctionName)}: stream table`);
        break;
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
});
