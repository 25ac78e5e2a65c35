import type { Byline, EmbeddedComment, EmbeddedPoll, ParsedArticle, Photo } from '../article';
import { parseByline } from './byline';
import { parseTimestamp, parseUsTimestamp, US_TIMESTAMP_SOURCE } from './dates';
import { ArticleRejectedError } from './errors';
import { findCommentTotal, isFurnitureLine, POLL_END_LINE } from './furniture';
import {
  classNames,
  findAll,
  findFirst,
  hasClassContaining,
  type HtmlElement,
  isWithin,
  nextElementSibling,
  parseHtml,
  rawTextOf,
  textOf,
} from './html/tree';
import { stripLeadIn } from './lead-in';
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
 * `.byline`, `<time datetime>`, `<figure>`, `<p>` in `<article>`, …) with `<meta>` fallbacks.
 *
 * @throws ArticleRejectedError `missing-headline`, `missing-published-at`, `invalid-date`, `empty-body`
 */
export function parseHtmlPage(html: string): ParsedArticle {
  const document = parseHtml(html);
  const content = findContentRoot(document);

  const headline = findHeadline(document, content);
  if (headline === null) throw new ArticleRejectedError('missing-headline', 'The page has no <h1>, og:title or <title>');
  const publishedAt = findPublishedAt(document, content);
  if (publishedAt === null) {
    throw new ArticleRejectedError(
      'missing-published-at',
      'The page has no <time datetime>, article:published_time or "Posted <date>" text',
    );
  }
  const body = findBody(content);
  if (body.length === 0) throw new ArticleRejectedError('empty-body', 'The page has no story paragraphs');

  return {
    format: 'html-page',
    headline,
    subheadline: findSubheadline(document, content),
    byline: findByline(document),
    publishedAt,
    photo: findPhoto(document, content),
    body,
    sources: detectSources(body),
    poll: findPoll(document),
    comments: findComments(document),
    commentTotal: findCommentTotal(textOf(document)),
    canonicalUrl: findCanonicalUrl(document),
  };
}

function findContentRoot(document: HtmlElement): HtmlElement {
  return (
    findFirst(document, (el) => el.name === 'article' && !isCommentElement(el)) ??
    findFirst(document, (el) => el.name === 'main' || el.attrs['role'] === 'main') ??
    findFirst(document, (el) => el.name === 'body') ??
    document
  );
}

function findHeadline(document: HtmlElement, content: HtmlElement): string | null {
  const h1 = findFirst(content, (el) => el.name === 'h1' && isStoryElement(el)) ?? findFirst(document, (el) => el.name === 'h1');
  const fromH1 = h1 ? textOf(h1) : '';
  if (fromH1 !== '') return fromH1;
  const ogTitle = metaContent(document, 'og:title');
  if (ogTitle !== null) return ogTitle;
  const title = findFirst(document, (el) => el.name === 'title');
  // "<title>Headline | Site</title>": the site name is not part of the headline.
  const fromTitle = title ? textOf(title).replace(/\s+\|\s+[^|]*$/, '') : '';
  return fromTitle === '' ? null : fromTitle;
}

function findSubheadline(document: HtmlElement, content: HtmlElement): string | null {
  const marked = findFirst(content, (el) => hasClassContaining(el, /subhead|^dek$|standfirst/i));
  if (marked && textOf(marked) !== '') return textOf(marked);
  const h1 = findFirst(content, (el) => el.name === 'h1');
  const afterH1 = h1 ? nextElementSibling(h1) : undefined;
  if (afterH1?.name === 'h2' && textOf(afterH1) !== '') return textOf(afterH1);
  return metaContent(document, 'description');
}

function findByline(document: HtmlElement): Byline {
  const element = findFirst(document, (el) => hasClassContaining(el, /byline/i) && isStoryElement(el));
  // A byline element may also carry the date: "By A, Newser Staff | Posted …".
  const parsed = element ? parseByline(textOf(element).split(/\s+(?:\||·)\s+|\s+(?:Posted|Published|Updated)\b/i)[0]!) : null;
  if (parsed) return parsed;
  const authorLinks = findAll(document, (el) => el.attrs['rel'] === 'author' && isStoryElement(el)).map((el) => textOf(el));
  if (authorLinks.length > 0) return { authors: authorLinks.filter((name) => name !== ''), organization: null };
  const meta = metaContent(document, 'author');
  return (meta === null ? null : parseByline(meta)) ?? { authors: [], organization: null };
}

function findPublishedAt(document: HtmlElement, content: HtmlElement): string | null {
  const time =
    findFirst(content, (el) => el.name === 'time' && isStoryElement(el)) ??
    findFirst(document, (el) => el.name === 'time' && isStoryElement(el));
  if (time) {
    const stated = time.attrs['datetime'];
    if (stated !== undefined && stated.trim() !== '') return parseTimestamp(stated);
    const printed = POSTED_TEXT.exec(textOf(time))?.[1] ?? textOf(time);
    if (printed !== '') return parseUsTimestamp(printed);
  }
  const meta = metaContent(document, 'article:published_time');
  if (meta !== null) return parseTimestamp(meta);
  const posted = POSTED_TEXT.exec(textOf(content));
  return posted ? parseUsTimestamp(posted[1]!) : null;
}

function findPhoto(document: HtmlElement, content: HtmlElement): Photo | null {
  const figure =
    findFirst(content, (el) => el.name === 'figure' && isStoryElement(el)) ??
    findFirst(document, (el) => el.name === 'figure' && isStoryElement(el));
  const caption = figure ? findFirst(figure, (el) => el.name === 'figcaption') : undefined;
  if (!figure || !caption) return null;
  const credit = findFirst(figure, (el) => hasClassContaining(el, /credit/i));
  if (!credit) return splitCaption(rawTextOf(caption));
  const captionText = textOf(caption, new Set([credit]));
  const creditText = textOf(credit).replace(/^\((.*)\)$/s, '$1').trim();
  if (captionText === '' && creditText === '') return null;
  return { caption: captionText === '' ? null : captionText, credit: creditText === '' ? null : creditText };
}

/** Story paragraphs in document order, up to the first furniture line, lead-in removed from the first. */
function findBody(content: HtmlElement): string[] {
  const paragraphs = findAll(
    content,
    (el) =>
      el.name === 'p' && !isWithin(el, (a) => NOT_BODY.has(a.name) || hasClassContaining(a, NOT_BODY_CLASS), content),
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
  const isComment = (el: HtmlElement): boolean =>
    isCommentElement(el) && findAll(el, (inner) => inner.name === 'time').length === 1;
  const outermost = findAll(document, isComment).filter((el) => !el.parent || !isWithin(el.parent, isComment));
  return outermost.flatMap((element) => {
    const comment = readComment(element);
    return comment === null ? [] : [comment];
  });
}

function readComment(element: HtmlElement): EmbeddedComment | null {
  const time = findFirst(element, (el) => el.name === 'time')!;
  const stated = time.attrs['datetime'];
  const postedAt = stated !== undefined && stated.trim() !== '' ? parseTimestamp(stated) : parseUsTimestamp(textOf(time));
  const authorElement = findFirst(element, (el) => el.attrs['rel'] === 'author' || hasClassContaining(el, /author|user|name/i));
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
 * Outside page chrome and reader comments: where the story's own headline, byline and date
 * live. `<body>` and `<html>` are not consulted: a `<body class="has-comments">` says nothing.
 */
function isStoryElement(element: HtmlElement): boolean {
  return !isWithin(
    element,
    (el) =>
      el.name !== 'body' &&
      el.name !== 'html' &&
      (CHROME.has(el.name) || isCommentElement(el) || hasClassContaining(el, /comments/i)),
  );
}
