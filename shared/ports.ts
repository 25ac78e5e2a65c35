/**
 * The small interfaces the domain needs from the outside world. Adapters in
 * `shared/adapters/` implement them on AWS (and so on the local engines); tests can
 * implement them in memory.
 */
import type { DetailType, EventDetails } from './events/catalog';

export interface StoredObject {
  body: Buffer;
  contentType?: string;
  metadata: Record<string, string>;
}

export interface PutObjectOptions {
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface ObjectStore {
  get(key: string): Promise<StoredObject | null>;
  /** Metadata only, to decide whether a write is needed without downloading the object. */
  head(key: string): Promise<{ metadata: Record<string, string> } | null>;
  put(key: string, body: Buffer | string, options?: PutObjectOptions): Promise<void>;
  delete(key: string): Promise<void>;
}

export type DomainEvent = { [T in DetailType]: { detailType: T; detail: EventDetails[T] } }[DetailType];

export interface EventPublisher {
  /** Publishes all events or throws; a throw lets the caller's retry publish them again. */
  publish(events: readonly DomainEvent[]): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
