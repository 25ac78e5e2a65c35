import type { EventPattern } from '../event-pattern';

/**
 * One feature the stream router forwards table stream records to: its queue, and the stream
 * filters that select its records. The router is told its routes as a JSON array of these
 * (`STREAM_ROUTES`), which both hosts write from the topology's queue triggers.
 */
export interface StreamRoute {
  feature: string;
  queueUrl: string;
  filters: readonly EventPattern[];
}
