import { ApiError, memory, readable } from './api';
import { append, h, replace, shadow } from './dom';
import { NewsroomElement } from './element';
import type { LiveMessage, PollResults, ResultsWithVote } from './shapes';
import { plural } from './strings';

const CSS = `
fieldset{border:1px solid var(--_line);border-radius:6px;padding:1em}
legend{font-weight:700;padding:0 .3em}
.options{display:flex;flex-direction:column;gap:.4em;margin:.5em 0}
.bar{height:.6em;background:var(--_line);border-radius:3px;overflow:hidden}
.bar>span{display:block;height:100%;background:var(--_accent)}
li{list-style:none;margin:.5em 0}
ul{padding:0;margin:.5em 0}
.mine{font-weight:700}
`;

/**
 * "My Take on This Story": the question and its options; one click votes (the reader's first
 * write mints their anonymous token), "Show results without voting" shows the bars, and the
 * reader's own vote stays marked on a second visit (remembered here, or carried by the 409 of a
 * second vote from another device).
 */
export class NewsroomPoll extends NewsroomElement {
  private root!: ShadowRoot;
  private status!: HTMLElement;
  /** The latest results, and whether the reader is looking at them (else at the choices). */
  private results!: PollResults;
  private resultsShown = false;
  private yourVote: string | null = null;
  /** The tally version of the last live message applied: an older one changes nothing. */
  private version = 0;

  protected async render(): Promise<void> {
    this.root = shadow(this, CSS);
    this.status = h('p', { role: 'status', className: 'muted' });
    const api = await this.api();
    let results: PollResults;
    try {
      results = await api.get<PollResults>(`/articles/${this.articleId}/poll`);
    } catch (error) {
      append(this.root, h('p', { className: 'error' }, readable(error, this.strings)));
      return;
    }
    const mine = memory.get(`vote:${this.articleId}`);
    if (mine && results.options.some((option) => option.id === mine)) this.showResults(results, mine);
    else this.showChoices(results);
    void this.follow({ apply: (message) => this.applyLive(message), refresh: () => void this.reload() });
  }

  /** Others' votes, pushed: the bars follow them; the choices stay as they are until shown. */
  private applyLive(message: LiveMessage): void {
    if (message.kind !== 'poll' || message.version <= this.version) return;
    this.version = message.version;
    this.update(message);
  }

  /** Without live updates: the cached results, read again. */
  private async reload(): Promise<void> {
    const api = await this.api();
    const results = await api.get<PollResults>(`/articles/${this.articleId}/poll`).catch(() => null);
    if (results && (results.updatedAt ?? '') > (this.results.updatedAt ?? '')) this.update(results);
  }

  private update(results: PollResults): void {
    if (this.resultsShown) this.showResults(results, this.yourVote, this.status.textContent ?? '');
    else this.results = results;
  }

  private showChoices(results: PollResults): void {
    this.results = results;
    this.resultsShown = false;
    const buttons = results.options.map((option) =>
      h('button', { type: 'button', part: 'option', onclick: () => void this.vote(option.id, buttons) }, option.label),
    );
    this.show(
      results,
      h('div', { className: 'options' }, ...buttons),
      h(
        'button',
        { type: 'button', className: 'linkish', onclick: () => this.showResults(this.results) },
        this.strings.showResults,
      ),
      this.status,
    );
  }

  private async vote(option: string, buttons: HTMLButtonElement[]): Promise<void> {
    buttons.forEach((button) => (button.disabled = true));
    this.status.textContent = this.strings.sendingVote;
    const api = await this.api();
    try {
      const results = await api.write<ResultsWithVote>('POST', `/articles/${this.articleId}/poll/votes`, { option });
      memory.set(`vote:${this.articleId}`, results.yourVote.option);
      this.showResults(results, results.yourVote.option, this.strings.voteCounted);
    } catch (error) {
      if (error instanceof ApiError && error.code === 'already_voted') {
        const standing = error.body as unknown as ResultsWithVote;
        memory.set(`vote:${this.articleId}`, standing.yourVote.option);
        this.showResults(standing, standing.yourVote.option, this.strings.alreadyVoted);
        return;
      }
      buttons.forEach((button) => (button.disabled = false));
      this.status.textContent = readable(error, this.strings);
      this.status.className = 'error';
    }
  }

  /** The poll's frame, the same in both states: the legend, the question, then `content`. */
  private show(results: PollResults, ...content: Node[]): void {
    replace(
      this.root,
      this.root.querySelector('style'),
      h(
        'fieldset',
        { part: 'poll' },
        h('legend', {}, this.strings.pollTitle),
        h('p', {}, results.question),
        ...content,
      ),
    );
  }

  private showResults(results: PollResults, yourVote: string | null = null, message = ''): void {
    this.results = results;
    this.resultsShown = true;
    this.yourVote = yourVote;
    this.status = h('p', { role: 'status', className: 'muted' }, message);
    this.show(
      results,
      h(
        'ul',
        { part: 'results', 'aria-label': this.strings.results },
        ...results.options.map((option) => {
          const mine = option.id === yourVote;
          return h(
            'li',
            { className: mine ? 'mine' : '' },
            h('span', {}, `${option.label}: ${option.percent}%${mine ? ` ${this.strings.yourVote}` : ''}`),
            h('div', { className: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${option.percent}%` })),
          );
        }),
      ),
      h('p', { className: 'muted' }, plural(this.strings, this.strings.votes, results.totalVotes)),
      this.status,
    );
  }
}
