import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { traced } from '../../observability/tracer';

/** The EventBridge client for this process (endpoint from AWS_ENDPOINT_URL_EVENTBRIDGE locally), traced. */
export function createEventBridgeClient(): EventBridgeClient {
  return traced(new EventBridgeClient({}));
}
