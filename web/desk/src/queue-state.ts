/**
 * The moderation queue as the desk holds it between answers: the items shown (oldest first), the
 * selected one, both queues' counts, and the last decision that can still be undone. Decisions and
 * undos change it at once, without waiting for the queue's index to catch up: the counts and the
 * list follow each answer, and an item already decided here is not shown again when a page read a
 * moment later still lists it. No DOM, so the unit tests run it in Node.
 */
import type { EditorComment, QueueItem, QueuePage, QueueStatus, UndoableDecision } from './shapes';

export interface UndoableDecisionMade {
  /** The item as it was shown, to put back where it was. */
  item: QueueItem;
  index: number;
  queue: QueueStatus;
  status: UndoableDecision;
  /** From the decision's answer: names the decision to take back. */
  moderatedAt: string;
}

export class QueueState {
  items: QueueItem[] = [];
  selected = 0;
  nextCursor: string | null = null;
  counts: Record<QueueStatus, number> | null = null;
  lastDecision: UndoableDecisionMade | null = null;
  /** Ids decided here and not undone: a page that still lists one (the index lags) does not show it. */
  private readonly decidedIds = new Set<string>();

  constructor(public status: QueueStatus) {}

  get current(): QueueItem | null {
    return this.items[this.selected] ?? null;
  }

  /** A page read: the first (replacing what is shown) or the next (appended). */
  load(page: QueuePage, append: boolean): void {
    const fresh = page.items.filter((item) => !this.decidedIds.has(item.id) && item.status === this.status);
    if (append) {
      const shown = new Set(this.items.map((item) => item.id));
      this.items.push(...fresh.filter((item) => !shown.has(item.id)));
    } else {
      this.items = fresh;
      this.selected = 0;
    }
    this.nextCursor = page.nextCursor;
    // The index a page is read from may still list a comment decided a moment ago, and count it:
    // those this page shows are left out of the count too.
    const stale = page.items.length - fresh.length;
    this.counts = { ...page.counts, [this.status]: Math.max(0, page.counts[this.status] - stale) };
    this.clampSelection();
  }

  /** Another queue: its items come with its first page. */
  switchTo(status: QueueStatus): void {
    this.status = status;
    this.items = [];
    this.selected = 0;
    this.nextCursor = null;
  }

  /** Moves the selection by `delta`; false at either end. */
  move(delta: number): boolean {
    const next = this.selected + delta;
    if (next < 0 || next >= this.items.length) return false;
    this.selected = next;
    return true;
  }

  select(id: string): void {
    const index = this.items.findIndex((item) => item.id === id);
    if (index >= 0) this.selected = index;
  }

  /**
   * A decision's answer: the item leaves the list (the next one is selected), its queue counts one
   * fewer, and an approve, reject or hide becomes the decision Undo takes back.
   */
  decided(answer: EditorComment): void {
    const index = this.items.findIndex((item) => item.id === answer.id);
    if (index < 0) return;
    const [item] = this.items.splice(index, 1) as [QueueItem];
    this.decidedIds.add(answer.id);
    if (this.counts) this.counts[this.status] = Math.max(0, this.counts[this.status] - 1);
    this.lastDecision =
      answer.status !== 'deleted' && answer.undoTo !== null && answer.moderatedAt !== null
        ? {
            item,
            index,
            queue: this.status,
            status: answer.status as UndoableDecision,
            moderatedAt: answer.moderatedAt,
          }
        : null;
    if (index < this.selected) this.selected -= 1;
    this.clampSelection();
  }

  /** An undo's answer: the comment is back in the queue it left (and in the list, if it is shown). */
  undone(answer: EditorComment): void {
    const last = this.lastDecision;
    this.lastDecision = null;
    if (!last || last.item.id !== answer.id) return;
    this.decidedIds.delete(answer.id);
    const back = answer.status;
    if (back !== 'pending' && back !== 'flagged') return;
    if (this.counts) this.counts[back] += 1;
    if (back !== this.status || this.items.some((item) => item.id === answer.id)) return;
    const index = Math.min(last.index, this.items.length);
    this.items.splice(index, 0, { ...last.item, ...answer });
    this.selected = index;
  }

  /** The decision can no longer be undone (another change came after it). */
  forgetDecision(): void {
    this.lastDecision = null;
  }

  private clampSelection(): void {
    this.selected = Math.max(0, Math.min(this.selected, this.items.length - 1));
  }
}
