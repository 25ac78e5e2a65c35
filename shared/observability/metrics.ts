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
type MetricUnit = 'Count' | 'Milliseconds';

/** The variable Powertools' Metrics reads, kept so configurations written for it still work. */
const DISABLED_VARIABLE = 'POWERTOOLS_METRICS_DISABLED';

/**
 * An invocation's metrics, written as one CloudWatch embedded metric format (EMF) document: a
 * JSON log line that CloudWatch Logs turns into metrics, with the `service` dimension. Our own,
 * not Powertools' Metrics: we use three of its features (counts, a duration, one dimension), and
 * its 10 KB were a fifth of what a reader route may add to its bundle (docs/architecture.md, Decisions). The
 * document is the one Powertools writes for the same metrics.
 */
export class EmfMetrics {
  private readonly stored = new Map<MetricName, { unit: MetricUnit; values: number[] }>();

  constructor(private readonly options: { namespace: string; serviceName: string; write?: (line: string) => void }) {}

  addMetric(name: MetricName, unit: MetricUnit, value: number): void {
    const metric = this.stored.get(name);
    if (metric) metric.values.push(value);
    else this.stored.set(name, { unit, values: [value] });
  }

  hasStoredMetrics(): boolean {
    return this.stored.size > 0;
  }

  /** The EMF document of the stored metrics; a metric recorded more than once keeps every value. */
  serializeMetrics(now = Date.now()): Record<string, unknown> {
    const document: Record<string, unknown> = {
      _aws: {
        Timestamp: now,
        CloudWatchMetrics: [
          {
            Namespace: this.options.namespace,
            Dimensions: [['service']],
            Metrics: [...this.stored].map(([Name, { unit }]) => ({ Name, Unit: unit })),
          },
        ],
      },
      service: this.options.serviceName,
    };
    for (const [name, { values }] of this.stored) document[name] = values.length === 1 ? values[0] : values;
    return document;
  }

  /** Writes the document (unless metrics are disabled) and forgets the stored metrics. */
  publishStoredMetrics(): void {
    if (process.env[DISABLED_VARIABLE]?.toLowerCase() !== 'true') {
      const line = JSON.stringify(this.serializeMetrics());
      (this.options.write ?? ((text: string) => process.stdout.write(`${text}\n`)))(line);
    }
    this.stored.clear();
  }
}

let instance: EmfMetrics | undefined;

/**
 * The process's metrics, created on first use rather than at import, so that the environment it
 * reads (POWERTOOLS_SERVICE_NAME) is the one the host set up before the first invocation.
 */
export function metrics(): EmfMetrics {
  instance ??= new EmfMetrics({
    namespace: METRICS_NAMESPACE,
    serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'newsroom',
  });
  return instance;
}

/** Adds `value` (default 1) to a count metric of this invocation. */
export function countMetric(name: MetricName, value = 1): void {
  if (value > 0) metrics().addMetric(name, 'Count', value);
}

/** Records a duration in milliseconds (one data point; EMF keeps every value for percentiles). */
export function durationMetric(name: MetricName, milliseconds: number): void {
  if (Number.isFinite(milliseconds)) metrics().addMetric(name, 'Milliseconds', Math.max(0, milliseconds));
}

/**
 * Middleware: writes the invocation's metrics, on success and on failure alike (a rejected
 * article is still a rejected article), and nothing when the invocation recorded none.
 */
export function flushMetrics(): middy.MiddlewareObj<unknown, unknown, Error, Context> {
  const flush = () => {
    if (instance?.hasStoredMetrics()) instance.publishStoredMetrics();
  };
  return { after: flush, onError: flush };
}
