import { ENV, requireEnv } from '../../config';
import { EVENT_SOURCE } from '../../events/catalog';
import { createEventBridgeClient } from './eventbridge-client';
import { EventBridgePublisher } from './eventbridge-publisher';

/** The publisher for the project's bus, as configured by the environment; call once per process. */
export function createEventPublisher(env: NodeJS.ProcessEnv = process.env): EventBridgePublisher {
  return new EventBridgePublisher(
    createEventBridgeClient(),
    requireEnv(ENV.eventBusName, env),
    env[ENV.eventSource] || EVENT_SOURCE,
  );
}
