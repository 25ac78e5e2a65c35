import type { Photo } from '../article';
import { findPhoto } from './html-page';
import { findAll, parseHtml, textOf } from './html/tree';
import { stripLeadIn } from './lead-in';
import { collapseWhitespace, normalizeLineEndings } from './whitespace';

/** Paragraphs in these are not the story's: a photo's caption, a related-links box, a form. */
const NOT_STORY = new Set(['nav', 'aside', 'footer', 'header', 'figure', 'form', 'table']);
/** Two or more line breaks: how a body without `<p>` separates its paragraphs. */
const BREAKS = /(?:<br\s*\/?>\s*){2,}/i;

/**
 * The text of the HTML a structured format carries in a field (a feed's title or description, a
 * wire item's caption): tags dropped, references decoded, whitespace collapsed. Plain text
 * passes through unchanged, apart from its references, which feeds often escape twice.
 */
export function htmlToText(html: string): string {
  return textOf(parseHtml(html).root);
}

/**
 * A story body given as HTML (a feed's `content:encoded`, a ninjs `body_html`), a fragment or a
 * whole document: its paragraphs (`<p>` outside figures and asides, or, without any, the runs
 * between double line breaks) and the photo of its first `<figure>`, if it has a caption.
 */
export function readHtmlBody(html: string): { paragraphs: string[]; photo: Photo | null } {
  const { root } = parseHtml(html);
  const marked = findAll(
    root,
    (el) => el.name === 'p',
    (el) => NOT_STORY.has(el.name),
  ).map((el) => textOf(el));
  const paragraphs = marked.length > 0 ? marked : html.split(BREAKS).map(htmlToText);
  return { paragraphs: finishBody(paragraphs), photo: findPhoto(root, root) };
}

/** A plain-text body: paragraphs between blank lines, or between lines when it has no blank line. */
export function readTextBody(text: string): string[] {
  const normalized = normalizeLineEndings(text).trim();
  const blocks = /\n\s*\n/.test(normalized) ? normalized.split(/\n\s*\n/) : normalized.split('\n');
  return finishBody(blocks);
}

/** Whitespace collapsed, empty paragraphs dropped, the `(Outlet) –` lead-in taken off the first. */
function finishBody(paragraphs: readonly string[]): string[] {
  const body = paragraphs.map(collapseWhitespace).filter((paragraph) => paragraph !== '');
  if (body.length > 0) body[0] = stripLeadIn(body[0]!);
  return body.filter((paragraph) => paragraph !== '');
}
