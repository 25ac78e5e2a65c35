import type { Byline, EmbeddedComment, EmbeddedPoll, ParsedArticle, Photo } from '../article';
import { parseByline } from './byline';
import { parseTimestamp, parseUsTimestamp, US_TIMESTAMP_SOURCE } from './dates';
import { ArticleRejectedError, type RejectionCode } from './errors';
import { findCommentTotal, isFurnitureLine, POLL_END_LINE } from './furniture';
import {
  classNames,
  findAll,
  findFirst,
  hasClassContaining,
  type HtmlElement,
  MAX_NESTING_DEPTH,
  nextElementSibling,
  parseHtml,
  rawTextOf,
  textOf,
} from './html/tree';
import { findJsonLdArticle, type JsonLdArticle } from './json-ld';
import { stripLeadIn } from './lead-in';
import { LIMITS } from '../../limits';
import { splitCaption } from './photo-credit';
import { detectSources } from './sources';
import { collapseWhitespace } from './whitespace';

/** Page chrome: never the story's headline, body or byline. */
const CHROME = new Set(['nav', 'aside', 'footer']);
/** Paragraphs in these are not story paragraphs even inside the article. */
const NOT_BODY = new Set(['nav', 'aside', 'footer', 'header', 'figure', 'form']);
const NOT_BODY_CLASS = /comment|poll|byline|subhead|dek|standfirst|credit|caption|dateline|share|related/i;
const POSTED_TEXT = new RegExp(`(?:Posted|Published)(?:\\s+on)?:?\\s+(${US_TIMESTAMP_SOURCE})`, 'i');

/**
 * An HTML story page: the same story shape as the text page, read from markup (`<h1>`,
 * `.byline`, `<time datetime>`, `<figure>`, `<p>` in `<article>`, …), with the page's `<meta>`
 * tags and its JSON-LD article (see json-ld.ts) for what the markup does not show.
 *
 * @throws ArticleRejectedError `missing-headline`, `missing-published-at`, `invalid-date`, `empty-body`,
 *   or `nesting-too-deep` when one of the first three parts is missing from a page nested past the
 *   depth the tree keeps (the part may well be there, below that depth)
 */
export function parseHtmlPage(html: string): ParsedArticle {
  const { root: document, nestingLimitReached } = parseHtml(html);
  const content = findContentRoot(document);
  const described = findJsonLdArticle(document);
  const missing = (code: RejectionCode, part: string, message: string): ArticleRejectedError =>
    nestingLimitReached
      ? new ArticleRejectedError(
          'nesting-too-deep',
          `The page nests elements deeper than ${MAX_NESTING_DEPTH} levels, the most that is read, ` +
            `and has no ${part} above that depth`,
          { maxDepth: MAX_NESTING_DEPTH },
        )
      : new ArticleRejectedError(code, message);

  const headline = findHeadline(document, content, described);
  if (headline === null) {
    throw missing('missing-headline', 'headline', 'The page has no <h1>, JSON-LD headline, og:title or <title>');
  }
  const publishedAt = findPublishedAt(document, content, described);
  if (publishedAt === null) {
    throw missing(
      'missing-published-at',
      'publication time',
      'The page has no <time datetime>, article:published_time, JSON-LD datePublished or "Posted <date>" text',
    );
  }
  const body = findBody(content);
  if (body.length === 0) throw missing('empty-body', 'story paragraphs', 'The page has no story paragraphs');

  return {
    format: 'html-page',
    headline,
    subheadline: findSubheadline(document, content, described),
    byline: withDescribedByline(findByline(document), described),
    publishedAt,
    photo: findPhoto(document, content),
    body,
    sources: detectSources(body),
    poll: findPoll(document),
    comments: findComments(document),
    commentTotal: findCommentTotal(textOf(document)),
    canonicalUrl: findCanonicalUrl(document) ?? described?.url ?? null,
  };
}

function findContentRoot(document: HtmlElement): HtmlElement {
  return (
    findFirst(document, (el) => el.name === 'article', isOutsideStory) ??
    findFirst(document, (el) => el.name === 'main' || el.attrs['role'] === 'main') ??
    findFirst(document, (el) => el.name === 'body') ??
    document
  );
}

function findHeadline(document: HtmlElement, content: HtmlElement, described: JsonLdArticle | null): string | null {
  const isH1 = (el: HtmlElement): boolean => el.name === 'h1';
  const h1 = findFirst(content, isH1, isOutsideStory) ?? findFirst(document, isH1, isOutsideStory);
  const fromH1 = h1 ? textOf(h1) : '';
  if (fromH1 !== '') return fromH1;
  if (described?.headline) return described.headline;
  const ogTitle = metaContent(document, 'og:title');
  if (ogTitle !== null) return ogTitle;
  const title = findFirst(document, (el) => el.name === 'title');
  // "<title>Headline | Site</title>": the site name is not part of the headline.
  const fromTitle = title ? textOf(title).replace(/\s+\|\s+[^|]*$/, '') : '';
  return fromTitle === '' ? null : fromTitle;
}

/**
 * The dek the page prints, else the page's description (`<meta name="description">`,
 * `og:description`, the JSON-LD article's `description`). A description is written for search
 * results and link previews, not as a dek: one longer than a dek may be is not used, rather than
 * rejecting the story for it.
 */
function findSubheadline(document: HtmlElement, content: HtmlElement, described: JsonLdArticle | null): string | null {
  const marked = findFirst(content, (el) => hasClassContaining(el, /subhead|^dek$|standfirst/i), isOutsideStory);
  if (marked && textOf(marked) !== '') return textOf(marked);
  const h1 = findFirst(content, (el) => el.name === 'h1', isOutsideStory);
  const afterH1 = h1 ? nextElementSibling(h1) : undefined;
  if (afterH1?.name === 'h2' && textOf(afterH1) !== '') return textOf(afterH1);
  const descriptions = [
    metaContent(document, 'description'),
    metaContent(document, 'og:description'),
    described?.description,
  ];
  return (
    descriptions.find(
      (description): description is string =>
        typeof description === 'string' && [...description].length <= LIMITS.maxSubheadlineChars,
    ) ?? null
  );
}

/**
 * The byline the page prints, completed from its JSON-LD: the authors when the page names none,
 * the publisher as the organization when the byline names none (an author that is the publisher
 * itself is no author).
 */
function withDescribedByline(byline: Byline, described: JsonLdArticle | null): Byline {
  if (!described) return byline;
  const organization = byline.organization ?? described.publisher;
  const authors =
    byline.authors.length > 0 ? byline.authors : described.authors.filter((name) => name !== described.publisher);
  return { authors, organization };
}

function findByline(document: HtmlElement): Byline {
  const element = findFirst(document, (el) => hasClassContaining(el, /byline/i), isOutsideStory);
  // A byline element may also carry the date: "By A, Newser Staff | Posted …".
  const parsed = element
    ? parseByline(textOf(element).split(/\s+(?:\||·)\s+|\s+(?:Posted|Published|Updated)\b/i)[0]!)
    : null;
  if (parsed) return parsed;
  const authorLinks = findAll(document, (el) => el.attrs['rel'] === 'author', isOutsideStory).map((el) => textOf(el));
  if (authorLinks.length > 0) return { authors: authorLinks.filter((name) => name !== ''), organization: null };
  const meta = metaContent(document, 'author');
  return (meta === null ? null : parseByline(meta)) ?? { authors: [], organization: null };
}

function findPublishedAt(document: HtmlElement, content: HtmlElement, described: JsonLdArticle | null): string | null {
  const isTime = (el: HtmlElement): boolean => el.name === 'time';
  const time = findFirst(content, isTime, isOutsideStory) ?? findFirst(document, isTime, isOutsideStory);
  if (time) {
    const stated = time.attrs['datetime'];
    if (stated !== undefined && stated.trim() !== '') return parseTimestamp(stated);
    const printed = POSTED_TEXT.exec(textOf(time))?.[1] ?? textOf(time);
    if (printed !== '') return parseUsTimestamp(printed);
  }
  const meta = metaContent(document, 'article:published_time');
  if (meta !== null) return parseTimestamp(meta);
  if (described?.datePublished) return parseTimestamp(described.datePublished);
  const posted = POSTED_TEXT.exec(textOf(content));
  return posted ? parseUsTimestamp(posted[1]!) : null;
}

/** The caption and credit of the first `<figure>` in `content` (else in `document`); null when it has no caption. */
export function findPhoto(document: HtmlElement, content: HtmlElement): Photo | null {
  const isFigure = (el: HtmlElement): boolean => el.name === 'figure';
  const figure = findFirst(content, isFigure, isOutsideStory) ?? findFirst(document, isFigure, isOutsideStory);
  const caption = figure ? findFirst(figure, (el) => el.name === 'figcaption') : undefined;
  if (!figure || !caption) return null;
  const credit = findFirst(figure, (el) => hasClassContaining(el, /credit/i));
  if (!credit) return splitCaption(rawTextOf(caption));
  const captionText = textOf(caption, new Set([credit]));
  const creditText = textOf(credit)
    .replace(/^\((.*)\)$/s, '$1')
    .trim();
  if (captionText === '' && creditText === '') return null;
  return { caption: captionText === '' ? null : captionText, credit: creditText === '' ? null : creditText };
}

/** Story paragraphs in document order, up to the first furniture line, lead-in removed from the first. */
function findBody(content: HtmlElement): string[] {
  const paragraphs = findAll(
    content,
    (el) => el.name === 'p',
    (el) => NOT_BODY.has(el.name) || hasClassContaining(el, NOT_BODY_CLASS),
  )
    .map((el) => textOf(el))
    .filter((text) => text !== '' && !/^(?:Posted|Published)\b/i.test(text));
  const furnitureAt = paragraphs.findIndex(isFurnitureLine);
  const body = furnitureAt === -1 ? paragraphs : paragraphs.slice(0, furnitureAt);
  if (body.length > 0) body[0] = stripLeadIn(body[0]!);
  return body.filter((text) => text !== '');
}

function findPoll(document: HtmlElement): EmbeddedPoll | null {
  const poll = findFirst(document, (el) => hasClassContaining(el, /poll/i));
  if (!poll) return null;
  const questionElement =
    findFirst(poll, (el) => hasClassContaining(el, /question/i)) ??
    findFirst(poll, (el) => ['legend', 'h2', 'h3', 'h4', 'h5', 'h6', 'p'].includes(el.name));
  const question = questionElement ? textOf(questionElement) : '';
  if (question === '') return null;
  const optionsOf = (name: string): string[] =>
    findAll(poll, (el) => el.name === name)
      .map((el) => textOf(el))
      .filter((text) => text !== '' && text !== question && !POLL_END_LINE.test(text));
  const labels = optionsOf('label');
  const options = labels.length > 0 ? labels : optionsOf('li').length > 0 ? optionsOf('li') : optionsOf('button');
  return { question, options };
}

/**
 * Comments are the outermost elements whose class names one comment ("comment",
 * "comment-item", not the "comments" list) and that hold exactly one `<time>`.
 */
function findComments(document: HtmlElement): EmbeddedComment[] {
  const timeCounts = countTimes(document);
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement): void => {
    for (const child of element.children) {
      if (child.kind !== 'element') continue;
      if (isCommentElement(child) && timeCounts.get(child) === 1) found.push(child);
      else visit(child);
    }
  };
  visit(document);
  return found.flatMap((element) => {
    const comment = readComment(element);
    return comment === null ? [] : [comment];
  });
}

/** `<time>` elements under each element, counted in one pass rather than one walk per element. */
function countTimes(root: HtmlElement): Map<HtmlElement, number> {
  const counts = new Map<HtmlElement, number>();
  const count = (element: HtmlElement): number => {
    let total = 0;
    for (const child of element.children) {
      if (child.kind === 'element') total += (child.name === 'time' ? 1 : 0) + count(child);
    }
    counts.set(element, total);
    return total;
  };
  count(root);
  return counts;
}

function readComment(element: HtmlElement): EmbeddedComment | null {
  const time = findFirst(element, (el) => el.name === 'time')!;
  const stated = time.attrs['datetime'];
  const postedAt =
    stated !== undefined && stated.trim() !== '' ? parseTimestamp(stated) : parseUsTimestamp(textOf(time));
  const authorElement = findFirst(
    element,
    (el) => el.attrs['rel'] === 'author' || hasClassContaining(el, /author|user|name/i),
  );
  const author = authorElement ? textOf(authorElement) : '';
  const bodyElement = findFirst(element, (el) => hasClassContaining(el, /body|text|content|message/i));
  const scope = bodyElement ?? element;
  const paragraphs = findAll(scope, (el) => el.name === 'p').map((el) => textOf(el));
  const skip = new Set<HtmlElement>([time, ...(authorElement ? [authorElement] : [])]);
  const body = paragraphs.length > 0 ? paragraphs.filter((text) => text !== '').join('\n') : textOf(scope, skip);
  if (body === '') return null;
  return { postedAt, body, author: author === '' ? null : author };
}

function findCanonicalUrl(document: HtmlElement): string | null {
  const link = findFirst(
    document,
    (el) => el.name === 'link' && (el.attrs['rel'] ?? '').toLowerCase().split(/\s+/).includes('canonical'),
  );
  const href = collapseWhitespace(link?.attrs['href'] ?? '');
  return href !== '' ? href : metaContent(document, 'og:url');
}

/** `<meta name|property="key" content="…">`, trimmed; null when absent or empty. */
function metaContent(document: HtmlElement, key: string): string | null {
  const meta = findFirst(
    document,
    (el) => el.name === 'meta' && (el.attrs['property'] === key || el.attrs['name']?.toLowerCase() === key),
  );
  const content = collapseWhitespace(meta?.attrs['content'] ?? '');
  return content === '' ? null : content;
}

/** One comment, not a list of them: "comment", "comment-item", "c-comment", but not "comments" or "comment-list". */
function isCommentElement(element: HtmlElement): boolean {
  return classNames(element).some(
    (name) => /comment/i.test(name) && !/comments|comment-?(?:list|section|thread|count|total|form)/i.test(name),
  );
}

/**
 * Page chrome and reader comments, pruned from searches for the story's own headline, byline
 * and date. `<body>` and `<html>` never are: a `<body class="has-comments">` says nothing.
 */
function isOutsideStory(element: HtmlElement): boolean {
  if (element.name === 'body' || element.name === 'html') return false;
  return CHROME.has(element.name) || isCommentElement(element) || hasClassContaining(element, /comments/i);
}
