/**
 * The reader CDN, declared: which public reads the distribution caches, for how long, and where
 * the widget lives. The stack builds the CloudFront distribution from this (infra/constructs/
 * reader-cdn.ts); reader writes and editor calls are never here — they go straight to the API,
 * so they pay no CDN request fee and keep the reader's address as API Gateway's `sourceIp`.
 */
export interface CachedRead {
  /** A CloudFront path pattern (`*` matches across `/`). */
  pathPattern: string;
  /** How long the edge keeps an answer; the API's own `cache-control` cannot lengthen it. */
  ttlSeconds: number;
  why: string;
}

/**
 * The static files' lifetimes on the distribution and in browsers, as their objects' cache-control
 * says (the local stack serves them with the same): content-hashed names never change content,
 * and names that stay (the widget's loader, the desk's page, each config.json) are kept five
 * minutes, so a deploy reaches every open page soon.
 */
export const STATIC_CACHE_CONTROL = {
  hashed: 'public, max-age=31536000, immutable',
  shortLived: 'public, max-age=300',
} as const;

/** Where the widget's files sit, on the distribution and in its bucket. */
export const WIDGET_PATH_PATTERN = '/widget/*';

/**
 * Most specific first: CloudFront takes the first behaviour whose pattern matches. Query strings
 * (limit, cursor, sort) are in every cache key; headers and cookies never are, `Authorization`
 * least of all: these routes are public and answer everyone alike.
 */
export const CACHED_READS: readonly CachedRead[] = [
  { pathPattern: '/articles/*/poll', ttlSeconds: 1, why: 'poll results: a second behind the tally at most' },
  { pathPattern: '/articles/*/comments', ttlSeconds: 5, why: 'comment pages: a new comment shows within seconds' },
  { pathPattern: '/comments/*/replies', ttlSeconds: 5, why: 'reply pages, as comment pages' },
  { pathPattern: '/polls/top', ttlSeconds: 30, why: 'the most-voted list moves slowly' },
  {
    pathPattern: '/articles/*',
    ttlSeconds: 10,
    why: 'a story and its corrections: a correction shows within seconds (the story body changes rarely)',
  },
  { pathPattern: '/articles', ttlSeconds: 60, why: 'the story feed: stories are published minutes apart' },
  { pathPattern: '/openapi.json', ttlSeconds: 300, why: 'changes only with a deploy' },
];
