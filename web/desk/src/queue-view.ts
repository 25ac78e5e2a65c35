/**
 * A moderation queue (pending or flagged): each comment with its story, the comment it answers,
 * its author, why it is here (held for, flags), and one key or button per decision (the keys:
 * queue-keys.ts); a delete asks first, as it is final, and Undo takes back the last approve,
 * reject or hide. Decisions are announced in the desk's live region.
 */
import { ApiError, describeError } from './api';
import { button, el, errorText, h, time } from './dom';
import { confirmDialog } from './panels';
import { QUEUE_KEYS, queueActionOf, type QueueAction } from './queue-keys';
import { QueueState } from './queue-state';
import type { Decision, FlagReason, QueueItem, QueueStatus } from './shapes';
import { fill, formatTime, plural, strings } from './strings';
import type { Desk, View } from './workspace';

const DECISIONS: Decision[] = ['approved', 'rejected', 'hidden', 'deleted'];

export function authorOf(comment: { author: string | null }): string {
  return comment.author ?? strings.anonymousAuthor;
}

export class QueueView implements View {
  readonly element: HTMLElement;
  private readonly state: QueueState;
  private readonly list: HTMLOListElement;
  private readonly status: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly undoButton: HTMLButtonElement;
  private readonly moreButton: HTMLButtonElement;
  private readonly heading: HTMLHeadingElement;
  private busy = false;
  private loading = false;
  /** Set when an emptied list was read again, so an empty queue is not read in a loop. */
  private reloadedEmpty = false;
  private itemError: { id: string; message: string } | null = null;

  constructor(
    private readonly desk: Desk,
    readonly queue: QueueStatus,
  ) {
    this.state = new QueueState(queue);
    this.heading = el('h1', strings.queueHeading[queue], { tabindex: '-1' });
    this.undoButton = button('', () => void this.undo(), 'secondary');
    this.undoButton.setAttribute('aria-keyshortcuts', 'u');
    this.undoButton.hidden = true;
    this.moreButton = button(strings.loadMore, () => void this.load(true), 'secondary');
    this.moreButton.hidden = true;
    this.list = h('ol', { class: 'queue-list', 'aria-label': strings.commentsList });
    this.status = h('p', { class: 'muted' });
    this.problem = h('div');
    const keys = h(
      'details',
      { class: 'keys' },
      el('summary', strings.keysHelp),
      h(
        'dl',
        {},
        ...(Object.entries(QUEUE_KEYS) as [QueueAction, string][]).flatMap(([action, key]) => [
          h('dt', {}, el('kbd', key)),
          el('dd', strings.keys[action]),
        ]),
      ),
    );
    this.element = h(
      'section',
      { class: 'view' },
      h(
        'div',
        { class: 'view-head' },
        h('div', {}, this.heading, el('p', strings.queueIntro[queue], { class: 'intro' })),
        h(
          'div',
          { class: 'toolbar' },
          this.undoButton,
          button(strings.refresh, () => void this.load(false), 'secondary'),
        ),
      ),
      keys,
      this.problem,
      this.status,
      this.list,
      this.moreButton,
    );
  }

  show(): void {
    void this.load(false);
  }

  focus(): void {
    this.heading.focus();
  }

  /** The queue's keys; true when the key was one. */
  onKey(event: KeyboardEvent): boolean {
    const action = queueActionOf(event.key);
    switch (action) {
      case null:
        return false;
      case 'next':
        return this.moveBy(1);
      case 'previous':
        return this.moveBy(-1);
      case 'undo':
        if (!event.repeat) void this.undo();
        return true;
      default:
        if (!event.repeat) void this.decide(action);
        return true;
    }
  }

  private moveBy(delta: number): boolean {
    if (this.state.move(delta)) {
      this.itemError = null;
      this.render(true);
    }
    return true;
  }

  async load(append: boolean): Promise<void> {
    if (this.loading) return;
    this.loading = true;
    this.moreButton.disabled = true;
    if (!append && this.state.items.length === 0) this.status.textContent = strings.loading;
    try {
      const page = await this.desk.api.queue(this.queue, append ? this.state.nextCursor : null);
      if (!this.desk.alive()) return;
      const keep = this.state.current?.id;
      this.state.load(page, append);
      if (!append && keep) this.state.select(keep);
      this.problem.replaceChildren();
      if (this.state.counts) this.desk.countsChanged(this.state.counts);
      if (this.state.items.length > 0) this.reloadedEmpty = false;
      this.render(false);
    } catch (error) {
      this.status.textContent = '';
      this.problem.replaceChildren(errorText(describeError(error)));
    } finally {
      this.loading = false;
      this.moreButton.disabled = false;
    }
  }

  private async decide(decision: Decision): Promise<void> {
    const item = this.state.current;
    if (!item || this.busy) return;
    this.busy = true;
    try {
      if (decision === 'deleted') {
        const sure = await confirmDialog(
          strings.confirmDeleteTitle,
          fill(strings.confirmDeleteText, { author: authorOf(item) }),
          strings.confirmDelete,
        );
        if (!sure) return;
      }
      this.itemError = null;
      this.markBusy(item.id, true);
      const answer = await this.desk.api.decide(item.id, decision);
      if (!this.desk.alive()) return;
      this.state.decided(answer);
      this.desk.announce(fill(strings.decided[decision], { author: authorOf(item) }));
      if (this.state.counts) this.desk.countsChanged(this.state.counts);
      this.render(true);
      this.refillIfEmpty();
    } catch (error) {
      this.itemError = { id: item.id, message: describeError(error) };
      this.render(true);
    } finally {
      this.busy = false;
    }
  }

  private async undo(): Promise<void> {
    const last = this.state.lastDecision;
    if (!last || this.busy) return;
    this.busy = true;
    this.undoButton.disabled = true;
    try {
      const answer = await this.desk.api.undo(last.item.id, last.status, last.moderatedAt);
      if (!this.desk.alive()) return;
      this.state.undone(answer);
      this.problem.replaceChildren();
      this.desk.announce(
        fill(strings.undone, { author: authorOf(last.item), status: strings.commentStatus[answer.status] }),
      );
      if (this.state.counts) this.desk.countsChanged(this.state.counts);
      this.render(true);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'nothing_to_undo') {
        this.state.forgetDecision();
        this.problem.replaceChildren(errorText(fill(strings.nothingToUndo, { message: error.message })));
      } else {
        this.problem.replaceChildren(errorText(describeError(error)));
      }
      this.render(false);
    } finally {
      this.busy = false;
      this.undoButton.disabled = false;
    }
  }

  /** The list emptied while the queue still holds comments: read it again from the start. */
  private refillIfEmpty(): void {
    const more = this.state.nextCursor !== null || (this.state.counts?.[this.queue] ?? 0) > 0;
    if (this.state.items.length > 0 || !more || this.reloadedEmpty) return;
    this.reloadedEmpty = true;
    void this.load(false);
  }

  private markBusy(id: string, busy: boolean): void {
    const row = this.list.querySelector<HTMLElement>(`li[data-id="${CSS.escape(id)}"]`);
    if (busy) row?.setAttribute('aria-busy', 'true');
    else row?.removeAttribute('aria-busy');
  }

  /** Draws the list; `focus`: moves the focus to the selected comment (or the heading if none). */
  private render(focus: boolean): void {
    const { items, selected, lastDecision } = this.state;
    this.status.textContent = items.length === 0 ? strings.queueEmpty[this.queue] : '';
    this.list.hidden = items.length === 0;
    this.list.replaceChildren(...items.map((item, index) => this.itemElement(item, index === selected)));
    this.moreButton.hidden = this.state.nextCursor === null;
    this.undoButton.hidden = lastDecision === null;
    if (lastDecision) {
      this.undoButton.textContent = fill(strings.undoLabel[lastDecision.status], {
        author: authorOf(lastDecision.item),
      });
    }
    if (!focus) return;
    const row = this.list.querySelector<HTMLElement>('li[aria-current="true"]');
    if (row) {
      row.focus();
      row.scrollIntoView({ block: 'nearest' });
    } else {
      this.heading.focus();
    }
  }

  private itemElement(item: QueueItem, selected: boolean): HTMLLIElement {
    const author = authorOf(item);
    const bylineId = `byline-${item.id}`;
    const story = item.story;
    const storyPage = story ? this.desk.storyPage(item.articleId, story.canonicalUrl) : null;
    const storyLine = h(
      'p',
      { class: 'story' },
      `${strings.onStory} `,
      story
        ? storyPage
          ? h('a', { href: storyPage, target: '_blank', rel: 'noopener' }, story.headline)
          : el('strong', story.headline)
        : el('em', strings.storyGone),
    );
    const parent = item.parent
      ? h(
          'div',
          { class: 'parent' },
          el('p', fill(strings.inReplyTo, { author: authorOf(item.parent) }), { class: 'muted' }),
          el('blockquote', item.parent.body),
        )
      : null;
    const byline = h(
      'p',
      { class: 'byline', id: bylineId },
      el('strong', author),
      item.verified ? el('span', strings.verified, { class: 'badge verified' }) : null,
      ' · ',
      time(item.createdAt, fill(strings.postedAt, { time: formatTime(item.createdAt) })),
      item.edited ? ` · ${strings.edited}` : null,
    );
    const reasons = (Object.entries(item.flags.reasons) as [FlagReason, number][])
      .filter(([, count]) => count > 0)
      .map(([reason, count]) => `${strings.flagReasons[reason]} ${count}`)
      .join(', ');
    const flags =
      item.flags.count > 0
        ? el(
            'p',
            `${plural(strings.flagsSummary, item.flags.count)}${reasons ? `: ${reasons}` : ''}. ` +
              `${fill(strings.flagsSinceReview, {
                since: item.flags.sinceReview,
                sources: item.flags.sourcesSinceReview,
                sourceWord: plural(strings.source, item.flags.sourcesSinceReview),
              })}.`,
            { class: 'flags' },
          )
        : null;
    const held = item.heldFor
      ? el('p', fill(strings.heldFor, { reason: strings.heldReasons[item.heldFor] ?? item.heldFor }), {
          class: 'held',
        })
      : null;
    const decide = (decision: Decision) => {
      this.state.select(item.id);
      void this.decide(decision);
    };
    const actions = h(
      'div',
      { class: 'actions' },
      ...DECISIONS.map((decision) => {
        const key = QUEUE_KEYS[decision];
        const control = button(
          strings.decisionButton[decision],
          () => decide(decision),
          decision === 'deleted' ? 'danger-outline' : decision === 'approved' ? undefined : 'secondary',
        );
        control.setAttribute('aria-keyshortcuts', key);
        control.append(' ', el('kbd', key, { 'aria-hidden': 'true' }));
        return control;
      }),
      item.readerId
        ? button(strings.readerPanel, () => this.desk.openReader(item.readerId!, author), 'secondary')
        : el('span', strings.importedComment, { class: 'muted' }),
      button(strings.storyPanel, () => this.desk.openStory(item.articleId), 'secondary'),
    );
    const row = h(
      'li',
      {
        class: selected ? 'item selected' : 'item',
        'data-id': item.id,
        tabindex: '-1',
        'aria-current': selected ? 'true' : undefined,
        'aria-labelledby': bylineId,
      },
      storyLine,
      parent,
      h('div', { class: 'comment' }, byline, el('p', item.body, { class: 'body' })),
      held,
      flags,
      actions,
      this.itemError?.id === item.id ? errorText(this.itemError.message) : null,
    );
    row.addEventListener('focusin', () => {
      if (this.state.current?.id === item.id) return;
      this.state.select(item.id);
      for (const other of this.list.querySelectorAll('li[aria-current]')) {
        other.removeAttribute('aria-current');
        other.classList.remove('selected');
      }
      row.setAttribute('aria-current', 'true');
      row.classList.add('selected');
    });
    return row;
  }
}
