import type { PollSource } from '../polls/poll';
import type { NormalizedArticle } from './article';

/** The parts of an article its poll is defined from. */
export function pollSourceOf(article: Pick<NormalizedArticle, 'id' | 'headline' | 'poll'>): PollSource {
  return { articleId: article.id, headline: article.headline, poll: article.poll };
}
