import type { PollDefinition, PollOption } from '../polls/poll';
import type { ArticleCounts, Byline, EmbeddedComment, Photo } from './article';
import type { IndexedArticle } from './article-index';
import { publicCorrection, type Correction } from './corrections';

/** An article as `GET /articles/{articleId}` returns it. */
export interface ArticleView {
  id: string;
  slug: string;
  headline: string;
  subheadline: string | null;
  byline: Byline;
  publishedAt: string;
  photo: Photo | null;
  body: string[];
  sources: string[];
  /** The story's reader poll, with the options `GET /articles/{articleId}/poll` counts votes for. */
  poll: { question: string; options: PollOption[] };
  /** Reader comments that were embedded in the source page, with their original times. */
  embeddedComments: EmbeddedComment[];
  /** The comment total the source page stated ("Showing 3 of 60 comments"). */
  sourceCommentTotal: number | null;
  canonicalUrl: string | null;
  format: IndexedArticle['format'];
  version: number;
  createdAt: string;
  updatedAt: string;
  counts: ArticleCounts;
  /** Corrections published on the story, oldest first; always present, usually empty. */
  corrections: Correction[];
}

export function toArticleView(
  article: IndexedArticle,
  counts: ArticleCounts,
  poll: PollDefinition,
  corrections: readonly Correction[] = [],
): ArticleView {
  return {
    id: article.id,
    slug: article.slug,
    headline: article.headline,
    subheadline: article.subheadline,
    byline: article.byline,
    publishedAt: article.publishedAt,
    photo: article.photo,
    body: article.body,
    sources: article.sources,
    poll: { question: poll.question, options: poll.options.map(({ id, label }) => ({ id, label })) },
    embeddedComments: article.comments,
    sourceCommentTotal: article.commentTotal,
    canonicalUrl: article.canonicalUrl,
    format: article.format,
    version: article.version,
    createdAt: article.createdAt,
    updatedAt: article.updatedAt,
    counts,
    corrections: corrections.map(publicCorrection),
  };
}
