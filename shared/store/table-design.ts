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
  /**
   * Attributes copied into the index besides the keys (INCLUDE projection); absent means the
   * whole item is projected (ALL).
   */
  nonKeyAttributes?: readonly string[];
}

/**
 * The fields of a story's summary, the one list of them: what the feed index projects, what the
 * summary schema (shared/articles/indexed-article-schema) takes from the article's, and what the
 * most-voted listing reads of each story. Kept in the order the feed index was created with:
 * CloudFormation compares a projection as a list, and a changed projection rebuilds the index.
 */
export const ARTICLE_SUMMARY_FIELDS = [
  'id',
  'headline',
  'subheadline',
  'byline',
  'publishedAt',
  'slug',
  'version',
  'updatedAt',
] as const;

/**
 * The newest-first article feed. Ingest is editor-paced (hundreds of stories a day), far
 * below one partition's 1,000 writes a second, so one feed partition is enough; fast-moving
 * counters never live on items that carry feed keys.
 */
export const FEED_INDEX: GlobalIndexDesign = {
  indexName: 'feed',
  partitionKey: 'feedPk',
  sortKey: 'feedSk',
  nonKeyAttributes: ARTICLE_SUMMARY_FIELDS,
};

/**
 * Two overloaded indexes that any item type may use for a second access pattern, with its own
 * key prefixes (e.g. `REPORTS#received` / `<createdAt>#<id>`). Sharing two generic indexes,
 * rather than one index per feature, keeps the table within a single CloudFormation update
 * (which can add only one index at a time) and keeps the write cost of each item explicit:
 * only items that set `gsi1pk` are written to `gsi1`.
 */
export const GSI1: GlobalIndexDesign = { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' };
export const GSI2: GlobalIndexDesign = { indexName: 'gsi2', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' };

/**
 * A third overloaded index, for what editors look up by reader (`READER#<readerId>`: their
 * comments and flags). Added in a release of its own: one index per CloudFormation update.
 */
export const GSI3: GlobalIndexDesign = { indexName: 'gsi3', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' };

export const GLOBAL_INDEXES: readonly GlobalIndexDesign[] = [FEED_INDEX, GSI1, GSI2, GSI3];

/**
 * How long a stream consumer's applied-marker (the record that a change was counted) is kept:
 * beyond the table stream's 24-hour retention plus retries, after which no record of the change
 * can be delivered again. The TTL attribute lets DynamoDB remove markers after that.
 */
export const APPLIED_MARKER_LIFETIME_SECONDS = 3 * 24 * 3600;
