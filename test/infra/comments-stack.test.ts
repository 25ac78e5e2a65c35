/**
 * The comment API as the CDK stack deploys it. The generic walk in stack.test.ts already checks
 * every function's runtime, trigger and grants; this pins the contract of the comment feature:
 * which routes readers and editors get, and which stream records reach the comment consumer.
 */
import { Match, Template } from 'aws-cdk-lib/assertions';
import { NewsroomStack } from '../../infra/stack';
import { topology } from '../../infra/topology';
import { testApp } from '../support/cdk-app';

const app = testApp();
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

  it('has the stream router deliver comment items, vote and flag records and story metadata to the comment consumer', () => {
    const resources: Record<string, any> = template.toJSON().Resources;
    const router = Object.values(resources).find(
      (resource) =>
        resource.Type === 'AWS::Lambda::Function' && resource.Properties.Environment?.Variables?.STREAM_ROUTES,
    )!;
    const joined = router.Properties.Environment.Variables.STREAM_ROUTES['Fn::Join'][1] as Array<string | object>;
    const routes = JSON.parse(joined.map((part) => (typeof part === 'string' ? part : '<queue>')).join(''));
    expect(routes.find((route: { feature: string }) => route.feature === 'process-comment-changes').filters).toEqual([
      { dynamodb: { Keys: { sk: { S: [{ prefix: 'COMMENT#' }] } } } },
      { dynamodb: { Keys: { pk: { S: [{ prefix: 'CVOTE#' }, { prefix: 'CFLAG#' }] } } } },
      { eventName: ['INSERT', 'MODIFY'], dynamodb: { Keys: { sk: { S: ['META'] } } } },
    ]);
  });

  it('reads them from a FIFO queue, each item in order, in batches of ten reporting partial failures', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ProcessCommentChangesQueue'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 11 }),
      VisibilityTimeout: 180,
    });
  });
});
