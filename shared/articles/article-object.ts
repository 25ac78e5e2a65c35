import type { ObjectStore } from '../ports';
import { articleKey } from '../store/bucket-layout';
import { normalizedArticleSchema, type NormalizedArticle } from './article';
import type { IndexedArticle } from './indexed-article-schema';
import { publicCorrection, type CorrectedArticleDocument, type StoredCorrection } from './corrections';
import { sha256Hex } from './identity';

/** Reads what `articles/<id>.json` is rendered from: the index item and the published corrections. */
export interface StoryReader {
  /** Read consistently (the latest committed state); null when the story does not exist. */
  loadStory(articleId: string): Promise<{ article: IndexedArticle; corrections: StoredCorrection[] } | null>;
}

export interface ArticleObjectDependencies {
  stories: StoryReader;
  objects: ObjectStore;
}

export type ArticleObjectOutcome = 'written' | 'current' | 'no-article';

/** The object's metadata: the hash of the document it holds, compared before every write. */
export const DOCUMENT_HASH_METADATA = 'document-hash';

/**
 * Rounds of render-and-check before giving up. Each extra round means another writer wrote the
 * object or the story in between; a few cover any realistic burst, and the caller's retry covers more.
 */
const MAX_ROUNDS = 5;

/** Thrown when the object could not be brought to the indexed story; the caller's retry tries again. */
export class ArticleObjectUnsettledError extends Error {
  constructor(articleId: string) {
    super(`articles/${articleId}.json kept changing while it was rendered; render it again`);
    this.name = 'ArticleObjectUnsettledError';
  }
}

/**
 * Makes `articles/<id>.json` hold the story as the index holds it now, with its published
 * corrections. The document is rendered from the index, never from an input, so whichever input
 * the index kept is what the object shows.
 *
 * S3 has no write conditional on our version that the local S3 emulator supports as well, so
 * writers do not lock: each writes, then reads the index and the object again, and writes again
 * until the object shows what the index holds. The last writer of the object therefore always
 * checked it after writing; a slower writer that puts an older rendering back finds the mismatch
 * on its own check and repairs it. An index change after the last check has a writer of its own.
 *
 * @throws ArticleObjectUnsettledError when the object still differs after a few rounds
 */
export async function syncArticleObject(
  deps: ArticleObjectDependencies,
  articleId: string,
): Promise<ArticleObjectOutcome> {
  const key = articleKey(articleId);
  let wrote = false;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const story = await deps.stories.loadStory(articleId);
    if (!story) return 'no-article';
    const document = JSON.stringify(articleDocument(story.article, story.corrections), null, 2);
    const documentHash = sha256Hex(document);
    const stored = await deps.objects.head(key);
    if (stored?.metadata[DOCUMENT_HASH_METADATA] === documentHash) return wrote ? 'written' : 'current';
    await deps.objects.put(key, document, {
      contentType: 'application/json',
      metadata: {
        [DOCUMENT_HASH_METADATA]: documentHash,
        'content-hash': story.article.contentHash,
        version: String(story.article.version),
      },
    });
    wrote = true;
  }
  throw new ArticleObjectUnsettledError(articleId);
}

/**
 * The document `articles/<id>.json` holds: the normalized article, taken from the index item by
 * its schema (which keeps exactly the normalized article's fields, in their order, so index
 * bookkeeping never leaks into it), plus its corrections (oldest first) once any were published.
 */
export function articleDocument(
  article: IndexedArticle,
  corrections: readonly StoredCorrection[],
): NormalizedArticle | CorrectedArticleDocument {
  const normalized = normalizedArticleSchema.parse(article);
  return corrections.length === 0 ? normalized : { ...normalized, corrections: corrections.map(publicCorrection) };
}
