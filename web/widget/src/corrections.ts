import { h, replace, shadow } from './dom';
import { NewsroomElement } from './element';
import type { StoryCorrections } from './shapes';
import { plural } from './strings';

/** The story's published corrections with their dates; nothing at all when there are none. */
export class NewsroomCorrections extends NewsroomElement {
  protected async render(): Promise<void> {
    const root = shadow(this, 'aside{border-left:4px solid var(--_accent);padding:.2em .8em;margin:1em 0}');
    const api = await this.api();
    const story = await api.get<StoryCorrections>(`/articles/${this.articleId}`).catch(() => null);
    if (!story || story.corrections.length === 0) return;
    replace(
      root,
      root.querySelector('style'),
      h(
        'aside',
        { part: 'corrections', 'aria-label': this.strings.corrections },
        h('h2', {}, plural(this.strings, this.strings.correctionsHeading, story.corrections.length)),
        ...story.corrections.map((correction) =>
          h(
            'p',
            {},
            h(
              'time',
              { dateTime: correction.correctedAt },
              new Date(correction.correctedAt).toLocaleDateString(this.strings.locale),
            ),
            ': ',
            correction.text,
          ),
        ),
      ),
    );
  }
}
