import type { LiveMessage } from './live-shapes';

/** Publishes live updates to a channel (AppSync Events' HTTP publish in both hosts). */
export interface LiveUpdatesPublisher {
  /**
   * Publishes every message to the channel, in order, or throws: a throw lets the caller's retry
   * publish them again (subscribers apply messages by version, so a repeat changes nothing).
   */
  publish(channel: string, messages: readonly LiveMessage[]): Promise<void>;
}
