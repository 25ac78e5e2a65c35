import type { ArticleIndex, SaveResult } from '../../../shared/articles/article-index';
import type { IndexedArticle } from '../../../shared/articles/indexed-article-schema';
import { ingestDocument, type IngestDependencies } from '../../../shared/articles/ingest';
import type { PollDefinition } from '../../../shared/polls/poll';
import type { ObjectStore, StoredObject } from '../../../shared/ports';
import { SAMPLE_STORY_TEXT, SAMPLE_STORY_TEXT_EDITED } from '../../support/sample-story';

/**
 * A story's poll is defined when the story is indexed, so that the public routes that show it
 * only ever read. The index, the object store and the poll store are in memory here; every
 * write is logged in order.
 */
const NOW = new Date('2024-03-14T12:00:00.000Z');

function fakes(options: { failIndex?: boolean } = {}) {
  const writes: string[] = [];
  const objects = new Map<string, StoredObject>();
  const polls = new Map<string, PollDefinition>();
  const indexed = new Map<string, IndexedArticle>();
  const store: ObjectStore = {
    get: async (key) => objects.get(key) ?? null,
    head: async (key) => objects.get(key) ?? null,
    put: async (key, body, put) => {
      const bytes = Buffer.from(body);
      objects.set(key, { body: bytes, size: bytes.length, metadata: put?.metadata ?? {} });
    },
    copy: async (fromKey, toKey) => {
      const object = objects.get(fromKey);
      if (object) objects.set(toKey, object);
    },
    maxCopyBytes: 5 * 1024 ** 3,
    delete: async (key) => void objects.delete(key),
  };
  const index: ArticleIndex = {
    save: async (article): Promise<SaveResult> => {
      if (options.failIndex) throw new Error('Throughput exceeded');
      writes.push(`index ${article.id}`);
      const at = NOW.toISOString();
      indexed.set(article.id, { ...article, version: 1, createdAt: at, updatedAt: at });
      return { outcome: 'created', version: 1 };
    },
    find: async () => null,
    exists: async () => true,
    listNewest: async () => ({ items: [], nextCursor: null }),
  };
  const deps: IngestDependencies = {
    objects: store,
    index,
    stories: {
      loadStory: async (articleId) => {
        const article = indexed.get(articleId);
        return article ? { article, corrections: [] } : null;
      },
    },
    events: { publish: async () => undefined },
    clock: { now: () => NOW },
    reactions: ['Fair', 'Unfair'],
    polls: {
      // As the table does: a conditional put that keeps a stored definition.
      define: async (definition) => {
        writes.push(`poll ${definition.articleId}`);
        const stored = polls.get(definition.articleId) ?? definition;
        polls.set(definition.articleId, stored);
        return stored;
      },
    },
  };
  return { deps, writes, polls };
}

const ingest = (deps: IngestDependencies, text: string, sourceKey = 'incoming/story.txt') =>
  ingestDocument(deps, { sourceKey, body: Buffer.from(text), contentType: 'text/plain', receivedAt: NOW });

describe("defining a story's poll at ingest", () => {
  it('defines the poll right after the story is indexed: its question and the default reactions', async () => {
    const { deps, writes, polls } = fakes();

    const result = await ingest(deps, SAMPLE_STORY_TEXT);

    expect(result.status).toBe('ingested');
    const id = (result as { articleId: string }).articleId;
    expect(writes).toEqual([`index ${id}`, `poll ${id}`]);
    expect(polls.get(id)).toEqual({
      articleId: id,
      question: 'Harbor Town Votes to Rebuild Its Old Ferry Pier is...',
      options: [
        { id: 'fair', label: 'Fair' },
        { id: 'unfair', label: 'Unfair' },
      ],
      headline: 'Harbor Town Votes to Rebuild Its Old Ferry Pier',
      definedAt: NOW.toISOString(),
    });
  });

  it('keeps the poll as first defined when the story is ingested again or edited', async () => {
    const { deps, polls } = fakes();
    const first = await ingest(deps, SAMPLE_STORY_TEXT);
    const id = (first as { articleId: string }).articleId;
    const defined = polls.get(id);

    deps.reactions = ['Changed', 'Configuration'];
    deps.clock = { now: () => new Date('2024-03-15T00:00:00.000Z') };
    await ingest(deps, SAMPLE_STORY_TEXT);
    await ingest(deps, SAMPLE_STORY_TEXT_EDITED, 'incoming/edited.txt');

    expect(polls.get(id)).toBe(defined);
  });

  it('defines no poll for a story whose index write failed, nor for a rejected input', async () => {
    const failing = fakes({ failIndex: true });
    const rejecting = fakes();

    await expect(ingest(failing.deps, SAMPLE_STORY_TEXT)).rejects.toThrow('Throughput exceeded');
    const rejected = await ingest(rejecting.deps, 'just some words, not a story');

    expect(rejected.status).toBe('rejected');
    expect(failing.polls.size + rejecting.polls.size).toBe(0);
  });
});
