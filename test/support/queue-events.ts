/**
 * Stream records as the stream router's queues deliver them to a feature: each record the body
 * of one SQS message, grouped by its item's key (FIFO), the way Lambda's SQS event source
 * mapping hands them to the function.
 */
import type { DynamoDBRecord, SQSEvent, SQSRecord } from 'aws-lambda';
import { deduplicationIdOf, messageBodyOf, messageGroupOf } from '../../shared/adapters/aws/stream-messages';

/** One message of a FIFO feature queue holding `record`; `standard` leaves out the group. */
export function queueMessage(
  record: DynamoDBRecord,
  options: { standard?: boolean; receiveCount?: number } = {},
): SQSRecord {
  const id = `msg-${record.eventID ?? record.dynamodb?.SequenceNumber}`;
  return {
    messageId: id,
    receiptHandle: `receipt-${id}`,
    body: messageBodyOf(record),
    attributes: {
      ApproximateReceiveCount: String(options.receiveCount ?? 1),
      SentTimestamp: '1767225600000',
      SenderId: 'AIDAEXAMPLE',
      ApproximateFirstReceiveTimestamp: '1767225600001',
      ...(options.standard
        ? {}
        : { MessageGroupId: messageGroupOf(record), MessageDeduplicationId: deduplicationIdOf('feature', record) }),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:feature.fifo',
    awsRegion: 'us-east-1',
  };
}

/** An SQS event of one message per record, in order. */
export function queueEvent(records: readonly DynamoDBRecord[], options: { standard?: boolean } = {}): SQSEvent {
  return { Records: records.map((record) => queueMessage(record, options)) };
}
