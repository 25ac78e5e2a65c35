import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchGetItems } from '../aws/dynamo-batch-get';
import { indexedArticleOf } from './dynamo-article-index';
import type { IndexedArticle } from '../../articles/indexed-article-schema';
import {
  publicCorrection,
  storedCorrectionSchema,
  type Correction,
  type StoredCorrection,
} from '../../articles/corrections';
import { TABLE_KEYS } from '../../store/table-design';
import { articleKeys } from '../../store/article-keys';
import { correctionKeys } from '../../store/article-keys';
import * as z from '../../validation';
import { parseStoredItem } from '../aws/stored-item';

const { partitionKey: PK, sortKey: SK } = TABLE_KEYS;

/** The `CORRECTIONS` item: created with its first correction, so it always holds the list. */
const correctionsItemSchema = z.object({ [correctionKeys.list]: z.array(storedCorrectionSchema) });

/** Reads a story's published corrections. */
export class DynamoArticleCorrections {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * The story's corrections as readers see them, oldest first; empty when there are none.
   * `consistentRead` for a reader that must see a correction the moment it is published (the
   * live publisher, driven by the event that announces it); the story route does not need it.
   */
  async list(articleId: string, options: { consistentRead?: boolean } = {}): Promise<Correction[]> {
    const out = await this.db.send(
      new GetCommand({
        TableName: this.tableName,
        Key: this.key(articleId),
        ProjectionExpression: correctionKeys.list,
        ...(options.consistentRead ? { ConsistentRead: true } : {}),
      }),
    );
    return correctionsOf(out?.Item, this.key(articleId)).map(publicCorrection);
  }

  /**
   * The story's index item and its corrections, read consistently in one request, to render
   * `articles/<id>.json` from the latest committed state. Null when the story does not exist.
   */
  async loadStory(articleId: string): Promise<{ article: IndexedArticle; corrections: StoredCorrection[] } | null> {
    const partition = articleKeys.partition(articleId);
    const items = await batchGetItems(
      this.db,
      this.tableName,
      [
        { [PK]: partition, [SK]: articleKeys.meta },
        { [PK]: partition, [SK]: correctionKeys.sort },
      ],
      { consistentRead: true },
    );
    const meta = items.find((item) => item[SK] === articleKeys.meta);
    if (!meta) return null;
    return {
      article: indexedArticleOf(meta),
      corrections: correctionsOf(
        items.find((item) => item[SK] === correctionKeys.sort),
        this.key(articleId),
      ),
    };
  }

  private key(articleId: string): Record<string, string> {
    return { [PK]: articleKeys.partition(articleId), [SK]: correctionKeys.sort };
  }
}

/**
 * The corrections a story's `CORRECTIONS` item holds, oldest first; none when there is no item.
 * `key` is the item's, for the error (a projected read returns the list without the keys).
 *
 * @throws StoredItemError when the item does not hold a list of corrections
 */
function correctionsOf(item: Record<string, unknown> | undefined, key: Record<string, unknown>): StoredCorrection[] {
  if (!item) return [];
  return parseStoredItem(correctionsItemSchema, item, key)[correctionKeys.list];
}
