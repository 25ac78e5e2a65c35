import { h, replace, shadow } from './dom';
import { NewsroomElement } from './element';
import type { Correction, StoryCorrections } from './shapes';
import { plural } from './strings';

/** The story's published corrections with their dates; nothing at all when there are none. */
export class NewsroomCorrections extends NewsroomElement {
  private root!: ShadowRoot;
  private shown: Correction[] = [];

  protected async render(): Promise<void> {
    this.root = shadow(this, 'aside{border-left:4px solid var(--_accent);padding:.2em .8em;margin:1em 0}');
    await this.reload();
    // A correction published while the story is open appears in place (corrections are only added).
    void this.follow({
      apply: (message) => {
        if (message.kind === 'corrections') this.show(message.corrections);
      },
      refresh: () => void this.reload(),
    });
  }

  private async reload(): Promise<void> {
    const api = await this.api();
    const story = await api.get<StoryCorrections>(`/articles/${this.articleId}`).catch(() => null);
    if (story) this.show(story.corrections);
  }

  private show(corrections: Correction[]): void {
    if (corrections.length === 0 || corrections.length < this.shown.length) return;
    this.shown = corrections;
    replace(
      this.root,
      this.root.querySelector('style'),
      h(
        'aside',
        { part: 'corrections', 'aria-label': this.strings.corrections },
        h('h2', {}, plural(this.strings, this.strings.correctionsHeading, corrections.length)),
        ...corrections.map((correction) =>
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
