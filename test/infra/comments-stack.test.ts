/**
 * The comment API as the CDK stack deploys it. The generic walk in stack.test.ts already checks
 * every function's runtime, trigger and grants; this pins the contract of the comment feature:
 * which routes readers and editors get, and which stream records reach the comment consumer.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../infra/constructs/news-function';
import { NewsroomStack } from '../../infra/stack';
import { topology } from '../../infra/topology';

const context = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
const app = new App({ context: { ...context, 'aws:cdk:bundling-stacks': [] } });
const template = Template.fromStack(new NewsroomStack(app, 'Newsroom'));

describe('the comment API in the stack', () => {
  it.each([
    ['POST /articles/{articleId}/comments', 'NONE'],
    ['GET /articles/{articleId}/comments', 'NONE'],
    ['GET /comments/{commentId}/replies', 'NONE'],
    ['POST /comments/{commentId}/votes', 'NONE'],
    ['POST /comments/{commentId}/flags', 'NONE'],
    ['GET /moderation/comments', 'JWT'],
    ['PATCH /comments/{commentId}', 'JWT'],
    ['PATCH /articles/{articleId}/comment-settings', 'JWT'],
  ])('routes %s with authorization %s', (routeKey, authorizationType) => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: routeKey,
      AuthorizationType: authorizationType,
    });
  });

  it('lets only the routes that hash reader secrets read the hashing key', () => {
    const hashing = topology.functions.filter((fn) => fn.needs.readerHashKey).map((fn) => fn.name);
    expect(hashing).toEqual(expect.arrayContaining(['post-comment', 'vote-on-comment', 'flag-comment']));
    for (const name of [
      'list-comments',
      'list-comment-replies',
      'list-moderation-queue',
      'moderate-comment',
      'change-comment-settings',
      'process-comment-changes',
    ]) {
      expect([name, topology.functions.find((fn) => fn.name === name)?.needs.readerHashKey]).toEqual([name, undefined]);
    }
  });

  it('delivers comment items, vote and flag records and story metadata to the comment consumer, in whole batches', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 100,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      FilterCriteria: {
        Filters: Match.arrayWith([
          { Pattern: JSON.stringify({ dynamodb: { Keys: { sk: { S: [{ prefix: 'COMMENT#' }] } } } }) },
          {
            Pattern: JSON.stringify({
              dynamodb: { Keys: { pk: { S: [{ prefix: 'CVOTE#' }, { prefix: 'CFLAG#' }] } } },
            }),
          },
          { Pattern: JSON.stringify({ eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } }) },
        ]),
      },
    });
  });
});
