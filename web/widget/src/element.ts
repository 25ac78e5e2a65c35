import { NewsroomApi, setReaderToken, type WidgetConfig } from './api';
import { declaredLanguage, stringsFor, type Strings } from './strings';

/** The deployment's config, written beside the loader at deploy (`config.json`); fetched once. */
let deployed: Promise<Partial<WidgetConfig>> | null = null;

export function configUrl(): URL {
  return new URL('config.json', import.meta.url);
}

function deployedConfig(): Promise<Partial<WidgetConfig>> {
  deployed ??= fetch(configUrl())
    .then((response) => (response.ok ? (response.json() as Promise<Partial<WidgetConfig>>) : {}))
    .catch(() => ({}));
  return deployed;
}

const apis = new Map<string, NewsroomApi>();

/**
 * What every newsroom element shares: its story (`article-id`), where it reads and writes (the
 * `api` and `reads` attributes, else config.json, else the loader's own origin), the reader's
 * token from a `reader-token` attribute when the site signs its readers in, and what it says in
 * the language of the nearest `lang` (English when there is none or it has no locale).
 */
export abstract class NewsroomElement extends HTMLElement {
  protected strings!: Strings;

  protected get articleId(): string {
    return this.getAttribute('article-id') ?? '';
  }

  protected async api(): Promise<NewsroomApi> {
    const token = this.getAttribute('reader-token');
    if (token) setReaderToken(token);
    const config = await deployedConfig();
    const origin = new URL('/', import.meta.url).href;
    const api = this.getAttribute('api') ?? config.api ?? origin;
    const reads = this.getAttribute('reads') ?? config.reads ?? api;
    const key = `${api} ${reads}`;
    let client = apis.get(key);
    if (!client) {
      client = new NewsroomApi({ api, reads });
      apis.set(key, client);
    }
    return client;
  }

  connectedCallback(): void {
    if (!this.articleId) return;
    const declared = declaredLanguage(this);
    this.strings = stringsFor(declared);
    // English on a page in another language (or none): say so, so screen readers switch voice.
    if (declared !== this.strings.locale) this.lang = this.strings.locale;
    void this.render();
  }

  protected abstract render(): Promise<void>;
}
