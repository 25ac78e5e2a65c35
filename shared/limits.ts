/** Limits and defaults that more than one module needs, defined once. */
export const LIMITS = {
  /** Largest story page or JSON article accepted, dropped in S3 or posted. */
  maxIngestBytes: 2 * 1024 * 1024,
  /**
   * Largest parsed story, as JSON. A page can be up to 2 MB with markup, but its article is
   * stored as one DynamoDB item (400 KB at most, keys and bookkeeping included) and announced in
   * events (256 KB at most): a story past these is rejected at parse time, where an editor sees
   * why, instead of failing every retry further down.
   */
  maxArticleBytes: 300 * 1024,
  /**
   * Most items one feed (RSS or Atom) may hold: each becomes a story with its own writes, and all
   * of them must fit in one invocation of the ingest function (or one `POST /articles`).
   */
  maxFeedItems: 500,
  maxHeadlineChars: 300,
  maxSubheadlineChars: 600,
  /** Largest JSON body a reader route accepts (comments, votes, reports); larger is a 413. */
  maxReaderBodyBytes: 16 * 1024,
  pageSize: { default: 20, max: 100 },
} as const;
