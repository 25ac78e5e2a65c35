import { NewsroomApi, setReaderToken } from './api';
import type { ElementAttribute } from './embedding';
import { LiveUpdates, type LiveListener } from './live';
import type { DeployedConfig } from './shapes';
import { declaredLanguage, stringsFor, type Strings } from './strings';

/** The deployment's config, written beside the loader at deploy (`config.json`); fetched once. */
let deployed: Promise<Partial<DeployedConfig>> | null = null;

export function configUrl(): URL {
  return new URL('config.json', import.meta.url);
}

function deployedConfig(): Promise<Partial<DeployedConfig>> {
  deployed ??= fetch(configUrl())
    .then((response) => (response.ok ? (response.json() as Promise<Partial<DeployedConfig>>) : {}))
    .catch(() => ({}));
  return deployed;
}

const apis = new Map<string, NewsroomApi>();
/** One live connection per page (and per Event API, should a page embed two deployments). */
const lives = new Map<string, LiveUpdates>();

/**
 * What every newsroom element shares: its story (`article-id`), where it reads and writes (the
 * `api` and `reads` attributes, else config.json, else the loader's own origin), the reader's
 * token from a `reader-token` attribute when the site signs its readers in, and what it says in
 * the language of the nearest `lang` (English when there is none or it has no locale).
 */
export abstract class NewsroomElement extends HTMLElement {
  protected strings!: Strings;

  /** An attribute of the declared ones (embedding.ts): the documented list is the whole list. */
  protected attribute(name: ElementAttribute): string | null {
    return this.getAttribute(name);
  }

  protected get articleId(): string {
    return this.attribute('article-id') ?? '';
  }

  protected async api(): Promise<NewsroomApi> {
    const token = this.attribute('reader-token');
    if (token) setReaderToken(token);
    const config = await deployedConfig();
    const origin = new URL('/', import.meta.url).href;
    const api = this.attribute('api') ?? config.api ?? origin;
    const reads = this.attribute('reads') ?? config.reads ?? api;
    const key = `${api} ${reads}`;
    let client = apis.get(key);
    if (!client) {
      client = new NewsroomApi({ api, reads });
      apis.set(key, client);
    }
    return client;
  }

  private stopLive: (() => void) | null = null;

  /**
   * Keeps the element up to date while it is in view: `apply` gets each live message of its
   * story, `refresh` is called every 30 s instead when live updates cannot reach the page.
   */
  protected async follow(listener: Omit<LiveListener, 'element'>): Promise<void> {
    const { live = null } = await deployedConfig();
    const key = live?.realtimeUrl ?? '';
    let updates = lives.get(key);
    if (!updates) {
      updates = new LiveUpdates(live);
      lives.set(key, updates);
    }
    this.stopLive?.();
    this.stopLive = updates.watch(this.articleId, { element: this, ...listener });
  }

  disconnectedCallback(): void {
    this.stopLive?.();
    this.stopLive = null;
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
