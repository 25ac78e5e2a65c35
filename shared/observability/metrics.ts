import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** The CloudWatch namespace of every business metric of this backend. */
export const METRICS_NAMESPACE = 'Newsroom';

/**
 * The business metrics, named once. Each is recorded where its domain outcome is known (the
 * handler) and flushed as one embedded-metric-format log line per invocation by the middleware.
 */
export const METRIC = {
  articlesIngested: 'ArticlesIngested',
  articlesRejected: 'ArticlesRejected',
  commentsPosted: 'CommentsPosted',
  commentsHeld: 'CommentsHeld',
  votesCast: 'VotesCast',
  errorReportsSubmitted: 'ErrorReportsSubmitted',
  tallyLagMs: 'TallyLagMs',
} as const;

export type MetricName = (typeof METRIC)[keyof typeof METRIC];

let instance: Metrics | undefined;

/**
 * The process's Metrics, created on first use rather than at import, so that the environment
 * it reads (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_DISABLED) is the one the host set up
 * before the first invocation — the local stack and the tests set it after importing handlers.
 */
export function metrics(): Metrics {
  instance ??= new Metrics({
    namespace: METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'newsroom',
  });
  return instance;
}

/** Adds `value` (default 1) to a count metric of this invocation. */
export function countMetric(name: MetricName, value = 1): void {
  if (value > 0) metrics().addMetric(name, MetricUnit.Count, value);
}

/** Records a duration in milliseconds (one data point; EMF keeps every value for percentiles). */
export function durationMetric(name: MetricName, milliseconds: number): void {
  if (Number.isFinite(milliseconds)) metrics().addMetric(name, MetricUnit.Milliseconds, Math.max(0, milliseconds));
}

/**
 * Middleware: writes the invocation's metrics, on success and on failure alike (a rejected
 * article is still a rejected article). Unlike Powertools' `logMetrics`, it stays silent when
 * the invocation recorded none, instead of warning on every read-only request.
 */
export function flushMetrics(): middy.MiddlewareObj<unknown, unknown, Error, Context> {
  const flush = () => {
    if (instance?.hasStoredMetrics()) instance.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
