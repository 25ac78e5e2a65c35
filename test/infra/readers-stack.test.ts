/**
 * Reader bans as the CDK stack deploys them. The generic walk in stack.test.ts checks every
 * function's runtime, routes and declared grants; this pins what bans rely on: editors alone
 * ban and lift bans, every reader write may read the list of bans (the reader authenticator
 * reads it before anything else), and no stream consumer is handed a ban.
 */
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import { NewsroomStack } from '../../infra/stack';
import { isHttp, topology } from '../../infra/topology';
import { matchesPattern } from '../../shared/event-pattern';
import { testApp } from '../support/cdk-app';

type Json = Record<string, any>;

const app = testApp();
const stack = new NewsroomStack(app, 'Newsroom');
const template = Template.fromStack(stack);
const resources: Record<string, Json> = template.toJSON().Resources;
const tableId = Object.keys(template.findResources('AWS::DynamoDB::GlobalTable'))[0]!;

/** The DynamoDB actions a function's role holds on the table itself. */
function tableActionsOf(name: string): string[] {
  const functionId = stack.getLogicalId(stack.functions.get(name)!.node.defaultChild as CfnFunction);
  const roleId = resources[functionId]!.Properties.Role['Fn::GetAtt'][0];
  const tableArn = JSON.stringify({ 'Fn::GetAtt': [tableId, 'Arn'] });
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles.some((role: Json) => role.Ref === roleId))
    .flatMap((policy) => policy.Properties.PolicyDocument.Statement as Json[])
    .filter((statement) => [statement.Resource].flat().some((resource) => JSON.stringify(resource) === tableArn))
    .flatMap((statement) => [statement.Action].flat() as string[])
    .sort();
}

describe('reader bans in the stack', () => {
  it.each([
    ['PUT /readers/{readerId}/ban', 'JWT'],
    ['DELETE /readers/{readerId}/ban', 'JWT'],
  ])('routes %s with authorization %s', (routeKey, authorizationType) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: authorizationType,
    });
  });

  it('lets the ban routes read and put the table, and nothing else: no secret, no delete', () => {
    for (const name of ['ban-reader', 'unban-reader']) {
      expect([name, tableActionsOf(name)]).toEqual([name, ['dynamodb:GetItem', 'dynamodb:PutItem']]);
      const needs = topology.functions.find((fn) => fn.name === name)!.needs;
      expect([name, needs.readerHashKey, needs.readerTokenKey, needs.siteSignIn]).toEqual([
        name,
        undefined,
        undefined,
        undefined,
      ]);
    }
  });

  it('lets every reader write read the list of bans', () => {
    const readerWrites = topology.functions
      .filter(isHttp)
      .filter((fn) => fn.trigger.access === 'reader')
      .map((fn) => fn.name)
      .sort();

    expect(readerWrites).toEqual([
      'cast-poll-vote',
      'delete-own-comment',
      'edit-own-comment',
      'flag-comment',
      'post-comment',
      'submit-error-report',
      'vote-on-comment',
    ]);
    for (const name of readerWrites) {
      expect([name, tableActionsOf(name).includes('dynamodb:GetItem')]).toEqual([name, true]);
    }
  });

  it('hands no stream consumer a change of the ban list or of a ban history', () => {
    const records = [
      { pk: 'READER_BANS', sk: 'ACTIVE' },
      { pk: 'READER#reader-0001', sk: 'BAN#2026-03-02T10:00:00.000Z#banned' },
    ].flatMap((keys) =>
      ['INSERT', 'MODIFY', 'REMOVE'].map((eventName) => ({
        eventName,
        dynamodb: { Keys: { pk: { S: keys.pk }, sk: { S: keys.sk } } },
      })),
    );
    const filters = topology.functions.flatMap((fn) =>
      fn.trigger.kind === 'stream' ? fn.trigger.filters : fn.trigger.kind === 'queue' ? fn.trigger.streamFilters : [],
    );

    // A comment's record does reach its consumer: the filters are read as the router reads them.
    const comment = { eventName: 'INSERT', dynamodb: { Keys: { pk: { S: 'ARTICLE#a' }, sk: { S: 'COMMENT#c' } } } };
    expect(filters.some((filter) => matchesPattern(filter, comment))).toBe(true);
    for (const record of records) {
      expect([record, filters.some((filter) => matchesPattern(filter, record))]).toEqual([record, false]);
    }
  });
});
