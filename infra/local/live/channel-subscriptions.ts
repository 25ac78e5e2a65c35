import { subscriptionPathsFor } from './channel-path';

/** One subscription of one connection: its id on that connection and where its events go. */
export interface Subscription {
  /** The client's id for it, which every `data` frame for it carries. */
  id: string;
  /** The subscribed path, `/stories/<id>` or a wildcard such as `/stories/*`. */
  path: string;
  deliver(event: string): void;
}

/**
 * Every open subscription of the local Event API by subscribed path, so a publish finds its
 * receivers with one lookup per prefix of its channel instead of a scan of every subscription.
 */
export class ChannelSubscriptions {
  private readonly byPath = new Map<string, Set<Subscription>>();

  add(subscription: Subscription): void {
    let subscribed = this.byPath.get(subscription.path);
    if (!subscribed) this.byPath.set(subscription.path, (subscribed = new Set()));
    subscribed.add(subscription);
  }

  remove(subscription: Subscription): void {
    const subscribed = this.byPath.get(subscription.path);
    subscribed?.delete(subscription);
    if (subscribed?.size === 0) this.byPath.delete(subscription.path);
  }

  /** The subscriptions a publish to `channel` (a concrete channel path) reaches. */
  receiversOf(channel: string): Subscription[] {
    return subscriptionPathsFor(channel).flatMap((path) => [...(this.byPath.get(path) ?? [])]);
  }
}
