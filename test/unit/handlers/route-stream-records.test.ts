import { SendMessageBatchCommand, SQSClient, type SendMessageBatchCommandInput } from '@aws-sdk/client-sqs';
import type { DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { topology } from '../../../infra/topology';
import { lambdaContext } from '../../support/api-events';
import { handlerHarness } from '../../support/handler-harness';

/** The routes as both hosts write them: every queue-fed function of the topology, with a queue URL. */
const routes = topology.functions.flatMap((fn) =>
  fn.trigger.kind === 'queue'
    ? [
        {
          feature: fn.name,
          queueUrl: `https://sqs.us-east-1.amazonaws.com/123456789012/${fn.name}${fn.trigger.fifo ? '.fifo' : ''}`,
          filters: fn.trigger.streamFilters,
        },
      ]
    : [],
);
const harness = handlerHarness({ env: { STREAM_ROUTES: JSON.stringify(routes) } });
const sqs = mockClient(SQSClient);
const route =
  harness.handler<(event: DynamoDBStreamEvent, context: unknown) => Promise<DynamoDBBatchResponse>>(
    'route-stream-records',
  );
beforeEach(() => {
  sqs.reset();
  sqs.on(SendMessageBatchCommand).callsFake((input: SendMessageBatchCommandInput) => ({
    Successful: input.Entries!.map((entry) => ({ Id: entry.Id, MessageId: `m-${entry.Id}`, MD5OfMessageBody: '' })),
    Failed: [],
  }));
});

let sequence = 0;
function record(pk: string, sk: string, eventName: 'INSERT' | 'MODIFY' | 'REMOVE' = 'MODIFY'): DynamoDBRecord {
  const n = String(++sequence);
  return {
    eventID: `event-${n}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: { SequenceNumber: n, Keys: { pk: { S: pk }, sk: { S: sk } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}

describe('route-stream-records (the table stream, for every feature but the vote aggregator)', () => {
  it("sends each of the topology's stream features the records its filters select, and nothing else", async () => {
    const records = [
      record('ARTICLE#a', 'META', 'INSERT'),
      record('ARTICLE#a', 'REPORT#a-1', 'INSERT'),
      record('ARTICLE#a', 'CONTACT#a-1', 'INSERT'),
      record('ARTICLE#a', 'COMMENT#1', 'REMOVE'),
      record('CVOTE#a.1#reader', 'CVOTE'),
      record('ARTICLE#a', 'POLL#TALLY#2'),
      record('ARTICLE#a', 'COUNTS'),
    ];

    const result = await route({ Records: records }, lambdaContext());

    expect(result).toEqual({ batchItemFailures: [] });
    const sent = Object.fromEntries(
      routes.map(({ feature, queueUrl }) => [
        feature,
        sqs
          .commandCalls(SendMessageBatchCommand)
          .filter((call) => call.args[0].input.QueueUrl === queueUrl)
          .flatMap((call) => call.args[0].input.Entries!.map((entry) => JSON.parse(entry.MessageBody!).eventID)),
      ]),
    );
    expect(sent).toEqual({
      'publish-article-changes': ['event-1'],
      'follow-up-error-reports': ['event-2'],
      'process-comment-changes': ['event-1', 'event-4', 'event-5'],
      'publish-poll-tallies': ['event-6'],
    });
  });
});

harness.itSendsOnlyDeclaredTableOperations();
