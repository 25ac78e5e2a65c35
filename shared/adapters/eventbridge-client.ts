import { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** The EventBridge client for this process (endpoint from AWS_ENDPOINT_URL_EVENTBRIDGE locally). */
export function createEventBridgeClient(): EventBridgeClient {
  return new EventBridgeClient({});
}
