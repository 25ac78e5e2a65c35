import type { ObjectStore } from '../ports';
import { articleKey } from '../store/bucket-layout';
import type { IndexedArticle } from './article-index';
import { correctedArticleDocument, type StoredCorrection } from './corrections';

export interface CorrectionsDependencies {
  stories: {
    loadStory(articleId: string): Promise<{ article: IndexedArticle; corrections: StoredCorrection[] } | null>;
  };
  objects: ObjectStore;
}

export type CorrectionsOutcome = 'written' | 'no-corrections' | 'no-article';

/**
 * Makes `articles/<id>.json` show the story's corrections. Runs when a correction is published
 * and when a re-ingest rewrote the object (without them). The object keeps the content hash
 * ingest compares against, so re-ingesting the same page leaves it, corrections included, alone.
 */
export async function publishCorrections(
  deps: CorrectionsDependencies,
  articleId: string,
): Promise<CorrectionsOutcome> {
  const story = await deps.stories.loadStory(articleId);
  if (!story) return 'no-article';
  if (story.corrections.length === 0) return 'no-corrections';
  const document = correctedArticleDocument(story.article, story.corrections);
  await deps.objects.put(articleKey(articleId), JSON.stringify(document, null, 2), {
    contentType: 'application/json',
    metadata: { 'content-hash': story.article.contentHash },
  });
  return 'written';
}
