import { AUTHOR_EDIT_WINDOW_SECONDS, FLAG_REASONS } from '../../../shared/comments/reader-vocabulary';
import { memory, readable } from './api';
import { append, h, replace, shadow } from './dom';
import { NewsroomElement } from './element';
import type { CommentListing as Listing, CommentView, LiveMessage, RepliesPage, ThreadView } from './shapes';
import { fill, plural } from './strings';

const PAGE = 10;
const EDIT_WINDOW_MS = AUTHOR_EDIT_WINDOW_SECONDS * 1000;

const CSS = `
ol{list-style:none;padding:0;margin:0}
article{border-top:1px solid var(--_line);padding:.75em 0}
ol ol{margin-left:1.5em}
.meta{font-size:.9em;color:var(--_muted)}
.author{font-weight:700;color:inherit}
.body{white-space:pre-wrap;overflow-wrap:anywhere;margin:.3em 0}
.badge{font-size:.8em;border:1px solid var(--_muted);border-radius:3px;padding:0 .3em;margin-left:.3em}
form{margin:.5em 0}
details{display:inline-block}
summary{cursor:pointer;color:var(--_accent);text-decoration:underline}
`;

/**
 * A story's comments: "Showing N of M comments", newest / oldest / top, "Show more" by cursor,
 * replies two levels deep, posting and replying with the API's own validation messages, votes,
 * flags with a reason, the reader's own pending comments, and their own comments editable and
 * deletable for 15 minutes. Bodies are text, never HTML.
 */
export class NewsroomComments extends NewsroomElement {
  private root!: ShadowRoot;
  private list!: HTMLOListElement;
  private summary!: HTMLElement;
  private more!: HTMLButtonElement;
  private status!: HTMLElement;
  private sort: 'newest' | 'oldest' | 'top' = 'newest';
  private cursor: string | null = null;
  private shown = 0;
  private total = 0;
  /** The comments on the page, by id: where a live edit or removal finds them. */
  private readonly onPage = new Map<string, { li: HTMLLIElement; body: HTMLElement }>();
  /** Each thread's list of replies, where a live reply goes. */
  private readonly replyLists = new Map<string, HTMLOListElement>();
  /** The version of each comment's last live message: an older message changes nothing. */
  private readonly versions = new Map<string, number>();

  protected async render(): Promise<void> {
    this.root = shadow(this, CSS);
    this.list = h('ol', { part: 'comments' });
    this.summary = h('p', { className: 'muted', 'aria-live': 'polite' });
    this.status = h('p', { role: 'status', className: 'muted' });
    this.more = h(
      'button',
      { type: 'button', hidden: true, onclick: () => void this.load(false) },
      this.strings.showMoreComments,
    );
    const sort = h(
      'select',
      {
        id: 'sort',
        onchange: () => {
          this.sort = sort.value as typeof this.sort;
          void this.load(true);
        },
      },
      h('option', { value: 'newest' }, this.strings.newestFirst),
      h('option', { value: 'oldest' }, this.strings.oldestFirst),
      h('option', { value: 'top' }, this.strings.topRated),
    );
    append(
      this.root,
      h(
        'section',
        { 'aria-labelledby': 'comments-title', part: 'section' },
        h('h2', { id: 'comments-title' }, this.strings.comments),
        h('div', { className: 'row' }, h('label', { htmlFor: 'sort' }, this.strings.sort), sort),
        this.summary,
        h('div', { id: 'compose' }),
        this.status,
        this.list,
        this.more,
      ),
    );
    await this.load(true);
    void this.follow({ apply: (message) => this.applyLive(message), refresh: () => void this.refresh() });
  }

  /**
   * Others' comments, pushed: a new one appears at the top when the newest come first (else only
   * the count grows), a reply under its thread, an edit in place, a removed one goes.
   */
  private applyLive(message: LiveMessage): void {
    if (message.kind !== 'comment' && message.kind !== 'comment-removed') return;
    const id = message.kind === 'comment' ? message.comment.id : message.commentId;
    if (message.version <= (this.versions.get(id) ?? 0)) return;
    this.versions.set(id, message.version);
    const present = this.onPage.get(id);
    if (message.kind === 'comment-removed') {
      this.total = Math.max(0, this.total - 1);
      if (present) {
        present.li.remove();
        this.onPage.delete(id);
        this.shown = Math.max(0, this.shown - 1);
      }
    } else if (present) {
      present.body.textContent = message.comment.body;
    } else {
      this.total += 1;
      this.insertNew(message.comment);
    }
    this.updateSummary();
  }

  private insertNew(comment: CommentView): void {
    const into =
      comment.parentId === null ? (this.sort === 'newest' ? this.list : null) : this.repliesTo(comment.parentId);
    if (!into) return;
    const li = this.item(comment, null);
    if (into === this.list) into.insertBefore(li, into.firstChild);
    else into.appendChild(li);
    this.shown += 1;
    this.status.textContent = fill(this.strings.newComment, { author: comment.author ?? this.strings.someReader });
  }

  /** The thread's replies list, made when a thread shown without one gets its first reply. */
  private repliesTo(threadId: string): HTMLOListElement | null {
    const existing = this.replyLists.get(threadId);
    if (existing) return existing;
    const thread = this.onPage.get(threadId);
    if (!thread) return null;
    const replies = h('ol', { 'aria-label': this.strings.replies });
    thread.li.appendChild(replies);
    this.replyLists.set(threadId, replies);
    return replies;
  }

  /** Without live updates: the newest page, read again, for comments not on the page yet. */
  private async refresh(): Promise<void> {
    const api = await this.api();
    const query = new URLSearchParams({ limit: String(PAGE), sort: 'newest' });
    const page = await api.get<Listing>(`/articles/${this.articleId}/comments?${query.toString()}`).catch(() => null);
    if (!page) return;
    this.total = page.total;
    for (const thread of [...page.items].reverse()) {
      if (!this.onPage.has(thread.id)) this.insertNew(thread);
    }
    this.updateSummary();
  }

  private async load(fresh: boolean): Promise<void> {
    const api = await this.api();
    const query = new URLSearchParams({ limit: String(PAGE), sort: this.sort });
    if (!fresh && this.cursor) query.set('cursor', this.cursor);
    let page: Listing;
    try {
      page = await api.get<Listing>(`/articles/${this.articleId}/comments?${query.toString()}`);
    } catch (error) {
      this.status.textContent = readable(error, this.strings);
      return;
    }
    if (fresh) {
      replace(this.list);
      this.onPage.clear();
      this.replyLists.clear();
      this.shown = 0;
      this.renderCompose(page.commentsOpen);
      for (const own of this.ownPending()) this.list.appendChild(this.item(own, null));
    }
    for (const thread of page.items) this.list.appendChild(this.item(thread, thread));
    this.shown += page.items.reduce((sum, thread) => sum + 1 + thread.replies.length, 0);
    this.total = page.total;
    this.cursor = page.nextCursor;
    this.more.hidden = page.nextCursor === null;
    this.updateSummary();
  }

  private updateSummary(): void {
    this.summary.textContent = fill(this.strings.showing, { shown: this.shown, total: this.total });
  }

  private renderCompose(open: boolean): void {
    const compose = this.root.getElementById('compose')!;
    if (!open) return replace(compose, h('p', { className: 'muted' }, this.strings.commentsClosed));
    replace(compose, this.form(null));
  }

  /** The post form, or a reply form under `parent`. */
  private form(parent: CommentView | null, onDone?: () => void): HTMLFormElement {
    const suffix = parent ? `-${parent.id}` : '';
    const name = h('input', { id: `name${suffix}`, name: 'author', autocomplete: 'nickname', maxLength: 50 });
    const body = h('textarea', { id: `body${suffix}`, name: 'body', required: true });
    const message = h('p', { role: 'alert', className: 'error' });
    const submit = h(
      'button',
      { type: 'submit', className: 'primary' },
      parent ? this.strings.reply : this.strings.postComment,
    );
    const form = h(
      'form',
      {
        part: 'form',
        noValidate: true,
        onsubmit: (event: Event) => {
          event.preventDefault();
          void send();
        },
      },
      h('label', { htmlFor: name.id }, this.strings.yourName),
      name,
      h('label', { htmlFor: body.id }, parent ? this.strings.yourReply : this.strings.yourComment),
      body,
      message,
      submit,
    );
    const send = async () => {
      submit.disabled = true;
      message.textContent = '';
      const api = await this.api();
      try {
        const posted = await api.write<CommentView>('POST', `/articles/${this.articleId}/comments`, {
          author: name.value,
          body: body.value,
          ...(parent ? { parentId: parent.id } : {}),
        });
        this.remember(posted);
        body.value = '';
        this.status.textContent =
          posted.status === 'pending' ? this.strings.commentPending : this.strings.commentPosted;
        const item = this.item(posted, null);
        if (parent) onDone?.();
        this.list.insertBefore(item, this.list.firstChild);
        if (posted.status !== 'pending') {
          this.shown += 1;
          this.total += 1;
          this.updateSummary();
        }
      } catch (error) {
        message.textContent = readable(error, this.strings);
      } finally {
        submit.disabled = false;
      }
    };
    return form;
  }

  private item(comment: CommentView, thread: ThreadView | null): HTMLLIElement {
    const body = h('p', { className: 'body' }, comment.body);
    const score = h('span', {}, String(comment.score));
    const actions = h('div', { className: 'row' });
    const li = h(
      'li',
      {},
      h(
        'article',
        { 'aria-label': fill(this.strings.commentBy, { author: comment.author ?? this.strings.someReader }) },
        h(
          'div',
          { className: 'meta' },
          h('span', { className: 'author' }, comment.author ?? this.strings.anonymousAuthor),
          comment.verified && h('span', { className: 'badge' }, this.strings.verified),
          ' · ',
          h('time', { dateTime: comment.createdAt }, new Date(comment.createdAt).toLocaleString(this.strings.locale)),
          comment.edited && ` · ${this.strings.edited}`,
          comment.status === 'pending' && h('span', { className: 'badge' }, this.strings.awaitingModeration),
        ),
        body,
        actions,
      ),
    );
    if (comment.status === 'approved') {
      append(
        actions,
        h(
          'button',
          { type: 'button', 'aria-label': this.strings.voteUp, onclick: () => void this.vote(comment, 1, score) },
          '▲',
        ),
        score,
        h(
          'button',
          { type: 'button', 'aria-label': this.strings.voteDown, onclick: () => void this.vote(comment, -1, score) },
          '▼',
        ),
        comment.parentId === null &&
          h(
            'button',
            {
              type: 'button',
              className: 'linkish',
              onclick: (event: Event) => {
                const button = event.currentTarget as HTMLButtonElement;
                button.hidden = true;
                const form = this.form(comment, () => form.remove());
                li.querySelector('article')!.appendChild(form);
                form.querySelector('input')?.focus();
              },
            },
            this.strings.reply,
          ),
        this.flagControl(comment),
      );
    }
    if (this.isOwnAndRecent(comment)) append(actions, ...this.ownControls(comment, body, li));
    this.onPage.set(comment.id, { li, body });
    if (thread) {
      const replies = h(
        'ol',
        { 'aria-label': this.strings.replies },
        ...thread.replies.map((reply) => this.item(reply, null)),
      );
      li.appendChild(replies);
      this.replyLists.set(thread.id, replies);
      const hidden = thread.replyCount - thread.replies.length;
      if (hidden > 0 && thread.repliesCursor) {
        let cursor: string | null = thread.repliesCursor;
        const more: HTMLButtonElement = h(
          'button',
          {
            type: 'button',
            className: 'linkish',
            onclick: async () => {
              const api = await this.api();
              const page = await api.get<RepliesPage>(
                `/comments/${thread.id}/replies?cursor=${encodeURIComponent(cursor!)}`,
              );
              append(replies, ...page.items.map((reply) => this.item(reply, null)));
              this.shown += page.items.length;
              this.updateSummary();
              cursor = page.nextCursor;
              if (!cursor) more.remove();
            },
          },
          plural(this.strings, this.strings.moreReplies, hidden),
        );
        li.appendChild(more);
      }
    }
    return li;
  }

  /**
   * "Flag" opens the reason form; the form is made when first opened, not with every comment, so
   * a page of comments carries a few nodes each instead of a dozen.
   */
  private flagControl(comment: CommentView): HTMLElement {
    const details: HTMLDetailsElement = h(
      'details',
      {
        ontoggle: () => {
          if (details.open && details.childElementCount === 1) append(details, ...this.flagForm(comment));
        },
      },
      h('summary', {}, this.strings.flag),
    );
    return details;
  }

  private flagForm(comment: CommentView): Array<Node | string> {
    const reason = h(
      'select',
      { id: `reason-${comment.id}` },
      ...FLAG_REASONS.map((value) => h('option', { value }, this.strings.flagReasons[value])),
    );
    const done = h('span', { role: 'status' });
    return [
      h('label', { htmlFor: reason.id }, this.strings.flagReason),
      reason,
      ' ',
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            const api = await this.api();
            try {
              await api.write('POST', `/comments/${comment.id}/flags`, { reason: reason.value });
              done.textContent = this.strings.flagSent;
            } catch (error) {
              done.textContent = readable(error, this.strings);
            }
          },
        },
        this.strings.sendFlag,
      ),
      done,
    ];
  }

  private async vote(comment: CommentView, value: 1 | -1, score: HTMLElement): Promise<void> {
    const api = await this.api();
    try {
      const result = await api.write<{ previousValue: 1 | -1 | null }>('POST', `/comments/${comment.id}/votes`, {
        value,
      });
      score.textContent = String(comment.score + value - (result.previousValue ?? 0));
    } catch (error) {
      this.status.textContent = readable(error, this.strings);
    }
  }

  private ownControls(comment: CommentView, body: HTMLElement, li: HTMLElement): HTMLElement[] {
    const edit = h(
      'button',
      {
        type: 'button',
        className: 'linkish',
        onclick: () => {
          const area = h('textarea', { id: `edit-${comment.id}` }, body.textContent ?? '');
          const message = h('p', { role: 'alert', className: 'error' });
          const form = h(
            'form',
            {
              onsubmit: async (event: Event) => {
                event.preventDefault();
                const api = await this.api();
                try {
                  const changed = await api.write<CommentView>('PUT', `/comments/${comment.id}/text`, {
                    body: area.value,
                  });
                  body.textContent = changed.body;
                  form.replaceWith(body);
                  this.status.textContent = this.strings.commentChanged;
                } catch (error) {
                  message.textContent = readable(error, this.strings);
                }
              },
            },
            h('label', { htmlFor: area.id }, this.strings.changeComment),
            area,
            message,
            h('button', { type: 'submit', className: 'primary' }, this.strings.save),
          );
          body.replaceWith(form);
          area.focus();
        },
      },
      this.strings.edit,
    );
    const remove = h(
      'button',
      {
        type: 'button',
        className: 'linkish',
        onclick: async () => {
          if (!confirm(this.strings.confirmDelete)) return;
          const api = await this.api();
          try {
            await api.write('DELETE', `/comments/${comment.id}`);
            li.remove();
            this.status.textContent = this.strings.commentDeleted;
          } catch (error) {
            this.status.textContent = readable(error, this.strings);
          }
        },
      },
      this.strings.delete,
    );
    return [edit, remove];
  }

  /** The reader's own comments, kept in this browser: pending ones are shown to them alone. */
  private remember(comment: CommentView): void {
    const own = this.own().filter((kept) => Date.now() - Date.parse(kept.createdAt) < EDIT_WINDOW_MS);
    own.push(comment);
    memory.set(`own:${this.articleId}`, JSON.stringify(own));
  }

  private own(): CommentView[] {
    try {
      return JSON.parse(memory.get(`own:${this.articleId}`) ?? '[]') as CommentView[];
    } catch {
      return [];
    }
  }

  private ownPending(): CommentView[] {
    return this.own().filter((comment) => comment.status === 'pending' && comment.parentId === null);
  }

  private isOwnAndRecent(comment: CommentView): boolean {
    return (
      Date.now() - Date.parse(comment.createdAt) < EDIT_WINDOW_MS && this.own().some((kept) => kept.id === comment.id)
    );
  }
}
