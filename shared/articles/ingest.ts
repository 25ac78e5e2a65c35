import { DETAIL_TYPES } from '../events/catalog';
import { definePollOnIngest, type PollDefinitionDependencies } from '../polls/define-on-ingest';
import { pollSourceOf } from '../polls/poll';
import type { Clock, EventPublisher, ObjectStore } from '../ports';
import { articleKey, BUCKET_PREFIXES, receiptKeyFor, rejectedKeyFor, rejectionReasonKey } from '../store/bucket-layout';
import type { NormalizedArticle, SourceFormat } from './article';
import type { ArticleIndex, SaveOutcome } from './article-index';
import { normalize, sha256Hex } from './identity';
import { ArticleRejectedError, parseArticle } from './parse';

export interface IngestDependencies {
  objects: ObjectStore;
  index: ArticleIndex;
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
}

export interface RejectionReason {
  code: string;
  message: string;
  details?: unknown;
}

export type IngestResult =
  | {
      status: 'ingested';
      articleId: string;
      version: number;
      outcome: SaveOutcome;
      articleKey: string;
      rawKey: string;
    }
  | { status: 'rejected'; reason: RejectionReason; rejectedKey: string; reasonKey: string };

/** What `receipts/<key>.json` holds: the outcome of one input, for whoever dropped it. */
export type IngestReceipt = IngestResult & { sourceKey: string; at: string };

const RAW_EXTENSION: Record<SourceFormat, string> = { 'text-page': 'txt', 'html-page': 'html', 'json-article': 'json' };

/**
 * Turns one input into an indexed article, or into a rejection that keeps the input. Every step
 * is idempotent — objects are written only when absent or different, the index write is
 * conditional on the content hash — so Lambda's retries after a partial failure repeat nothing.
 * `ArticleIngested` is not published here: it follows from the index write through the table
 * stream, so it cannot be lost between the write and the publish.
 */
export async function ingestDocument(deps: IngestDependencies, input: IngestInput): Promise<IngestResult> {
  let article: NormalizedArticle;
  try {
    article = normalize(parseArticle({ body: input.body, contentType: input.contentType, key: input.sourceKey }));
  } catch (error) {
    if (error instanceof ArticleRejectedError) return reject(deps, input, reasonFrom(error));
    throw error;
  }

  const rawKey = `${BUCKET_PREFIXES.raw}${article.id}/${sha256Hex(input.body).slice(0, 32)}.${RAW_EXTENSION[article.format]}`;
  if (!(await deps.objects.head(rawKey))) {
    await deps.objects.put(rawKey, input.body, {
      contentType: input.contentType ?? 'application/octet-stream',
      metadata: { 'source-key': input.sourceKey },
    });
  }

  const normalizedKey = articleKey(article.id);
  const stored = await deps.objects.head(normalizedKey);
  if (stored?.metadata['content-hash'] !== article.contentHash) {
    await deps.objects.put(normalizedKey, JSON.stringify(article, null, 2), {
      contentType: 'application/json',
      metadata: { 'content-hash': article.contentHash },
    });
  }

  const saved = await deps.index.save(article, deps.clock.now());
  // Only once the story is indexed: a poll must not exist for a story that does not.
  await definePollOnIngest(deps, pollSourceOf(article));
  const result: IngestResult = {
    status: 'ingested',
    articleId: article.id,
    version: saved.version,
    outcome: saved.outcome,
    articleKey: normalizedKey,
    rawKey,
  };
  await writeReceipt(deps, input.sourceKey, result);
  return result;
}

/**
 * The drop-zone workflow: ingest the object under `incoming/`, then remove it. An object that
 * is already gone was handled by an earlier attempt of the same event.
 */
export async function ingestDroppedObject(
  deps: IngestDependencies,
  sourceKey: string,
): Promise<IngestResult | { status: 'already-processed' }> {
  const object = await deps.objects.get(sourceKey);
  if (!object) return { status: 'already-processed' };
  const result = await ingestDocument(deps, { sourceKey, body: object.body, contentType: object.contentType });
  await deps.objects.delete(sourceKey);
  return result;
}

async function reject(deps: IngestDependencies, input: IngestInput, reason: RejectionReason): Promise<IngestResult> {
  const rejectedKey = rejectedKeyFor(input.sourceKey);
  const reasonKey = rejectionReasonKey(rejectedKey);
  await deps.objects.put(rejectedKey, input.body, { contentType: input.contentType ?? 'application/octet-stream' });
  await deps.objects.put(
    reasonKey,
    JSON.stringify({ ...reason, sourceKey: input.sourceKey, rejectedAt: deps.clock.now().toISOString() }, null, 2),
    { contentType: 'application/json' },
  );
  await deps.events.publish([
    {
      detailType: DETAIL_TYPES.articleRejected,
      detail: {
        schemaVersion: 1,
        sourceKey: input.sourceKey,
        rejectedKey,
        reasonKey,
        reason: { code: reason.code, message: reason.message },
      },
    },
  ]);
  const result: IngestResult = { status: 'rejected', reason, rejectedKey, reasonKey };
  await writeReceipt(deps, input.sourceKey, result);
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
