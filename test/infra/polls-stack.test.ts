/**
 * CDK assertions specific to the reader poll: how the aggregator reads the stream (its
 * exactly-once argument depends on it) and how the tally publisher gets tally changes and what each poll function may touch. The
 * generic walk in stack.test.ts checks every function's runtime, routes and declared grants.
 */
import { type CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NewsroomStack } from '../../infra/stack';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

const app = testApp();
const stack = new NewsroomStack(app, 'PollStack');
const template = Template.fromStack(stack);
const resources: Record<string, Json> = template.toJSON().Resources;

const logicalIdOf = (name: string): string =>
  stack.getLogicalId(stack.functions.get(name)!.node.defaultChild as CfnFunction);
const onlyId = (type: string): string => {
  const ids = Object.keys(template.findResources(type));
  expect(ids).toHaveLength(1);
  return ids[0]!;
};

function mappingOf(name: string): Json {
  const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).filter(
    (mapping) => mapping.Properties.FunctionName.Ref === logicalIdOf(name),
  );
  expect(mappings).toHaveLength(1);
  return mappings[0]!.Properties;
}

function actionsOf(name: string): Map<string, Json[]> {
  const roleId = resources[logicalIdOf(name)]!.Properties.Role['Fn::GetAtt'][0];
  const byAction = new Map<string, Json[]>();
  for (const policy of Object.values(resources).filter(
    (r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId),
  )) {
    for (const statement of policy.Properties.PolicyDocument.Statement as Json[]) {
      for (const action of [statement.Action].flat() as string[])
        byAction.set(action, [...(byAction.get(action) ?? []), statement]);
    }
  }
  return byAction;
}

const queueOf = (name: string): string =>
  Object.keys(template.findResources('AWS::SQS::Queue')).find((id) =>
    id.startsWith(`${stack.functions.get(name)!.node.id}DeadLetterQueue`),
  )!;

describe("the poll aggregator's stream trigger", () => {
  const mapping = mappingOf('aggregate-poll-votes');

  it('reads only new vote records, in large batches over a one-second window', () => {
    expect(mapping).toMatchObject({
      EventSourceArn: { 'Fn::GetAtt': [onlyId('AWS::DynamoDB::GlobalTable'), 'StreamArn'] },
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 1,
    });
    expect(mapping.FilterCriteria.Filters.map((f: { Pattern: string }) => JSON.parse(f.Pattern))).toEqual([
      { eventName: ['INSERT'], dynamodb: { Keys: { pk: { S: [{ prefix: 'VOTE#' }] }, sk: { S: ['VOTE'] } } } },
    ]);
  });

  it('reports partial batch failures, retries, and sends what it gives up on to its own dead-letter queue', () => {
    expect(mapping).toMatchObject({
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 10,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueOf('aggregate-poll-votes'), 'Arn'] } } },
    });
  });

  it('neither splits a failed batch nor reads a shard in parallel: redelivery must start where the handler says', () => {
    expect(mapping.BisectBatchOnFunctionError).toBe(false);
    // Absent means 1: one batch at a time per shard, in order.
    expect(mapping.ParallelizationFactor).toBeUndefined();
  });
});

describe("the tally publisher's queue", () => {
  const mapping = mappingOf('publish-poll-tallies');
  const queueId = stack.getLogicalId(stack.featureQueues.get('publish-poll-tallies')!.node.defaultChild as CfnElement);

  it('is batched over a one-second window as the stream was, reporting partial failures', () => {
    expect(mapping).toEqual({
      FunctionName: { Ref: logicalIdOf('publish-poll-tallies') },
      EventSourceArn: { 'Fn::GetAtt': [queueId, 'Arn'] },
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 1,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
    });
  });

  it('is a standard queue (a projection reads the tally as it is now: order and duplicates change nothing) redriving to its dead-letter queue', () => {
    expect(resources[queueId]!.Properties).toEqual({
      VisibilityTimeout: 180,
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [queueOf('publish-poll-tallies'), 'Arn'] },
        maxReceiveCount: 11,
      },
    });
  });

  it('gets tally shard changes, and only those, from the stream router', () => {
    const routerId = logicalIdOf('route-stream-records');
    const joined = resources[routerId]!.Properties.Environment.Variables.STREAM_ROUTES['Fn::Join'][1] as Array<
      string | { Ref: string }
    >;
    const routes = JSON.parse(joined.map((part) => (typeof part === 'string' ? part : `<${part.Ref}>`)).join(''));
    expect(routes.find((route: Json) => route.feature === 'publish-poll-tallies')).toEqual({
      feature: 'publish-poll-tallies',
      queueUrl: `<${queueId}>`,
      filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: [{ prefix: 'POLL#TALLY#' }] } } } }],
    });
  });
});

describe('what the poll functions may touch', () => {
  const tableArn = { 'Fn::GetAtt': [onlyId('AWS::DynamoDB::GlobalTable'), 'Arn'] };

  it('lets only the vote handler read the reader hash key', () => {
    const secretId = stack.getLogicalId(stack.readerHashKey.node.defaultChild as CfnElement);
    const read = actionsOf('cast-poll-vote').get('secretsmanager:GetSecretValue')!;
    expect(
      read.some((statement) =>
        [statement.Resource].flat().some((resource) => JSON.stringify(resource) === JSON.stringify({ Ref: secretId })),
      ),
    ).toBe(true);
    for (const name of ['get-poll-results', 'aggregate-poll-votes', 'publish-poll-tallies', 'list-top-polls']) {
      expect([name, actionsOf(name).has('secretsmanager:GetSecretValue')]).toEqual([name, false]);
    }
  });

  it('lets the vote handler and the aggregators write the table, and the readers only read it', () => {
    for (const name of ['cast-poll-vote', 'aggregate-poll-votes', 'publish-poll-tallies']) {
      const writes = actionsOf(name).get('dynamodb:PutItem') ?? [];
      expect([
        name,
        writes.some((s) => JSON.stringify([s.Resource].flat()).includes(JSON.stringify(tableArn))),
      ]).toEqual([name, true]);
    }
    expect(actionsOf('list-top-polls').has('dynamodb:Query')).toBe(true);
    expect(actionsOf('get-poll-results').has('dynamodb:BatchGetItem')).toBe(true);
    for (const name of ['list-top-polls', 'get-poll-results']) {
      const writes = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].filter((a) =>
        actionsOf(name).has(a),
      );
      expect([name, writes]).toEqual([name, []]);
    }
  });

  it('lets only the tally publisher put events on the bus', () => {
    expect(actionsOf('publish-poll-tallies').has('events:PutEvents')).toBe(true);
    for (const name of ['cast-poll-vote', 'get-poll-results', 'aggregate-poll-votes', 'list-top-polls']) {
      expect([name, actionsOf(name).has('events:PutEvents')]).toEqual([name, false]);
    }
  });

  it('serves the poll routes without an authorizer', () => {
    for (const routeKey of [
      'GET /articles/{articleId}/poll',
      'POST /articles/{articleId}/poll/votes',
      'GET /polls/top',
    ]) {
      template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: routeKey,
        AuthorizationType: 'NONE',
        AuthorizerId: Match.absent(),
      });
    }
  });
});
