import { NewsroomComments } from './comments';
import { NewsroomCorrections } from './corrections';
import { shadow } from './dom';
import { NewsroomElement } from './element';
import { NewsroomPoll } from './poll';
import { NewsroomReportError } from './report-error';

export { setReaderToken } from './api';

/** The whole story's reader features, in the order a story page shows them. */
export class NewsroomStory extends NewsroomElement {
  protected async render(): Promise<void> {
    const root = shadow(this, ':host>*{margin-bottom:1.5em}');
    const part = (tag: string) => {
      const element = document.createElement(tag);
      element.setAttribute('article-id', this.articleId);
      for (const name of ['api', 'reads', 'reader-token']) {
        const value = this.getAttribute(name);
        if (value !== null) element.setAttribute(name, value);
      }
      return element;
    };
    root.append(
      part('newsroom-corrections'),
      part('newsroom-poll'),
      part('newsroom-report-error'),
      part('newsroom-comments'),
    );
  }
}

const ELEMENTS: [string, CustomElementConstructor][] = [
  ['newsroom-story', NewsroomStory],
  ['newsroom-poll', NewsroomPoll],
  ['newsroom-comments', NewsroomComments],
  ['newsroom-report-error', NewsroomReportError],
  ['newsroom-corrections', NewsroomCorrections],
];

export function defineElements(): void {
  for (const [name, element] of ELEMENTS) if (!customElements.get(name)) customElements.define(name, element);
}
