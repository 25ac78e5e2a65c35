/**
 * The local stack's demo pages: a list of the stories, and each story rendered as a news page
 * would, with the reader widget embedded by its two-line snippet. Text only, never HTML.
 */
interface Summary {
  id: string;
  headline: string;
  byline?: { authors: string[] };
  publishedAt: string;
}
interface Story extends Summary {
  subheadline: string | null;
  body: string[];
  photo?: { caption: string | null; credit: string | null } | null;
}

const main = document.querySelector('main')!;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (text !== undefined) element.textContent = text;
  return element;
}

async function index(): Promise<void> {
  const page = (await (await fetch('/articles?limit=20')).json()) as { items: Summary[] };
  const list = el('ul');
  for (const story of page.items) {
    const item = el('li');
    const link = el('a', story.headline);
    link.href = `/stories/${story.id}`;
    item.append(link);
    list.append(item);
  }
  main.append(el('h1', 'Stories'), list);
}

async function story(id: string): Promise<void> {
  const story = (await (await fetch(`/articles/${id}`)).json()) as Story;
  document.title = story.headline;
  const header = el('header');
  header.append(el('h1', story.headline));
  if (story.subheadline) header.append(el('p', story.subheadline));
  const meta = el('p', `${story.byline?.authors.join(', ') ?? ''} · ${new Date(story.publishedAt).toLocaleString()}`);
  meta.className = 'meta';
  header.append(meta);
  if (story.photo?.credit) header.append(el('p', `Photo: ${story.photo.credit}`));
  const article = el('article');
  article.append(header, ...story.body.map((paragraph) => el('p', paragraph)));
  const widget = document.createElement('newsroom-story');
  widget.setAttribute('article-id', id);
  // `?lang=es` previews the widget in another of its locales; the story itself keeps its language.
  const lang = new URLSearchParams(location.search).get('lang');
  if (lang) widget.setAttribute('lang', lang);
  const back = el('a', 'All stories');
  back.href = '/';
  main.append(back, article, widget);
}

const match = /^\/stories\/([0-9a-f]{16})$/.exec(location.pathname);
void (match ? story(match[1]!) : index());
