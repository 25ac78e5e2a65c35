/**
 * The alerts since this editor last looked: new error reports (open them here) and stories refused
 * at ingest. "Mark as seen" moves the editor's mark (alerts-seen.ts) to the newest alert shown;
 * the navigation counts what is new.
 */
import { describeError } from './api';
import { markSeen, readSeen, unseen, type KeyValueStorage, type SeenMark } from './alerts-seen';
import { button, el, errorText, h, time } from './dom';
import type { EditorAlert, ReportCategory } from './shapes';
import { fill, formatTime, strings } from './strings';
import type { Desk, View } from './workspace';

export class AlertsView implements View {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly since: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly seenButton: HTMLButtonElement;
  private readonly moreButton: HTMLButtonElement;
  private mark: SeenMark | null;
  private items: EditorAlert[] = [];
  private nextCursor: string | null = null;

  constructor(
    private readonly desk: Desk,
    private readonly storage: KeyValueStorage | null,
  ) {
    this.mark = readSeen(storage, desk.user.subject);
    this.heading = el('h1', strings.alertsHeading, { tabindex: '-1' });
    this.since = h('p', { class: 'muted' });
    this.problem = h('div');
    this.list = h('ul', { class: 'alert-list', 'aria-label': strings.alertsList });
    this.empty = h('p', { class: 'muted' });
    this.seenButton = button(strings.markSeen, () => this.markAllSeen());
    this.moreButton = button(strings.moreAlerts, () => void this.load(true), 'secondary');
    this.element = h(
      'section',
      { class: 'view' },
      h(
        'div',
        { class: 'view-head' },
        h('div', {}, this.heading, el('p', strings.alertsIntro, { class: 'intro' }), this.since),
        h(
          'div',
          { class: 'toolbar' },
          this.seenButton,
          button(strings.refresh, () => void this.load(false), 'secondary'),
        ),
      ),
      this.problem,
      this.empty,
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

  /** Reads how many alerts are new, for the navigation. */
  async countNew(): Promise<void> {
    try {
      const page = await this.desk.api.alerts(this.mark?.since ?? null);
      if (this.desk.alive()) this.desk.alertsChanged(unseen(page.items, this.mark).length, page.nextCursor !== null);
    } catch {
      // The count waits for the next minute; the view itself shows what failed.
    }
  }

  async load(append: boolean): Promise<void> {
    this.moreButton.disabled = true;
    if (!append) this.empty.textContent = strings.loading;
    try {
      const page = await this.desk.api.alerts(this.mark?.since ?? null, append ? this.nextCursor : null);
      if (!this.desk.alive()) return;
      const fresh = unseen(page.items, this.mark);
      this.items = append ? [...this.items, ...fresh] : fresh;
      this.nextCursor = page.nextCursor;
      this.problem.replaceChildren();
      if (!append) this.desk.alertsChanged(this.items.length, this.nextCursor !== null);
      this.render();
    } catch (error) {
      this.empty.textContent = '';
      this.problem.replaceChildren(errorText(describeError(error)));
    } finally {
      this.moreButton.disabled = false;
    }
  }

  private markAllSeen(): void {
    this.mark = markSeen(this.storage, this.desk.user.subject, this.items, this.mark);
    this.items = [];
    this.nextCursor = null;
    this.desk.alertsChanged(0, false);
    this.desk.announce(strings.markedSeen);
    this.render();
  }

  private render(): void {
    this.since.textContent = this.mark
      ? fill(strings.alertsSince, { time: formatTime(this.mark.since) })
      : strings.alertsEverything;
    this.empty.textContent = this.items.length === 0 ? strings.noAlerts : '';
    this.list.hidden = this.items.length === 0;
    this.seenButton.disabled = this.items.length === 0;
    this.moreButton.hidden = this.nextCursor === null;
    this.list.replaceChildren(...this.items.map((alert) => this.itemElement(alert)));
  }

  private itemElement(alert: EditorAlert): HTMLLIElement {
    const when = time(alert.recordedAt, formatTime(alert.recordedAt));
    if (alert.kind === 'error-report') {
      const category = strings.reportCategory[alert.category as ReportCategory] ?? alert.category;
      return h(
        'li',
        { class: 'alert-item' },
        h('p', { class: 'byline' }, el('strong', fill(strings.alertReport, { category })), ' · ', when),
        el('p', alert.headline ?? fill(strings.unknownStory, { id: alert.articleId })),
        el('p', alert.excerpt, { class: 'body' }),
        button(strings.openReport, () => this.desk.openReport(alert.reportId), 'secondary'),
      );
    }
    return h(
      'li',
      { class: 'alert-item' },
      h('p', { class: 'byline' }, el('strong', strings.alertRejected), ' · ', when),
      el('p', fill(strings.alertRejectedReason, { message: alert.reason.message, code: alert.reason.code })),
      el('p', fill(strings.alertRejectedSource, { key: alert.sourceKey }), { class: 'muted mono' }),
    );
  }
}
