/**
 * The small interfaces the domain needs from the outside world. Adapters in
 * `shared/adapters/` implement them on AWS (and so on the local engines); tests can
 * implement them in memory.
 */
import type { DetailType, EventDetails } from './events/catalog';

/** What the store says about an object without reading it. */
export interface ObjectInfo {
  /** Size of the whole object in bytes. */
  size: number;
  /** The object's entity tag, without the quotes S3 wraps it in; absent when the store does not say. */
  eTag?: string;
  lastModified?: Date;
  contentType?: string;
  metadata: Record<string, string>;
}

export interface StoredObject extends ObjectInfo {
  /** The object's bytes: all of them, or the first `maxBytes` when it was read with that bound. */
  body: Buffer;
}

export interface PutObjectOptions {
  contentType?: string;
  metadata?: Record<string, string>;
}

export interface ObjectStore {
  /**
   * The object, or null when there is none. With `maxBytes`, at most that many bytes are read
   * (a ranged read), so an object larger than the caller accepts never fills its memory: a
   * `size` above `maxBytes` says the body is only the object's start.
   */
  get(key: string, options?: { maxBytes?: number }): Promise<StoredObject | null>;
  /** Size, tag and metadata only, to decide what to do without downloading the object. */
  head(key: string): Promise<ObjectInfo | null>;
  put(key: string, body: Buffer | string, options?: PutObjectOptions): Promise<void>;
  /** Copies an object inside the store: its bytes never pass through this process. */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** The largest object `copy` can copy. */
  readonly maxCopyBytes: number;
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
