/**
 * The single-table design, declared once. The CDK stack and the local stack both build the
 * table from this, and the DynamoDB adapters use the same names, so a key renamed here is
 * renamed everywhere.
 */
export const TABLE_KEYS = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB TTL deletes the item some time after it passes. */
  timeToLive: 'expiresAt',
} as const;

export interface GlobalIndexDesign {
  indexName: string;
  partitionKey: string;
  sortKey: string;
  /** Attributes copied into the index besides the keys; the feed needs only the summary. */
  nonKeyAttributes: readonly string[];
}

/**
 * The newest-first article feed. Ingest is editor-paced (hundreds of stories a day), far
 * below one partition's 1,000 writes a second, so one feed partition is enough; fast-moving
 * counters never live on items that carry feed keys.
 */
export const FEED_INDEX: GlobalIndexDesign = {
  indexName: 'feed',
  partitionKey: 'feedPk',
  sortKey: 'feedSk',
  nonKeyAttributes: ['id', 'headline', 'subheadline', 'byline', 'publishedAt', 'slug', 'version', 'updatedAt'],
};

export const GLOBAL_INDEXES: readonly GlobalIndexDesign[] = [FEED_INDEX];
