/** Limits and defaults that more than one module needs, defined once. */
export const LIMITS = {
  /** Largest story page or JSON article accepted, dropped in S3 or posted. */
  maxIngestBytes: 2 * 1024 * 1024,
  /** Largest JSON body a reader route accepts (comments, votes, reports); larger is a 413. */
  maxReaderBodyBytes: 16 * 1024,
  pageSize: { default: 20, max: 100 },
} as const;
