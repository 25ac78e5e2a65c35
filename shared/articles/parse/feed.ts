import { LIMITS } from '../../limits';
import type { Byline, ParsedArticle, Photo } from '../article';
import { parseByline } from './byline';
import { parseIsoTimestamp, parseRfc822Timestamp } from './dates';
import { ArticleRejectedError } from './errors';
import { enforceArticleLimits } from './limits';
import { detectSources } from './sources';
import { htmlToText, readHtmlBody, readTextBody } from './story-text';
import { collapseWhitespace } from './whitespace';
import {
  attribute,
  childElement,
  childElements,
  childText,
  localName,
  markupOf,
  NAMESPACES,
  namespaceOf,
  parentElement,
  parseXmlDocument,
  type XmlElement,
} from './xml';

export type FeedFormat = 'rss' | 'atom';

/** One item of a feed: its position (from 1), its markup as received, and the article or why it is not one. */
export interface FeedItem {
  position: number;
  markup: string;
  outcome: { article: ParsedArticle } | { rejection: ArticleRejectedError };
}

export interface ParsedFeed {
  format: FeedFormat;
  items: FeedItem[];
}

const { atom, content, dc, media, none } = NAMESPACES;

/**
 * Reads an RSS 2.0 or Atom feed into its items, each an article or a rejection of its own: an
 * item that is not a story (no title, no date, no text) is rejected alone, with its reason, and
 * the others still become articles. The feed as a whole is rejected when it is not well-formed
 * XML, holds no item, or holds more than `LIMITS.maxFeedItems` (counted before any is read, so a
 * feed of 10,000 items costs one parse).
 *
 * @throws ArticleRejectedError `invalid-xml`, `nesting-too-deep`, `empty-feed`, `too-many-items`
 */
export function parseFeed(text: string, format: FeedFormat): ParsedFeed {
  const root = parseXmlDocument(text);
  const entries = format === 'rss' ? rssItems(root) : atomEntries(root);
  if (entries.length === 0) {
    throw new ArticleRejectedError('empty-feed', `The ${format === 'rss' ? 'RSS' : 'Atom'} feed holds no items`);
  }
  if (entries.length > LIMITS.maxFeedItems) {
    throw new ArticleRejectedError(
      'too-many-items',
      `The feed holds ${entries.length} items; at most ${LIMITS.maxFeedItems} are ingested from one feed`,
      { items: entries.length, maxItems: LIMITS.maxFeedItems },
    );
  }
  const read =
    format === 'rss'
      ? (item: XmlElement) => readRssItem(item, root)
      : (entry: XmlElement) => readAtomEntry(entry, root, text);
  return {
    format,
    items: entries.map((element, index) => ({
      position: index + 1,
      markup: markupOf(element, text),
      outcome: outcomeOf(() => enforceArticleLimits(read(element))),
    })),
  };
}

function outcomeOf(read: () => ParsedArticle): FeedItem['outcome'] {
  try {
    return { article: read() };
  } catch (error) {
    if (error instanceof ArticleRejectedError) return { rejection: error };
    // A parser bug must still leave the item rejected with a reason, not fail the other items.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      rejection: new ArticleRejectedError('unrecognized-format', `The item could not be read: ${reason}`, undefined, {
        cause: error,
      }),
    };
  }
}

function rssItems(root: XmlElement): XmlElement[] {
  const channel = childElement(root, none, 'channel');
  return channel ? childElements(channel, none, 'item') : [];
}

function atomEntries(root: XmlElement): XmlElement[] {
  if (localName(root) !== 'feed' || namespaceOf(root) !== atom) {
    throw new ArticleRejectedError('invalid-xml', `The feed's root is not Atom's <feed> (namespace ${atom})`);
  }
  return childElements(root, atom, 'entry');
}

/**
 * An RSS 2.0 item: `title`; `content:encoded` as the body with `description` as the subheadline,
 * or `description` as the body; `dc:creator` (or `author`'s name); `pubDate` (or `dc:date`);
 * Media RSS's image caption and credit, else the body's first figure; `guid`, else `link`, as
 * its identity; `dc:language`, else the channel's `language`.
 */
function readRssItem(item: XmlElement, root: XmlElement): ParsedArticle {
  const headline = nonEmpty(htmlToText(childText(item, none, 'title') ?? ''));
  if (headline === null) throw new ArticleRejectedError('missing-headline', 'The item has no title');
  const encoded = childText(item, content, 'encoded');
  const description = childText(item, none, 'description');
  const publishedAt = rssPublishedAt(item);
  const html = encoded ?? description;
  const { paragraphs, photo } = html === null ? { paragraphs: [], photo: null } : readHtmlBody(html);
  if (paragraphs.length === 0) {
    throw new ArticleRejectedError('empty-body', 'The item has no story text (content:encoded or description)');
  }
  const channel = childElement(root, none, 'channel');
  const language = childText(item, dc, 'language') ?? (channel ? childText(channel, none, 'language') : null);
  return storyOf('rss-item', {
    headline,
    subheadline: encoded !== null && description !== null ? dekOf(htmlToText(description)) : null,
    byline: bylineOf([...childElements(item, dc, 'creator').map((el) => el.text), ...rssAuthorNames(item)]),
    publishedAt,
    photo: mediaPhoto(item) ?? photo,
    body: paragraphs,
    canonicalUrl: childText(item, none, 'guid') ?? childText(item, none, 'link'),
    language,
  });
}

function rssPublishedAt(item: XmlElement): string {
  const pubDate = childText(item, none, 'pubDate');
  if (pubDate !== null) return parseRfc822Timestamp(pubDate);
  const dcDate = childText(item, dc, 'date');
  if (dcDate !== null) return parseIsoTimestamp(dcDate);
  throw new ArticleRejectedError('missing-published-at', 'The item has no pubDate or dc:date');
}

/** RSS's `author` is an e-mail address with the name in parentheses: `jroe@example.org (Jane Roe)`. */
function rssAuthorNames(item: XmlElement): string[] {
  if (childElements(item, dc, 'creator').length > 0) return [];
  return childElements(item, none, 'author').flatMap((el) => {
    const name = /\(([^()]+)\)\s*$/.exec(el.text)?.[1];
    return name === undefined ? [] : [name];
  });
}

/**
 * An Atom entry: `title`; `content` as the body with `summary` as the subheadline, or `summary`
 * as the body (each text, HTML or XHTML); the authors' names (the feed's when the entry names
 * none); `published`, else `updated`; Media RSS's caption and credit, else the body's first
 * figure; `id`, else the alternate link, as its identity; `xml:lang` of the entry or the feed.
 */
function readAtomEntry(entry: XmlElement, root: XmlElement, source: string): ParsedArticle {
  const title = textConstruct(childElement(entry, atom, 'title'), source);
  const headline = nonEmpty(title === null ? '' : title.html ? htmlToText(title.value) : title.value);
  if (headline === null) throw new ArticleRejectedError('missing-headline', 'The entry has no title');
  const stated = childText(entry, atom, 'published') ?? childText(entry, atom, 'updated');
  if (stated === null)
    throw new ArticleRejectedError('missing-published-at', 'The entry has no published or updated time');
  const publishedAt = parseIsoTimestamp(stated);
  const contentElement = childElement(entry, atom, 'content');
  // Content given by reference (`src`) is elsewhere, not in the feed.
  const body =
    contentElement && attribute(contentElement, 'src') === null ? textConstruct(contentElement, source) : null;
  const summary = textConstruct(childElement(entry, atom, 'summary'), source);
  const text = body ?? summary;
  const read =
    text === null
      ? { paragraphs: [], photo: null }
      : text.html
        ? readHtmlBody(text.value)
        : { paragraphs: readTextBody(text.value), photo: null };
  if (read.paragraphs.length === 0)
    throw new ArticleRejectedError('empty-body', 'The entry has no story text (content or summary)');
  const authors = atomAuthorNames(entry);
  const link = childElements(entry, atom, 'link').find((el) => (attribute(el, 'rel') ?? 'alternate') === 'alternate');
  return storyOf('atom-item', {
    headline,
    subheadline:
      body !== null && summary !== null ? dekOf(summary.html ? htmlToText(summary.value) : summary.value) : null,
    byline: bylineOf(authors.length > 0 ? authors : atomAuthorNames(root)),
    publishedAt,
    photo: mediaPhoto(entry) ?? read.photo,
    body: read.paragraphs,
    canonicalUrl: childText(entry, atom, 'id') ?? (link ? attribute(link, 'href') : null),
    language: attribute(entry, 'xml:lang') ?? attribute(root, 'xml:lang'),
  });
}

function atomAuthorNames(parent: XmlElement): string[] {
  return childElements(parent, atom, 'author').flatMap((author) => {
    const name = childText(author, atom, 'name');
    return name === null ? [] : [name];
  });
}

/**
 * An Atom text construct: `type="text"` (the default) is plain text, `html` is escaped HTML,
 * `xhtml` is markup inside a `<div>`, taken as written and read as HTML.
 */
function textConstruct(element: XmlElement | undefined, source: string): { value: string; html: boolean } | null {
  if (!element) return null;
  const type = (attribute(element, 'type') ?? 'text').toLowerCase();
  if (type === 'xhtml') {
    const div = childElements(element, NAMESPACES.xhtml, 'div')[0];
    return div ? { value: markupOf(div, source), html: true } : null;
  }
  const value = element.text.trim();
  if (value === '') return null;
  return { value, html: type === 'html' || type === 'text/html' };
}

/** Media RSS (`media:content` of an image, alone or in a `media:group`): its description and credit. */
function mediaPhoto(item: XmlElement): Photo | null {
  const contents = [
    ...childElements(item, media, 'content'),
    ...childElements(item, media, 'group').flatMap((group) => childElements(group, media, 'content')),
  ];
  const image = contents.find(
    (el) => attribute(el, 'medium') === 'image' || (attribute(el, 'type') ?? '').toLowerCase().startsWith('image/'),
  );
  if (!image) return null;
  // The description and credit may sit on the image, on its group, or on the item.
  const group = parentElement(image);
  const scopes = group !== null && group !== item ? [image, group, item] : [image, item];
  const described = scopes.map((scope) => childElement(scope, media, 'description')).find((el) => el !== undefined);
  const caption = described
    ? nonEmpty(attribute(described, 'type') === 'html' ? htmlToText(described.text) : described.text)
    : null;
  const credit = scopes.map((scope) => childText(scope, media, 'credit')).find((text) => text !== null) ?? null;
  const creditText = credit === null ? null : nonEmpty(credit);
  return caption === null && creditText === null ? null : { caption, credit: creditText };
}

/** Authors from each name a feed gives ("Jane Roe", or a whole byline "By Jane Roe, AP"); the first organization named. */
function bylineOf(names: readonly string[]): Byline {
  const authors: string[] = [];
  let organization: string | null = null;
  for (const name of names) {
    const parsed = parseByline(name);
    const named = parsed ? parsed.authors : [collapseWhitespace(name)];
    for (const author of named) if (author !== '' && !authors.includes(author)) authors.push(author);
    organization ??= parsed?.organization ?? null;
  }
  return { authors, organization };
}

/** A summary as the subheadline, unless it is longer than a dek may be (then it is an excerpt, not a dek). */
function dekOf(summary: string): string | null {
  const dek = nonEmpty(summary);
  return dek !== null && [...dek].length <= LIMITS.maxSubheadlineChars ? dek : null;
}

interface FeedStory {
  headline: string;
  subheadline: string | null;
  byline: Byline;
  publishedAt: string;
  photo: Photo | null;
  body: string[];
  canonicalUrl: string | null;
  language: string | null;
}

function storyOf(format: 'rss-item' | 'atom-item', story: FeedStory): ParsedArticle {
  const canonicalUrl = story.canonicalUrl === null ? null : nonEmpty(story.canonicalUrl);
  const language = story.language === null ? null : nonEmpty(story.language);
  return {
    format,
    headline: story.headline,
    subheadline: story.subheadline,
    byline: story.byline,
    publishedAt: story.publishedAt,
    photo: story.photo,
    body: story.body,
    sources: detectSources(story.body),
    poll: null,
    comments: [],
    commentTotal: null,
    canonicalUrl,
    ...(language !== null ? { language } : {}),
  };
}

function nonEmpty(value: string): string | null {
  const text = collapseWhitespace(value);
  return text === '' ? null : text;
}
