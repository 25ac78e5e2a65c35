/**
 * The browser (CORS) policy, once for both hosts: the HTTP API's preflight configuration in AWS
 * and the local gateway's answers. Origins differ per host — configured per deployment in AWS
 * (none by default), the stack's own pages and LOCAL_CORS_ORIGINS locally — the rest does not.
 */
export const CORS_POLICY = {
  /** Request headers a page may send: the bearer token, JSON bodies, retries and tracing. */
  allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-correlation-id'],
  /** Response headers a page may read besides the simple ones. */
  exposeHeaders: ['location', 'retry-after', 'x-correlation-id', 'idempotent-replayed'],
  maxAgeSeconds: 3600,
} as const;
