/**
 * One error report: what the reader says and quotes, their contact while it is kept, its history,
 * and the moves forward it still has. Closing it as corrected takes the correction readers will
 * see; once the API has published it, the panel shows it and where.
 */
import { describeError } from './api';
import { forwardMoves } from './choices';
import { button, el, errorText, h, nodes, time, uid } from './dom';
import { openPanel } from './panels';
import type { ErrorReport, ErrorReportWithContact, ReportStatus } from './shapes';
import { fill, formatTime, strings } from './strings';
import type { Desk } from './workspace';

export function openReportPanel(desk: Desk, reportId: string, onChanged?: () => void): void {
  const panel = openPanel(strings.reportsHeading);
  const status = h('div', { role: 'status', class: 'panel-status' });
  const content = h('div', {}, el('p', strings.loading));
  panel.body.append(status, content);
  let contact: string | null = null;

  async function load(): Promise<void> {
    try {
      const report = await desk.api.report(reportId);
      contact = report.contact;
      await render(report);
    } catch (error) {
      content.replaceChildren(errorText(describeError(error)));
    }
  }

  async function render(report: ErrorReport): Promise<void> {
    const view: ErrorReportWithContact = { ...report, contact };
    panel.heading.textContent = fill(strings.reportHeading, { category: strings.reportCategory[report.category] });
    const story = await desk.story(report.articleId);
    const storyName = story?.headline ?? fill(strings.unknownStory, { id: report.articleId });
    const facts = h(
      'dl',
      { class: 'facts' },
      el('dt', strings.reportStatusFilter),
      el('dd', strings.reportStatus[report.status]),
      el('dt', strings.reportStory),
      h(
        'dd',
        {},
        el('p', storyName),
        h(
          'p',
          { class: 'toolbar' },
          button(strings.storyPanel, () => desk.openStory(report.articleId), 'link'),
          button(
            strings.reportsOnStory,
            () => {
              panel.close();
              desk.showReports(report.articleId);
            },
            'link',
          ),
        ),
      ),
      el('dt', strings.reported),
      h('dd', {}, time(report.createdAt, formatTime(report.createdAt))),
      el('dt', strings.reportContact),
      view.contact ? h('dd', { class: 'mono' }, view.contact) : el('dd', strings.noContact, { class: 'muted' }),
    );
    content.replaceChildren(
      ...nodes(
        facts,
        h(
          'section',
          { class: 'panel-section' },
          el('h3', strings.reportDescription),
          el('p', report.description, { class: 'body' }),
        ),
        report.quote
          ? h('section', { class: 'panel-section' }, el('h3', strings.reportQuote), el('blockquote', report.quote))
          : null,
        report.correction
          ? h(
              'section',
              { class: 'panel-section' },
              el('h3', strings.corrections),
              el('p', report.correction.text, { class: 'body' }),
              h(
                'p',
                { class: 'muted' },
                fill(strings.correctedAt, { time: formatTime(report.correction.correctedAt) }),
              ),
            )
          : null,
        h(
          'section',
          { class: 'panel-section' },
          el('h3', strings.reportHistory),
          h(
            'ol',
            { class: 'plain' },
            ...report.history.map((change) =>
              h(
                'li',
                {},
                fill(strings.historyLine, { status: strings.reportStatus[change.status], time: formatTime(change.at) }),
                change.by
                  ? ` ${fill(strings.historyBy, { by: change.by === desk.user.subject ? strings.you : change.by })}`
                  : null,
                change.note ? h('span', { class: 'muted' }, ` — ${change.note}`) : null,
              ),
            ),
          ),
        ),
        moveForm(report),
      ),
    );
  }

  function moveForm(report: ErrorReport): HTMLElement {
    const moves = forwardMoves(report.status);
    if (moves.length === 0) {
      return el('p', fill(strings.closedReport, { status: strings.reportStatus[report.status].toLowerCase() }), {
        class: 'muted',
      });
    }
    const name = uid('move');
    const correctionId = uid('correction');
    const noteId = uid('note');
    const radios = moves.map((move, index) => {
      const id = `${name}-${move}`;
      const input = h('input', { type: 'radio', name, id, value: move, checked: index === 0 });
      return { input, row: h('p', { class: 'choice' }, input, el('label', strings.moveChoice[move], { for: id })) };
    });
    const correction = h('textarea', { id: correctionId, rows: '3', maxlength: '2000' });
    const correctionField = h(
      'p',
      { class: 'field' },
      el('label', strings.correctionLabel, { for: correctionId }),
      correction,
    );
    const note = h('textarea', { id: noteId, rows: '2', maxlength: '2000' });
    const problem = h('div');
    const submit = h('button', { type: 'submit' }, strings.moveSubmit);
    const chosen = () => (radios.find(({ input }) => input.checked)?.input.value ?? moves[0]) as ReportStatus;
    const sync = () => {
      correctionField.hidden = chosen() !== 'corrected';
      if (correctionField.hidden) correction.removeAttribute('aria-required');
      else correction.setAttribute('aria-required', 'true');
    };
    for (const { input } of radios) input.addEventListener('change', sync);
    sync();
    const form = h(
      'form',
      { class: 'move-form', novalidate: true },
      h(
        'fieldset',
        {},
        el('legend', strings.moveTitle),
        h('div', { role: 'radiogroup', 'aria-label': strings.moveTo }, ...radios.map(({ row }) => row)),
        correctionField,
        h('p', { class: 'field' }, el('label', strings.noteLabel, { for: noteId }), note),
        problem,
        submit,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const to = chosen();
      const text = correction.value.trim();
      if (to === 'corrected' && !text) {
        problem.replaceChildren(errorText(strings.correctionRequired));
        correction.setAttribute('aria-invalid', 'true');
        correction.focus();
        return;
      }
      correction.removeAttribute('aria-invalid');
      submit.disabled = true;
      problem.replaceChildren();
      desk.api
        .moveReport(reportId, {
          status: to,
          note: note.value.trim() || null,
          correction: to === 'corrected' ? text : null,
        })
        .then(
          async (moved) => {
            const story = moved.correction ? await desk.story(moved.articleId) : null;
            const page = desk.storyPage(moved.articleId, story?.canonicalUrl ?? null);
            status.replaceChildren(
              el('p', fill(strings.moved, { status: strings.reportStatus[moved.status].toLowerCase() })),
              ...(moved.correction ? published(moved.correction.text, page) : []),
            );
            onChanged?.();
            await render(moved);
            panel.heading.focus();
          },
          (error: unknown) => {
            submit.disabled = false;
            problem.replaceChildren(errorText(describeError(error)));
          },
        );
    });
    return form;
  }

  function published(text: string, page: string | null): HTMLElement[] {
    return [
      el('p', strings.published),
      el('blockquote', text),
      ...(page ? [h('p', {}, h('a', { href: page, target: '_blank', rel: 'noopener' }, strings.viewStoryPage))] : []),
    ];
  }

  void load();
}
