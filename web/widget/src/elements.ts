import { NewsroomComments } from './comments';
import { NewsroomCorrections } from './corrections';
import { shadow } from './dom';
import { NewsroomElement } from './element';
import { ELEMENT_ATTRIBUTES, PARTS, type ElementTag } from './embedding';
import { NewsroomPoll } from './poll';
import { NewsroomReportError } from './report-error';

export { setReaderToken } from './api';

/** The whole story's reader features, in the order a story page shows them. */
export class NewsroomStory extends NewsroomElement {
  protected async render(): Promise<void> {
    const root = shadow(this, ':host>*{margin-bottom:1.5em}');
    const part = (tag: Exclude<ElementTag, 'newsroom-story'>) => {
      const element = document.createElement(tag);
      for (const name of ELEMENT_ATTRIBUTES) {
        const value = this.attribute(name);
        if (value !== null) element.setAttribute(name, value);
      }
      // Parts do not cross a shadow root on their own: without this, `newsroom-story::part(poll)`
      // would match nothing, as the poll's parts sit in a shadow root inside the story's.
      element.setAttribute('exportparts', PARTS.join(','));
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

/** Every declared element (embedding.ts) with its class: a tag missing here, or one too many, fails `tsc`. */
const ELEMENTS: Record<ElementTag, CustomElementConstructor> = {
  'newsroom-story': NewsroomStory,
  'newsroom-poll': NewsroomPoll,
  'newsroom-comments': NewsroomComments,
  'newsroom-report-error': NewsroomReportError,
  'newsroom-corrections': NewsroomCorrections,
};

export function defineElements(): void {
  for (const [name, element] of Object.entries(ELEMENTS)) {
    if (!customElements.get(name)) customElements.define(name, element);
  }
}
