import type { Byline, EmbeddedComment, EmbeddedPoll, ParsedArticle, Photo } from '../article';
import { parseByline } from './byline';
import { parseTimestamp } from './dates';
import { ArticleRejectedError } from './errors';
import { stripLeadIn } from './lead-in';
import { detectSources, normalizeSourceNames } from './sources';
import { collapseWhitespace, normalizeLineEndings } from './whitespace';
import * as z from '../../validation';

/*
 * Optional fields accept null as well as absence: feeds write `"photo": null`, and a stored
 * `ParsedArticle` (whose empty fields are null) then re-ingests as it is.
 */
const BylineSchema = z.union([
  z.string(),
  z.object({ authors: z.array(z.string()), organization: z.nullish(z.string()) }),
]);

const nonBlank = (message: string) => z.string().check(z.trim(), z.minLength(1, message));

/**
 * A story delivered as JSON. Unknown fields are ignored (zod strips them), so a feed may
 * carry more than we store. `publishedAt` is ISO-8601 with an offset or the printed
 * `Mar 14, 2014 12:34 PM CDT` form; `body` is blank-line-separated text or one string per
 * paragraph; without `sources`, they are detected in the body.
 */
export const JsonArticleSchema = z.object({
  headline: nonBlank('headline must not be empty'),
  subheadline: z.nullish(z.string()),
  byline: z.nullish(BylineSchema),
  authors: z.nullish(z.array(z.string())),
  publishedAt: nonBlank('publishedAt must not be empty'),
  photo: z.nullish(z.object({ caption: z.nullish(z.string()), credit: z.nullish(z.string()) })),
  body: z.union([z.string(), z.array(z.string())]),
  sources: z.nullish(z.array(z.string())),
  url: z.nullish(z.string()),
  canonicalUrl: z.nullish(z.string()),
  poll: z.nullish(z.object({ question: z.nullish(z.string()), options: z.nullish(z.array(z.string())) })),
  comments: z.nullish(z.array(z.object({ postedAt: z.string(), body: z.string(), author: z.nullish(z.string()) }))),
  commentTotal: z.nullish(z.int().check(z.nonnegative())),
});

export type JsonArticle = z.infer<typeof JsonArticleSchema>;

/**
 * Validates an already-parsed JSON value as an article and normalizes it.
 *
 * @throws ArticleRejectedError `invalid-json-article` (with one issue per field), `invalid-date`, `empty-body`
 */
export function parseJsonArticle(value: unknown): ParsedArticle {
  const result = JsonArticleSchema.safeParse(value);
  if (!result.success) {
    const details = result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
    const summary = details.map(({ path, message }) => (path === '' ? message : `${path}: ${message}`));
    throw new ArticleRejectedError(
      'invalid-json-article',
      `Invalid JSON article: ${summary.slice(0, 5).join('; ')}`,
      details,
    );
  }
  const article = result.data;
  const body = toParagraphs(article.body);
  if (body.length === 0) throw new ArticleRejectedError('empty-body', 'The article body has no paragraphs');

  return {
    format: 'json-article',
    headline: collapseWhitespace(article.headline),
    subheadline: nonEmpty(article.subheadline),
    byline: toByline(article),
    publishedAt: timestampAt('publishedAt', article.publishedAt),
    photo: toPhoto(article.photo),
    body,
    sources: article.sources == null ? detectSources(body) : normalizeSourceNames(article.sources),
    poll: toPoll(article.poll),
    comments: toComments(article.comments ?? []),
    commentTotal: article.commentTotal ?? null,
    canonicalUrl: nonEmpty(article.canonicalUrl) ?? nonEmpty(article.url),
  };
}

function toParagraphs(body: string | string[]): string[] {
  const raw = typeof body === 'string' ? normalizeLineEndings(body).split(/\n\s*\n/) : body;
  const paragraphs = raw.map(collapseWhitespace).filter((paragraph) => paragraph !== '');
  if (paragraphs.length > 0) paragraphs[0] = stripLeadIn(paragraphs[0]!);
  return paragraphs.filter((paragraph) => paragraph !== '');
}

function toByline(article: JsonArticle): Byline {
  const fallbackAuthors = (article.authors ?? []).map(collapseWhitespace).filter((name) => name !== '');
  if (article.byline == null) return { authors: fallbackAuthors, organization: null };
  if (typeof article.byline === 'string') {
    const parsed = parseByline(article.byline);
    if (parsed === null) {
      throw new ArticleRejectedError(
        'invalid-json-article',
        `Invalid JSON article: byline "${article.byline}" names no author`,
        [{ path: 'byline', message: 'expected a byline like "By A and B, Org Staff"' }],
      );
    }
    return parsed.authors.length > 0 ? parsed : { ...parsed, authors: fallbackAuthors };
  }
  const authors = article.byline.authors.map(collapseWhitespace).filter((name) => name !== '');
  return {
    authors: authors.length > 0 ? authors : fallbackAuthors,
    organization: nonEmpty(article.byline.organization),
  };
}

function toPhoto(photo: JsonArticle['photo']): Photo | null {
  const caption = nonEmpty(photo?.caption);
  const credit = nonEmpty(photo?.credit);
  return caption === null && credit === null ? null : { caption, credit };
}

function toPoll(poll: JsonArticle['poll']): EmbeddedPoll | null {
  const question = nonEmpty(poll?.question);
  if (question === null) return null;
  const options = (poll?.options ?? []).map(collapseWhitespace).filter((option) => option !== '');
  return { question, options };
}

/** Comment bodies keep their line breaks, like text-page comments; empty comments are dropped. */
function toComments(comments: NonNullable<JsonArticle['comments']>): EmbeddedComment[] {
  return comments.flatMap((comment, index) => {
    const body = normalizeLineEndings(comment.body)
      .split('\n')
      .map(collapseWhitespace)
      .filter((line) => line !== '')
      .join('\n');
    if (body === '') return [];
    const postedAt = timestampAt(`comments.${index}.postedAt`, comment.postedAt);
    return [{ postedAt, body, author: nonEmpty(comment.author) }];
  });
}

/** Parses a timestamp and, when it is invalid, says which field held it. */
function timestampAt(path: string, value: string): string {
  try {
    return parseTimestamp(value);
  } catch (error) {
    if (!(error instanceof ArticleRejectedError)) throw error;
    throw new ArticleRejectedError(error.code, `${path}: ${error.message}`, [{ path, message: error.message }]);
  }
}

function nonEmpty(value: string | null | undefined): string | null {
  const text = collapseWhitespace(value ?? '');
  return text === '' ? null : text;
}
