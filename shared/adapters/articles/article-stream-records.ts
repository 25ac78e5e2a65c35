import type { DynamoDBRecord } from 'aws-lambda';
import type { IndexedArticle } from '../../articles/indexed-article-schema';
import { fromImage } from '../aws/stream-images';
import { indexedArticleOf } from './dynamo-article-index';

/**
 * The images of a story's index item a stream record carries, parsed like any item read from the
 * table (the consumer's filter passes `META` items only). An INSERT has no previous image.
 *
 * @throws StoredItemError when an image is not an indexed article
 */
export function articleImagesOf(record: DynamoDBRecord): {
  current: IndexedArticle | undefined;
  previous: IndexedArticle | undefined;
} {
  const current = fromImage(record.dynamodb?.NewImage);
  const previous = fromImage(record.dynamodb?.OldImage);
  return {
    current: current && indexedArticleOf(current),
    previous: previous && indexedArticleOf(previous),
  };
}
