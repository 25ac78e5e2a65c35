import type { Clock } from '../ports';
import type { PollDefinition } from './poll';
import type { PollStore, StoredPoll } from './ports';

/**
 * A poll store that remembers, per function instance, what a vote reads: the definition never
 * changes once stored, and the tally a voter is shown may be up to `maxAgeMs` old (plus their own
 * vote, which the results add). At a story's busy moments most votes then read nothing, so a vote
 * costs its one write. A poll not defined yet is never remembered: its first vote defines it.
 */
export class CachedPollStore implements PollStore {
  private readonly remembered = new Map<string, { poll: StoredPoll; readAt: number }>();

  constructor(
    private readonly store: PollStore,
    private readonly clock: Clock,
    private readonly options: { maxAgeMs: number; maxEntries: number },
  ) {}

  async load(articleId: string): Promise<StoredPoll> {
    const now = this.clock.now().getTime();
    const entry = this.remembered.get(articleId);
    if (entry && now - entry.readAt <= this.options.maxAgeMs) return entry.poll;
    const poll = await this.store.load(articleId);
    if (poll.definition) this.remember(articleId, poll, now);
    return poll;
  }

  findDefinition(articleId: string): Promise<PollDefinition | null> {
    return this.store.findDefinition(articleId);
  }

  findSource(articleId: string): ReturnType<PollStore['findSource']> {
    return this.store.findSource(articleId);
  }

  define(definition: PollDefinition): Promise<PollDefinition> {
    return this.store.define(definition);
  }

  private remember(articleId: string, poll: StoredPoll, readAt: number): void {
    // Least recently read first out: a Map iterates in insertion order.
    this.remembered.delete(articleId);
    this.remembered.set(articleId, { poll, readAt });
    if (this.remembered.size > this.options.maxEntries) {
      this.remembered.delete(this.remembered.keys().next().value!);
    }
  }
}
