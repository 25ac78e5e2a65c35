import type { PollDefinition } from '../polls/poll';
import { ARTICLE_SUMMARY_FIELDS } from '../store/table-design';
import * as z from '../validation';
import type { ArticleCounts, ArticleView } from './article-shapes';
import { publicCorrection, type Correction } from './corrections';
import type { ArticleSummary, IndexedArticle } from './indexed-article-schema';

/** A story's summary, as the feed lists it. */
export function summaryOf(article: IndexedArticle): ArticleSummary {
  return z.pickFields(article, ARTICLE_SUMMARY_FIELDS);
}

export function toArticleView(
  article: IndexedArticle,
  counts: ArticleCounts,
  poll: PollDefinition,
  corrections: readonly Correction[] = [],
): ArticleView {
  return {
    ...summaryOf(article),
    photo: article.photo,
    body: article.body,
    sources: article.sources,
    poll: { question: poll.question, options: poll.options.map(({ id, label }) => ({ id, label })) },
    embeddedComments: article.comments,
    sourceCommentTotal: article.commentTotal,
    canonicalUrl: article.canonicalUrl,
    ...(article.language !== undefined ? { language: article.language } : {}),
    format: article.format,
    createdAt: article.createdAt,
    counts,
    corrections: corrections.map(publicCorrection),
  };
}
