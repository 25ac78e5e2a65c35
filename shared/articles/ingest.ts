import { runInOrderUntilFailure } from '../concurrency';
import { DETAIL_TYPES } from '../events/catalog';
import { LIMITS } from '../limits';
import { definePollOnIngest, type PollDefinitionDependencies } from '../polls/define-on-ingest';
import type { Clock, EventPublisher, ObjectInfo, ObjectStore, StoredObject } from '../ports';
import { articleKey, BUCKET_PREFIXES, receiptKeyFor, rejectedKeyFor, rejectionReasonKey } from '../store/bucket-layout';
import type { ParsedArticle, SourceFormat } from './article';
import type { ArticleIndex, SaveOutcome } from './article-index';
import { syncArticleObject, type StoryReader } from './article-object';
import { normalize, sha256Hex } from './identity';
import { ArticleRejectedError, inputTooLarge, parseInput, type FeedFormat, type FeedItem } from './parse';
import { revisionOf, type StatedVersion } from './revision';
import { pollSourceOf } from './poll-source';

export interface IngestDependencies {
  objects: ObjectStore;
  index: ArticleIndex;
  /** Reads the indexed story back, to render `articles/<id>.json` from it. */
  stories: StoryReader;
  events: EventPublisher;
  clock: Clock;
  /** Where the story's poll is defined once it is indexed. */
  polls: PollDefinitionDependencies['polls'];
  reactions: readonly string[];
}

export interface IngestInput {
  /** Where the input came from: its key under `incoming/`, or `api/<request id>` for a POST. */
  sourceKey: string;
  body: Buffer;
  contentType?: string;
  /**
   * When the newsroom handed the input to us (the S3 event time of a drop, the request time of
   * a POST): what orders the versions of one story, see `revision.ts`.
   */
  receivedAt: Date;
}

/** What an S3 notification says about a dropped object, as far as it says it. */
export interface DroppedObject {
  /** The object's key under `incoming/`, decoded. */
  key: string;
  /** Its size in bytes, so an oversized drop is refused without reading it. */
  size?: number;
  /** Its entity tag: another tag under the key means a later drop replaced this one. */
  eTag?: string;
  /** When S3 stored it (the event time), the same in every retry of the event. */
  receivedAt?: Date;
}

export interface RejectionReason {
  code: string;
  message: string;
  details?: unknown;
}

/** What became of one story: an input of its own, or one item of a feed. */
export type StoryResult =
  | {
      status: 'ingested';
      articleId: string;
      version: number;
      outcome: SaveOutcome;
      articleKey: string;
      rawKey: string;
    }
  | { status: 'rejected'; reason: RejectionReason; rejectedKey: string; reasonKey: string };

/** What became of one item of a feed: its position (from 1), the key its own receipt is named after, its result. */
export type FeedItemResult = StoryResult & { item: number; sourceKey: string };

/**
 * What became of one input: a story ingested or rejected, or a feed, whose items each went their
 * own way (a feed that could not be read at all is rejected like any other input).
 */
export type IngestResult = StoryResult | { status: 'feed'; format: FeedFormat; items: FeedItemResult[] };

/**
 * What `receipts/<key>.json` holds: the outcome of one input, for whoever dropped it. A feed's
 * receipt lists every item's outcome; each item also has a receipt of its own, named after the
 * item's key (`feedItemSourceKey`).
 */
export type IngestReceipt = IngestResult & { sourceKey: string; at: string };

const RAW_EXTENSION: Record<SourceFormat, string> = {
  'text-page': 'txt',
  'html-page': 'html',
  'json-article': 'json',
  ninjs: 'json',
  'rss-item': 'xml',
  'atom-item': 'xml',
};

/**
 * Items of one feed saved at once: a feed of 500 must fit in one invocation (and `POST /articles`
 * in API Gateway's 29 seconds), at a handful of requests per item.
 */
const FEED_ITEM_CONCURRENCY = 8;

/** `incoming/wire/feed.xml` → `incoming/wire/feed.xml/items/3`: the key the third item's receipt, raw copy and rejection are named after. */
export function feedItemSourceKey(feedSourceKey: string, item: number): string {
  return `${feedSourceKey}/items/${item}`;
}

/**
 * Turns one input into an indexed article, or into a rejection that keeps the input. Every step
 * is idempotent — objects are written only when absent or different, the index write is
 * conditional on the input being newer than the story's newest so far and on the content
 * changing — so Lambda's retries after a partial failure repeat nothing, and an input that
 * arrives after a newer one is recorded as `stale` without replacing it. `articles/<id>.json` is
 * then rendered from the index, not from this input, so it shows whichever version the index kept.
 * `ArticleIngested` is not published here: it follows from the index write through the table
 * stream, so it cannot be lost between the write and the publish.
 */
export async function ingestDocument(deps: IngestDependencies, input: IngestInput): Promise<IngestResult> {
  let parsed: ReturnType<typeof parseInput>;
  try {
    parsed = parseInput({ body: input.body, contentType: input.contentType, key: input.sourceKey });
  } catch (error) {
    if (error instanceof ArticleRejectedError) {
      return reject(deps, input.sourceKey, reasonFrom(error), keepInput(deps, input.body, input.contentType));
    }
    throw error;
  }
  if (parsed.kind === 'feed') return ingestFeed(deps, input, parsed.format, parsed.items);
  return saveStory(deps, {
    sourceKey: input.sourceKey,
    body: input.body,
    contentType: input.contentType,
    receivedAt: input.receivedAt,
    parsed: parsed.article,
    statedVersion: parsed.statedVersion,
  });
}

/**
 * Each item of a feed as a story of its own — its own raw copy, index write and receipt, or its
 * own rejection — then the feed's receipt, listing them all. Items are saved a few at a time; if
 * one fails (not rejected: the store failed), the feed fails, and a retry repeats nothing that
 * is done, as for any input.
 */
async function ingestFeed(
  deps: IngestDependencies,
  input: IngestInput,
  format: FeedFormat,
  items: readonly FeedItem[],
): Promise<IngestResult> {
  const results: FeedItemResult[] = [];
  const failures = await runInOrderUntilFailure(items, FEED_ITEM_CONCURRENCY, async (item, index) => {
    const sourceKey = feedItemSourceKey(input.sourceKey, item.position);
    const body = Buffer.from(item.markup, 'utf8');
    const result =
      'rejection' in item.outcome
        ? await reject(deps, sourceKey, reasonFrom(item.outcome.rejection), keepInput(deps, body, 'application/xml'))
        : await saveStory(deps, {
            sourceKey,
            body,
            contentType: 'application/xml',
            receivedAt: input.receivedAt,
            parsed: item.outcome.article,
            statedVersion: null,
          });
    results[index] = { ...result, item: item.position, sourceKey };
  });
  if (failures.length > 0) throw failures[0]!.error;
  const result: IngestResult = { status: 'feed', format, items: results };
  await writeReceipt(deps, input.sourceKey, result);
  return result;
}

/** One parsed story through the rest of the pipeline: raw copy, index write, poll, article object, receipt. */
async function saveStory(
  deps: IngestDependencies,
  story: {
    sourceKey: string;
    body: Buffer;
    contentType: string | undefined;
    receivedAt: Date;
    parsed: ParsedArticle;
    statedVersion: StatedVersion | null;
  },
): Promise<StoryResult> {
  const article = normalize(story.parsed);
  const rawKey = `${BUCKET_PREFIXES.raw}${article.id}/${sha256Hex(story.body).slice(0, 32)}.${RAW_EXTENSION[article.format]}`;
  if (!(await deps.objects.head(rawKey))) {
    await deps.objects.put(rawKey, story.body, {
      contentType: story.contentType ?? 'application/octet-stream',
      metadata: { 'source-key': story.sourceKey },
    });
  }

  const revision = revisionOf(story.receivedAt, article.contentHash, story.statedVersion);
  const saved = await deps.index.save(article, revision, deps.clock.now());
  // Only once the story is indexed: a poll must not exist for a story that does not.
  await definePollOnIngest(deps, pollSourceOf(article));
  // Also after `unchanged` and `stale`: a retry of an attempt that stopped after the index write
  // finds the index done, and must still leave the object showing it.
  await syncArticleObject(deps, article.id);
  const result: StoryResult = {
    status: 'ingested',
    articleId: article.id,
    version: saved.version,
    outcome: saved.outcome,
    articleKey: articleKey(article.id),
    rawKey,
  };
  await writeReceipt(deps, story.sourceKey, result);
  return result;
}

/** Keeps a rejected input under its `rejected/` key, as it was received. */
function keepInput(
  deps: IngestDependencies,
  body: Buffer,
  contentType: string | undefined,
): { keep: (rejectedKey: string) => Promise<void> } {
  return {
    keep: (rejectedKey) =>
      deps.objects.put(rejectedKey, body, { contentType: contentType ?? 'application/octet-stream' }),
  };
}

/**
 * The drop-zone workflow: ingest the object under `incoming/`, then remove it. An object that
 * is already gone was handled by an earlier attempt of the same event; one whose tag differs
 * from the event's was replaced by a later drop, whose own event ingests it. At most the size
 * limit is ever read: a drop the event says is larger is refused unread, and a ranged read
 * catches one the event did not size.
 */
export async function ingestDroppedObject(
  deps: IngestDependencies,
  drop: DroppedObject,
): Promise<IngestResult | { status: 'already-processed' } | { status: 'superseded' }> {
  const limit = LIMITS.maxIngestBytes;
  const statedTooLarge = drop.size !== undefined && drop.size > limit;
  const found = statedTooLarge
    ? await deps.objects.head(drop.key)
    : await deps.objects.get(drop.key, { maxBytes: limit });
  if (!found) return { status: 'already-processed' };
  if (drop.eTag !== undefined && found.eTag !== undefined && found.eTag !== drop.eTag) return { status: 'superseded' };

  let result: IngestResult;
  if (found.size > limit) {
    result = await rejectUnread(deps, drop.key, found);
  } else {
    // Not read yet only when the event overstated the size.
    const object = isRead(found) ? found : await deps.objects.get(drop.key, { maxBytes: limit });
    if (!object) return { status: 'already-processed' };
    result = await ingestDocument(deps, {
      sourceKey: drop.key,
      body: object.body,
      ...(object.contentType ? { contentType: object.contentType } : {}),
      // Without an event time (a hand-made event), when S3 stored the object read is the next best.
      receivedAt: drop.receivedAt ?? object.lastModified ?? deps.clock.now(),
    });
  }
  await deps.objects.delete(drop.key);
  return result;
}

const isRead = (object: ObjectInfo | StoredObject): object is StoredObject => 'body' in object;

/**
 * Rejects a drop over the size limit without reading it: the input is kept under `rejected/`
 * by a copy inside the bucket, unless it is too large even for that (the reason then says so).
 */
async function rejectUnread(deps: IngestDependencies, sourceKey: string, object: ObjectInfo): Promise<StoryResult> {
  const tooLarge = reasonFrom(inputTooLarge(object.size));
  if (object.size > deps.objects.maxCopyBytes) {
    const notKept = { ...tooLarge, details: { bytes: object.size, limit: LIMITS.maxIngestBytes, kept: false } };
    return reject(deps, sourceKey, notKept, { keep: async () => undefined });
  }
  return reject(deps, sourceKey, tooLarge, { keep: (rejectedKey) => deps.objects.copy(sourceKey, rejectedKey) });
}

async function reject(
  deps: IngestDependencies,
  sourceKey: string,
  reason: RejectionReason,
  input: { keep: (rejectedKey: string) => Promise<void> },
): Promise<StoryResult> {
  const rejectedKey = rejectedKeyFor(sourceKey);
  const reasonKey = rejectionReasonKey(rejectedKey);
  await input.keep(rejectedKey);
  await deps.objects.put(
    reasonKey,
    JSON.stringify({ ...reason, sourceKey, rejectedAt: deps.clock.now().toISOString() }, null, 2),
    { contentType: 'application/json' },
  );
  await deps.events.publish([
    {
      detailType: DETAIL_TYPES.articleRejected,
      detail: {
        schemaVersion: 1,
        sourceKey,
        rejectedKey,
        reasonKey,
        reason: { code: reason.code, message: reason.message },
      },
    },
  ]);
  const result: StoryResult = { status: 'rejected', reason, rejectedKey, reasonKey };
  await writeReceipt(deps, sourceKey, result);
  return result;
}

async function writeReceipt(deps: IngestDependencies, sourceKey: string, result: IngestResult): Promise<void> {
  await deps.objects.put(
    receiptKeyFor(sourceKey),
    JSON.stringify({ sourceKey, at: deps.clock.now().toISOString(), ...result } satisfies IngestReceipt),
    { contentType: 'application/json' },
  );
}

function reasonFrom(error: ArticleRejectedError): RejectionReason {
  return {
    code: error.code,
    message: error.message,
    ...(error.details !== undefined ? { details: error.details } : {}),
  };
}
