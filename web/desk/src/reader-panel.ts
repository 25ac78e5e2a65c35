/**
 * A reader, opened from any of their comments: the ban in force (lift it), a ban with an expiry
 * and a reason, their ban history, and a page at a time of their comments and flags.
 */
import { describeError } from './api';
import { banEnd, type BanLength } from './choices';
import { button, el, errorText, h, time, uid } from './dom';
import { openPanel } from './panels';
import type { BanRecord, EditorComment, ReaderFlag, ReaderRecord } from './shapes';
import { fill, formatTime, strings } from './strings';
import type { Desk } from './workspace';

export function openReaderPanel(desk: Desk, readerId: string, name: string): void {
  const panel = openPanel(fill(strings.readerHeading, { name }));
  const status = h('div', { role: 'status', class: 'panel-status' });
  const content = h('div', {}, el('p', strings.loading));
  panel.body.append(el('p', `${strings.readerId}: ${readerId}`, { class: 'muted mono' }), status, content);
  const comments: EditorComment[] = [];
  const flags: ReaderFlag[] = [];
  let record: ReaderRecord | null = null;

  const nameOf = (subject: string) => (subject === desk.user.subject ? strings.you : subject);

  async function load(): Promise<void> {
    try {
      record = await desk.api.reader(readerId);
      comments.splice(0, comments.length, ...record.comments.items);
      flags.splice(0, flags.length, ...record.flags.items);
      render();
    } catch (error) {
      content.replaceChildren(errorText(describeError(error)));
    }
  }

  async function more(which: 'comments' | 'flags', control: HTMLButtonElement, problem: HTMLElement) {
    if (!record) return;
    control.disabled = true;
    try {
      const cursor = record[which].nextCursor;
      const page = await desk.api.reader(
        readerId,
        which === 'comments' ? { commentsCursor: cursor } : { flagsCursor: cursor },
      );
      if (which === 'comments') {
        comments.push(...page.comments.items);
        record.comments.nextCursor = page.comments.nextCursor;
      } else {
        flags.push(...page.flags.items);
        record.flags.nextCursor = page.flags.nextCursor;
      }
      render();
    } catch (error) {
      problem.replaceChildren(errorText(describeError(error)));
      control.disabled = false;
    }
  }

  function render(): void {
    if (!record) return;
    content.replaceChildren(banSection(record), historySection(record.banHistory), commentsSection(), flagsSection());
  }

  function banSection(current: ReaderRecord): HTMLElement {
    const ban = current.ban;
    const latest = current.banHistory[0];
    const problem = h('div');
    const lines: (HTMLElement | null)[] = [
      el(
        'p',
        !ban
          ? strings.notBanned
          : ban.until
            ? fill(strings.bannedUntil, { time: formatTime(ban.until) })
            : strings.bannedForever,
        { class: ban ? 'banned' : '' },
      ),
      ban && latest?.action === 'banned' && latest.reason
        ? el('p', fill(strings.banReason, { reason: latest.reason }))
        : null,
    ];
    const lift = ban
      ? button(
          strings.unban,
          () => {
            lift!.disabled = true;
            desk.api.unban(readerId).then(
              async () => {
                status.replaceChildren(el('p', fill(strings.unbanned, { name })));
                await load();
                panel.heading.focus();
              },
              (error: unknown) => {
                lift!.disabled = false;
                problem.replaceChildren(errorText(describeError(error)));
              },
            );
          },
          'secondary',
        )
      : null;
    return h(
      'section',
      { class: 'panel-section' },
      el('h3', strings.banStatus),
      ...lines,
      lift,
      problem,
      banForm(Boolean(ban)),
    );
  }

  function banForm(replacing: boolean): HTMLFormElement {
    const lengthId = uid('ban-length');
    const atId = uid('ban-at');
    const reasonId = uid('ban-reason');
    const length = h('select', { id: lengthId, name: 'length' });
    for (const [value, label] of strings.banChoices) length.append(h('option', { value }, label));
    length.value = '7d';
    const at = h('input', { id: atId, name: 'at', type: 'datetime-local' });
    const atField = h('p', { class: 'field' }, el('label', strings.banUntil, { for: atId }), at);
    atField.hidden = true;
    length.addEventListener('change', () => {
      atField.hidden = length.value !== 'until';
    });
    const reason = h('textarea', { id: reasonId, name: 'reason', rows: '2', maxlength: '500' });
    const problem = h('div');
    const submit = h('button', { type: 'submit' }, strings.banSubmit);
    const form = h(
      'form',
      { class: 'ban-form', novalidate: true },
      h(
        'fieldset',
        {},
        el('legend', replacing ? strings.banReplace : strings.banTitle),
        h('p', { class: 'field' }, el('label', strings.banFor, { for: lengthId }), length),
        atField,
        h('p', { class: 'field' }, el('label', strings.banReasonLabel, { for: reasonId }), reason),
        problem,
        submit,
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const until = banEnd(length.value as BanLength, Date.now(), at.value);
      if (until === 'missing') {
        problem.replaceChildren(errorText(strings.banNeedsTime));
        at.focus();
        return;
      }
      submit.disabled = true;
      problem.replaceChildren();
      desk.api.ban(readerId, until, reason.value.trim() || null).then(
        async (ban) => {
          status.replaceChildren(
            el(
              'p',
              fill(strings.banDone, {
                name,
                until: ban.until
                  ? fill(strings.banHistoryUntil, { time: formatTime(ban.until) })
                  : strings.banHistoryForever,
              }),
            ),
          );
          await load();
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

  function historySection(history: BanRecord[]): HTMLElement {
    return h(
      'section',
      { class: 'panel-section' },
      el('h3', strings.banHistory),
      history.length === 0
        ? el('p', strings.noBanHistory, { class: 'muted' })
        : h(
            'ul',
            { class: 'plain' },
            ...history.map((entry) =>
              h(
                'li',
                {},
                entry.action === 'banned'
                  ? fill(strings.banHistoryBanned, {
                      until: entry.until
                        ? fill(strings.banHistoryUntil, { time: formatTime(entry.until) })
                        : strings.banHistoryForever,
                      by: nameOf(entry.by),
                      at: formatTime(entry.at),
                    })
                  : fill(strings.banHistoryUnbanned, { by: nameOf(entry.by), at: formatTime(entry.at) }),
                entry.reason ? h('span', { class: 'muted' }, ` — ${entry.reason}`) : null,
              ),
            ),
          ),
    );
  }

  function commentsSection(): HTMLElement {
    const problem = h('div');
    const control = button(strings.moreComments, () => void more('comments', control, problem), 'secondary');
    return h(
      'section',
      { class: 'panel-section' },
      el('h3', strings.readerComments),
      comments.length === 0
        ? el('p', strings.noReaderComments, { class: 'muted' })
        : h(
            'ul',
            { class: 'plain history' },
            ...comments.map((comment) =>
              h(
                'li',
                {},
                h(
                  'p',
                  { class: 'byline' },
                  el('span', strings.commentStatus[comment.status], { class: `badge status-${comment.status}` }),
                  ' ',
                  time(comment.createdAt, formatTime(comment.createdAt)),
                  ' ',
                  button(strings.storyPanel, () => desk.openStory(comment.articleId), 'link'),
                ),
                el('p', comment.body, { class: 'body' }),
              ),
            ),
          ),
      record?.comments.nextCursor ? control : null,
      problem,
    );
  }

  function flagsSection(): HTMLElement {
    const problem = h('div');
    const control = button(strings.moreFlags, () => void more('flags', control, problem), 'secondary');
    return h(
      'section',
      { class: 'panel-section' },
      el('h3', strings.readerFlags),
      flags.length === 0
        ? el('p', strings.noReaderFlags, { class: 'muted' })
        : h(
            'ul',
            { class: 'plain' },
            ...flags.map((flag) =>
              h(
                'li',
                {},
                fill(strings.flagLine, { reason: strings.flagReasons[flag.reason], time: formatTime(flag.flaggedAt) }),
                flag.counted ? null : h('span', { class: 'muted' }, ` ${strings.flagNotCounted}`),
              ),
            ),
          ),
      record?.flags.nextCursor ? control : null,
      problem,
    );
  }

  void load();
}
