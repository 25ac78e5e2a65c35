import type { DynamoDBRecord } from 'aws-lambda';
import { ARTICLE_ID_PATTERN } from '../../articles/identity';
import type { StreamedVote } from '../../polls/vote-batches';
import { TABLE_KEYS } from '../../store/table-design';
import { pollKeys } from '../../store/poll-keys';
import { fromImage } from '../aws/stream-images';

/** The vote a stream record carries (an INSERT of a vote item), or null if it is not one. */
export function streamedVoteFrom(record: DynamoDBRecord): StreamedVote | null {
  const sequence = record.dynamodb?.SequenceNumber;
  const item = fromImage(record.dynamodb?.NewImage);
  if (record.eventName !== 'INSERT' || !sequence || !/^\d+$/.test(sequence) || !record.eventID || !item) return null;
  const articleId = item.articleId;
  if (typeof articleId !== 'string' || !ARTICLE_ID_PATTERN.test(articleId) || typeof item.option !== 'string')
    return null;
  if (!String(item[TABLE_KEYS.partitionKey]).startsWith(`${pollKeys.votePrefix}${articleId}#`)) return null;
  return { sequence, eventId: record.eventID, articleId, option: item.option };
}

/** The story whose poll item a stream record is about (from its `ARTICLE#<id>` key), or null. */
export function articleIdOfPollRecord(record: DynamoDBRecord): string | null {
  const keys = fromImage(record.dynamodb?.Keys);
  if (!keys) return null;
  const pk = keys[TABLE_KEYS.partitionKey];
  const id = typeof pk === 'string' && pk.startsWith('ARTICLE#') ? pk.slice('ARTICLE#'.length) : '';
  return ARTICLE_ID_PATTERN.test(id) ? id : null;
}
