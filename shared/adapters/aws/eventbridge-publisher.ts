import { PutEventsCommand, type EventBridgeClient, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { CORRELATION_RESOURCE_PREFIX, currentCorrelationId } from '../../observability/correlation';
import type { DomainEvent, EventPublisher } from '../../ports';

/** PutEvents takes at most 10 entries a call. */
const MAX_ENTRIES_PER_CALL = 10;

export class EventPublishError extends Error {
  constructor(readonly failures: { detailType: string; errorCode?: string; errorMessage?: string }[]) {
    super(`EventBridge rejected ${failures.length} event(s): ${failures.map((f) => f.errorCode).join(', ')}`);
    this.name = 'EventPublishError';
  }
}

/**
 * Publishes domain events on the project's bus. PutEvents can succeed as a call while failing
 * some entries, so entry failures are turned into an error: the caller's retry (Lambda's
 * async retries, the stream's batch retry) then publishes them again instead of losing them.
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly client: EventBridgeClient,
    private readonly busName: string,
    private readonly source: string,
  ) {}

  async publish(events: readonly DomainEvent[]): Promise<void> {
    for (let start = 0; start < events.length; start += MAX_ENTRIES_PER_CALL) {
      const chunk = events.slice(start, start + MAX_ENTRIES_PER_CALL);
      // The invocation's correlation id rides along as a resource (see observability/correlation),
      // so the consumers' logs name the batch or request that caused the event.
      const correlationId = currentCorrelationId();
      const resources = correlationId ? { Resources: [`${CORRELATION_RESOURCE_PREFIX}${correlationId}`] } : {};
      const entries: PutEventsRequestEntry[] = chunk.map((event) => ({
        EventBusName: this.busName,
        Source: this.source,
        DetailType: event.detailType,
        Detail: JSON.stringify(event.detail),
        ...resources,
      }));
      const out = await this.client.send(new PutEventsCommand({ Entries: entries }));
      if ((out.FailedEntryCount ?? 0) > 0) {
        const failures = (out.Entries ?? []).flatMap((entry, i) =>
          entry.ErrorCode
            ? [{ detailType: chunk[i]!.detailType, errorCode: entry.ErrorCode, errorMessage: entry.ErrorMessage }]
            : [],
        );
        throw new EventPublishError(failures);
      }
    }
  }
}
