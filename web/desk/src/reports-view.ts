/**
 * The error-report triage list: one status at a time (received, reviewing, corrected, rejected),
 * optionally one story's, newest first, a page at a time. Opening a report opens its panel, where
 * it moves forward.
 */
import { describeError } from './api';
import { button, el, errorText, h, time, uid } from './dom';
import type { ErrorReport, ReportStatus } from './shapes';
import { excerpt } from './story-panel';
import { fill, formatTime, strings } from './strings';
import type { Desk, View } from './workspace';

const STATUSES: ReportStatus[] = ['received', 'reviewing', 'corrected', 'rejected'];
const ARTICLE_ID = /^[0-9a-f]{16}$/;

export class ReportsView implements View {
  readonly element: HTMLElement;
  private readonly heading: HTMLHeadingElement;
  private readonly statusButtons: Record<ReportStatus, HTMLButtonElement>;
  private readonly filterInput: HTMLInputElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly filterNote: HTMLElement;
  private readonly problem: HTMLElement;
  private readonly list: HTMLUListElement;
  private readonly empty: HTMLElement;
  private readonly moreButton: HTMLButtonElement;
  private status: ReportStatus = 'received';
  private articleId: string | null = null;
  private items: ErrorReport[] = [];
  private nextCursor: string | null = null;
  /** Counts reads, so an answer to an older one (another status) is dropped. */
  private generation = 0;

  constructor(private readonly desk: Desk) {
    this.heading = el('h1', strings.reportsHeading, { tabindex: '-1' });
    this.statusButtons = Object.fromEntries(
      STATUSES.map((status) => [status, button(strings.reportStatus[status], () => this.choose(status), 'toggle')]),
    ) as Record<ReportStatus, HTMLButtonElement>;
    const inputId = uid('story-filter');
    const hintId = uid('story-filter-hint');
    this.filterInput = h('input', {
      id: inputId,
      type: 'text',
      inputmode: 'latin',
      autocomplete: 'off',
      spellcheck: 'false',
      size: '18',
      'aria-describedby': hintId,
    });
    this.clearButton = button(strings.clearFilter, () => this.filterBy(null, true), 'secondary');
    const form = h(
      'form',
      { class: 'filter', role: 'search' },
      el('label', strings.storyFilter, { for: inputId }),
      this.filterInput,
      h('button', { type: 'submit', class: 'secondary' }, strings.applyFilter),
      this.clearButton,
      el('span', strings.storyFilterHint, { id: hintId, class: 'muted hint' }),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const value = this.filterInput.value.trim().toLowerCase();
      this.filterBy(value === '' ? null : value, true);
    });
    this.filterNote = h('p', { class: 'muted' });
    this.problem = h('div');
    this.list = h('ul', { class: 'report-list', 'aria-label': strings.reportsList });
    this.empty = h('p', { class: 'muted' });
    this.moreButton = button(strings.loadMore, () => void this.load(true), 'secondary');
    this.element = h(
      'section',
      { class: 'view' },
      h(
        'div',
        { class: 'view-head' },
        h('div', {}, this.heading, el('p', strings.reportsIntro, { class: 'intro' })),
        h(
          'div',
          { class: 'toolbar' },
          button(strings.refresh, () => void this.load(false), 'secondary'),
        ),
      ),
      h(
        'div',
        { class: 'status-tabs', role: 'group', 'aria-label': strings.reportStatusFilter },
        ...STATUSES.map((status) => this.statusButtons[status]),
      ),
      form,
      this.filterNote,
      this.problem,
      this.empty,
      this.list,
      this.moreButton,
    );
    this.sync();
  }

  show(): void {
    void this.load(false);
  }

  focus(): void {
    this.heading.focus();
  }

  /** Filters the list to one story (null: every story); `load`: read it now. */
  filterBy(articleId: string | null, load = false): void {
    if (articleId !== null && !ARTICLE_ID.test(articleId)) {
      this.problem.replaceChildren(errorText(`${strings.storyFilter}: ${strings.storyFilterHint}.`));
      this.filterInput.setAttribute('aria-invalid', 'true');
      this.filterInput.focus();
      return;
    }
    this.filterInput.removeAttribute('aria-invalid');
    this.articleId = articleId;
    this.filterInput.value = articleId ?? '';
    this.sync();
    if (load) void this.load(false);
  }

  private choose(status: ReportStatus): void {
    this.status = status;
    this.sync();
    void this.load(false);
  }

  private sync(): void {
    for (const status of STATUSES) {
      this.statusButtons[status].setAttribute('aria-pressed', String(status === this.status));
    }
    this.clearButton.hidden = this.articleId === null;
    this.filterNote.replaceChildren();
    const articleId = this.articleId;
    if (articleId) {
      this.filterNote.textContent = fill(strings.filteredBy, { story: articleId });
      void this.desk.story(articleId).then((story) => {
        if (story && this.articleId === articleId) {
          this.filterNote.textContent = fill(strings.filteredBy, { story: story.headline });
        }
      });
    }
  }

  async load(append: boolean): Promise<void> {
    const generation = ++this.generation;
    this.moreButton.disabled = true;
    if (!append) this.empty.textContent = strings.loading;
    try {
      const page = await this.desk.api.reports(this.status, this.articleId, append ? this.nextCursor : null);
      if (generation !== this.generation || !this.desk.alive()) return;
      this.items = append ? [...this.items, ...page.items] : page.items;
      this.nextCursor = page.nextCursor;
      this.problem.replaceChildren();
      this.render();
    } catch (error) {
      if (generation !== this.generation) return;
      this.empty.textContent = '';
      this.problem.replaceChildren(errorText(describeError(error)));
    } finally {
      this.moreButton.disabled = false;
    }
  }

  private render(): void {
    this.empty.textContent =
      this.items.length === 0
        ? fill(strings.noReports, { status: strings.reportStatus[this.status].toLowerCase() })
        : '';
    this.list.hidden = this.items.length === 0;
    this.moreButton.hidden = this.nextCursor === null;
    this.list.replaceChildren(...this.items.map((report) => this.itemElement(report)));
  }

  private itemElement(report: ErrorReport): HTMLLIElement {
    const storyName = h('span', {}, fill(strings.unknownStory, { id: report.articleId }));
    void this.desk.story(report.articleId).then((story) => {
      if (story) storyName.textContent = story.headline;
    });
    return h(
      'li',
      { class: 'report' },
      h(
        'p',
        { class: 'byline' },
        el('strong', strings.reportCategory[report.category]),
        ' · ',
        storyName,
        ' · ',
        time(report.createdAt, fill(strings.reportedAt, { time: formatTime(report.createdAt) })),
      ),
      el('p', excerpt(report.description), { class: 'body' }),
      button(strings.openReport, () => this.desk.openReport(report.reportId, () => void this.load(false)), 'secondary'),
    );
  }
}
