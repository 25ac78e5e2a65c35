import { LIMITS } from '../../limits';
import type { ParsedArticle } from '../article';
import { ArticleRejectedError } from './errors';

/**
 * Refuses a parsed story that the rest of the pipeline could not store or announce: a headline
 * or subheadline longer than any real one (they travel in every event and listing), or a story
 * larger than its index item may be. Checked once here, for every format.
 */
export function enforceArticleLimits(article: ParsedArticle): ParsedArticle {
  tooLong('headline', article.headline, LIMITS.maxHeadlineChars);
  if (article.subheadline !== null) tooLong('subheadline', article.subheadline, LIMITS.maxSubheadlineChars);
  const bytes = Buffer.byteLength(JSON.stringify(article), 'utf8');
  if (bytes > LIMITS.maxArticleBytes) {
    throw new ArticleRejectedError(
      'too-large',
      `The story is ${Math.ceil(bytes / 1024)} KB once parsed; at most ${LIMITS.maxArticleBytes / 1024} KB fits`,
      { bytes, maxBytes: LIMITS.maxArticleBytes },
    );
  }
  return article;
}

function tooLong(field: 'headline' | 'subheadline', value: string, max: number): void {
  const length = [...value].length;
  if (length <= max) return;
  throw new ArticleRejectedError('field-too-long', `The ${field} has ${length} characters; at most ${max} are kept`, [
    { path: field, message: `at most ${max} characters` },
  ]);
}
