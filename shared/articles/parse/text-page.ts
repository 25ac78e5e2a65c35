import type { EmbeddedComment, EmbeddedPoll, ParsedArticle } from '../article';
import { parseByline } from './byline';
import { isUsTimestampLine, parseUsTimestamp } from './dates';
import { ArticleRejectedError } from './errors';
import {
  findCommentTotal,
  isCommentCounter,
  isFurnitureLine,
  POLL_END_LINE,
  POLL_HEADING_LINE,
  RECOMMENDATIONS_LINE,
} from './furniture';
import { hasLeadIn, stripLeadIn } from './lead-in';
import { splitCaption } from './photo-credit';
import { detectSources } from './sources';
import { collapseWhitespace, normalizeLineEndings } from './whitespace';

/**
 * A story page saved as plain text, in the shape story sites print:
 *
 * ```text
 * Headline
 * Subheadline
 * By Author, Org Staff
 * Posted Mar 14, 2014 12:34 PM CDT
 * Photo caption.   (Photo credit)
 *
 * (Org) – First paragraph…
 *
 * More paragraphs…
 *
 * …furniture, poll question…
 * Showing 3 of 60 comments
 * Mar 16, 2014 2:11 PM CDT
 * A comment…
 * ```
 *
 * Structure is read from a whitespace-collapsed view of each line, so CRLF endings and
 * non-breaking spaces do not change the result.
 *
 * @throws ArticleRejectedError `unrecognized-format`, `missing-headline`, `missing-published-at`, `invalid-date`, `empty-body`
 */
export function parseTextPage(text: string): ParsedArticle {
  const lines = normalizeLineEndings(text).split('\n').map(collapseWhitespace);
  const header = readHeader(lines);
  const bodyEnd = findBodyEnd(lines, header.end);
  const body = readParagraphs(lines.slice(header.end, bodyEnd));
  if (body.length === 0) throw new ArticleRejectedError('empty-body', 'The story has no paragraphs after its header');

  const counterAt = indexFrom(lines, bodyEnd, isCommentCounter);
  const commentsStart = counterAt === -1 ? indexFrom(lines, bodyEnd, isUsTimestampLine) : counterAt + 1;
  const furniture = lines.slice(
    bodyEnd,
    counterAt === -1 ? (commentsStart === -1 ? lines.length : commentsStart) : counterAt,
  );

  return {
    format: 'text-page',
    headline: header.headline,
    subheadline: header.subheadline,
    byline: header.byline,
    publishedAt: header.publishedAt,
    photo: header.caption === null ? null : splitCaption(header.caption),
    body,
    sources: detectSources(body),
    poll: findPoll(furniture),
    comments: commentsStart === -1 ? [] : readComments(lines.slice(commentsStart)),
    commentTotal: counterAt === -1 ? null : findCommentTotal(lines[counterAt]!),
    canonicalUrl: null,
  };
}

/** A header longer than this is prose, not a header; it keeps a page without blank lines from being all header. */
const MAX_HEADER_LINES = 8;
const POSTED_LINE = /^(?:Posted|Published)(?:\s+on)?:?\s+(.+?)(?:\s+(?:\||·)\s+.*|\s+Updated\b.*)?$/i;

interface Header {
  headline: string;
  subheadline: string | null;
  byline: ParsedArticle['byline'];
  publishedAt: string;
  caption: string | null;
  /** Index of the first line after the header. */
  end: number;
}

function readHeader(lines: readonly string[]): Header {
  const start = lines.findIndex((line) => line !== '');
  if (start === -1) throw new ArticleRejectedError('empty-input', 'The page has no text');
  let end = start + 1;
  while (end < lines.length && lines[end] !== '' && !hasLeadIn(lines[end]!) && end - start < MAX_HEADER_LINES) end++;

  const headline = lines[start]!;
  let bylineAt = -1;
  let postedAt = -1;
  for (let i = start + 1; i < end; i++) {
    if (bylineAt === -1 && isBylineLine(lines[i]!)) bylineAt = i;
    else if (postedAt === -1 && POSTED_LINE.test(lines[i]!)) postedAt = i;
  }

  if (bylineAt === -1 && postedAt === -1 && !lines.some(hasLeadIn)) {
    throw new ArticleRejectedError(
      'unrecognized-format',
      'The text has no byline, no "Posted" line and no lead-in: it does not look like a story page',
    );
  }
  if (isBylineLine(headline) || POSTED_LINE.test(headline)) {
    throw new ArticleRejectedError('missing-headline', 'The page starts with its byline or date instead of a headline');
  }
  if (postedAt === -1) {
    throw new ArticleRejectedError('missing-published-at', 'The header has no "Posted <date>" line');
  }

  const firstMeta = bylineAt === -1 ? postedAt : Math.min(bylineAt, postedAt);
  const lastMeta = Math.max(bylineAt, postedAt);
  const subheadline = lines.slice(start + 1, firstMeta).join(' ');
  const caption = lines.slice(lastMeta + 1, end).join(' ');
  return {
    headline,
    subheadline: subheadline === '' ? null : subheadline,
    byline: bylineAt === -1 ? { authors: [], organization: null } : parseByline(lines[bylineAt]!)!,
    publishedAt: parseUsTimestamp(POSTED_LINE.exec(lines[postedAt]!)![1]!),
    caption: caption === '' ? null : caption,
    end,
  };
}

function isBylineLine(line: string): boolean {
  return /^By\s/i.test(line) && parseByline(line) !== null;
}

/** The story ends at the first furniture line, or at a bare timestamp that starts the comments. */
function findBodyEnd(lines: readonly string[], from: number): number {
  const end = indexFrom(lines, from, (line) => isFurnitureLine(line) || isUsTimestampLine(line));
  return end === -1 ? lines.length : end;
}

/** Blank lines separate paragraphs; lines of one paragraph are joined with a space. */
function readParagraphs(lines: readonly string[]): string[] {
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const line of [...lines, '']) {
    if (line !== '') {
      current.push(line);
      continue;
    }
    if (current.length > 0) {
      const paragraph = current.join(' ');
      paragraphs.push(paragraphs.length === 0 ? stripLeadIn(paragraph) : paragraph);
      current = [];
    }
  }
  return paragraphs.filter((paragraph) => paragraph !== '');
}

/**
 * The poll sits between "My Take on This Story" and "Show results without voting": the first
 * line there that is not furniture is the question, any further ones are its options.
 */
function findPoll(lines: readonly string[]): EmbeddedPoll | null {
  const headingAt = lines.findIndex((line) => POLL_HEADING_LINE.test(line));
  const endAt = lines.findIndex((line) => POLL_END_LINE.test(line));
  if (headingAt === -1 && endAt === -1) return null;
  const recommendationsAt = indexFrom(lines, headingAt + 1, (line) => RECOMMENDATIONS_LINE.test(line));
  const stop = endAt !== -1 ? endAt : recommendationsAt !== -1 ? recommendationsAt : lines.length;
  const [question, ...options] = lines
    .slice(headingAt + 1, stop)
    .filter((line) => line !== '' && !isFurnitureLine(line));
  return question === undefined ? null : { question, options };
}

/** Each comment is a bare timestamp line followed by its body lines, up to the next timestamp line. */
function readComments(lines: readonly string[]): EmbeddedComment[] {
  const comments: EmbeddedComment[] = [];
  let current: { postedAt: string; lines: string[] } | null = null;
  const flush = (): void => {
    if (current && current.lines.length > 0) {
      comments.push({ postedAt: current.postedAt, body: current.lines.join('\n'), author: null });
    }
  };
  for (const line of lines) {
    if (isUsTimestampLine(line)) {
      flush();
      current = { postedAt: parseUsTimestamp(line), lines: [] };
    } else if (current && line !== '') {
      current.lines.push(line);
    }
  }
  flush();
  return comments;
}

function indexFrom(lines: readonly string[], from: number, predicate: (line: string) => boolean): number {
  for (let i = Math.max(0, from); i < lines.length; i++) if (predicate(lines[i]!)) return i;
  return -1;
}
