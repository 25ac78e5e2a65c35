/**
 * A bus event as EventBridge hands it to a rule's target: the envelope around a detail, from the
 * project's source, at a fixed time and place so assertions can name them.
 */
import type { EventBridgeEvent } from 'aws-lambda';

export function busEvent(
  detailType: string,
  detail: Record<string, unknown>,
  id = 'event-1',
): EventBridgeEvent<string, unknown> {
  return {
    version: '0',
    id,
    'detail-type': detailType,
    source: 'newsroom',
    account: '123456789012',
    time: '2026-03-14T15:09:26Z',
    region: 'us-east-1',
    resources: [],
    detail,
  };
}
