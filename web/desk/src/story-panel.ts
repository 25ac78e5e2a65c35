/**
 * A story: comments open or closed (a switch), its error reports in every status, and the
 * corrections published on it.
 */
import { describeError } from './api';
import { button, el, errorText, h, nodes, time, uid } from './dom';
import { openPanel } from './panels';
import type { ErrorReport, ReportStatus } from './shapes';
import { fill, formatTime, strings } from './strings';
import type { Desk } from './workspace';

const STATUSES: ReportStatus[] = ['received', 'reviewing', 'corrected', 'rejected'];

export function openStoryPanel(desk: Desk, articleId: string): void {
  const panel = openPanel(strings.storyPanel);
  const status = h('div', { role: 'status', class: 'panel-status' });
  const content = h('div', {}, el('p', strings.loading));
  panel.body.append(status, content);

  async function load(): Promise<void> {
    try {
      const [story, open, reports] = await Promise.all([
        desk.api.story(articleId),
        desk.api.commentsOpen(articleId),
        Promise.all(STATUSES.map((state) => desk.api.reports(state, articleId, null, 100))),
      ]);
      panel.heading.textContent = story.headline;
      const page = desk.storyPage(articleId, story.canonicalUrl);
      content.replaceChildren(
        ...nodes(
          el('p', fill(strings.storyId, { id: articleId }), { class: 'muted mono' }),
          page ? h('p', {}, h('a', { href: page, target: '_blank', rel: 'noopener' }, strings.openStoryPage)) : null,
          commentsSwitch(open),
          reportsSection(reports.flatMap((found) => found.items)),
          h(
            'section',
            { class: 'panel-section' },
            el('h3', strings.corrections),
            story.corrections.length === 0
              ? el('p', strings.noCorrections, { class: 'muted' })
              : h(
                  'ul',
                  { class: 'plain' },
                  ...story.corrections.map((correction) =>
                    h(
                      'li',
                      {},
                      el('p', correction.text, { class: 'body' }),
                      h(
                        'p',
                        { class: 'muted' },
                        time(
                          correction.correctedAt,
                          fill(strings.correctedAt, { time: formatTime(correction.correctedAt) }),
                        ),
                      ),
                    ),
                  ),
                ),
          ),
        ),
      );
    } catch (error) {
      content.replaceChildren(errorText(describeError(error)));
    }
  }

  /** A checkbox with the switch role: on is open. A failed change puts it back and says why. */
  function commentsSwitch(open: boolean): HTMLElement {
    const id = uid('comments-open');
    const input = h('input', { type: 'checkbox', role: 'switch', id, checked: open });
    const problem = h('div');
    input.addEventListener('change', () => {
      const wanted = input.checked;
      input.disabled = true;
      problem.replaceChildren();
      desk.api.setCommentsOpen(articleId, wanted).then(
        (settings) => {
          input.checked = settings.commentsOpen;
          input.disabled = false;
          status.replaceChildren(el('p', settings.commentsOpen ? strings.commentsNowOpen : strings.commentsNowClosed));
        },
        (error: unknown) => {
          input.checked = !wanted;
          input.disabled = false;
          problem.replaceChildren(errorText(describeError(error)));
        },
      );
    });
    return h(
      'section',
      { class: 'panel-section' },
      h('p', { class: 'switch' }, input, el('label', strings.commentsOpenLabel, { for: id })),
      problem,
    );
  }

  function reportsSection(reports: ErrorReport[]): HTMLElement {
    reports.sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1));
    return h(
      'section',
      { class: 'panel-section' },
      el('h3', strings.storyReports),
      reports.length === 0
        ? el('p', strings.noStoryReports, { class: 'muted' })
        : h(
            'ul',
            { class: 'plain' },
            ...reports.map((report) =>
              h(
                'li',
                {},
                h(
                  'p',
                  { class: 'byline' },
                  el('span', strings.reportStatus[report.status], { class: `badge report-${report.status}` }),
                  ' ',
                  el('strong', strings.reportCategory[report.category]),
                  ' · ',
                  time(report.createdAt, formatTime(report.createdAt)),
                ),
                el('p', excerpt(report.description), { class: 'body' }),
                button(strings.openReport, () => desk.openReport(report.reportId, () => void load()), 'secondary'),
              ),
            ),
          ),
    );
  }

  void load();
}

/** The start of a text, on one line. */
export function excerpt(text: string, length = 160): string {
  const line = text.replace(/\s+/g, ' ').trim();
  const chars = [...line];
  return chars.length <= length
    ? line
    : `${chars
        .slice(0, length - 1)
        .join('')
        .trimEnd()}…`;
}
