import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IngestReceipt, StoryResult } from '../../shared/articles/ingest';
import { BUCKET_PREFIXES, receiptKeyFor } from '../../shared/store/bucket-layout';
import { contentTypeFor } from '../local/content-types';

/** What became of one story: a file of its own, or one item of a feed file. */
export type StoryOutcome =
  | { status: 'ingested'; articleId: string; outcome: string; version: number }
  | { status: 'rejected'; code: string; message: string; rejectedKey: string };

export type FileOutcome =
  | ({ file: string } & StoryOutcome)
  | { file: string; status: 'feed'; format: string; items: Array<{ item: number } & StoryOutcome> }
  | { file: string; status: 'timed-out'; sourceKey: string };

/**
 * Drops each file under `incoming/` — the same path any producer uses — and waits for the
 * pipeline's receipt, so the caller learns the article id or why the file was rejected (for a
 * feed, of each of its items, from the feed's receipt).
 */
export async function ingestFiles(options: {
  s3: S3Client;
  bucket: string;
  files: readonly string[];
  timeoutMs: number;
  pollMs?: number;
}): Promise<FileOutcome[]> {
  const batch = `${new Date().toISOString().replace(/[-:.]/g, '')}-${randomBytes(4).toString('hex')}`;
  const uploads = await Promise.all(
    options.files.map(async (file, i) => {
      const sourceKey = `${BUCKET_PREFIXES.incoming}cli/${batch}/${i}-${basename(file)}`;
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.bucket,
          Key: sourceKey,
          Body: await readFile(file),
          ContentType: contentTypeFor(file),
        }),
      );
      return { file, sourceKey };
    }),
  );
  return Promise.all(uploads.map((upload) => awaitReceipt(options, upload)));
}

async function awaitReceipt(
  options: { s3: S3Client; bucket: string; timeoutMs: number; pollMs?: number },
  upload: { file: string; sourceKey: string },
): Promise<FileOutcome> {
  const deadline = Date.now() + options.timeoutMs;
  while (Date.now() < deadline) {
    const receipt = await readReceipt(options.s3, options.bucket, receiptKeyFor(upload.sourceKey));
    if (receipt?.status === 'feed') {
      const items = receipt.items.map((item) => ({ item: item.item, ...storyOutcome(item) }));
      return { file: upload.file, status: 'feed', format: receipt.format, items };
    }
    if (receipt) return { file: upload.file, ...storyOutcome(receipt) };
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 250));
  }
  return { file: upload.file, status: 'timed-out', sourceKey: upload.sourceKey };
}

async function readReceipt(s3: S3Client, bucket: string, key: string): Promise<IngestReceipt | null> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return JSON.parse(await out.Body!.transformToString()) as IngestReceipt;
  } catch (error) {
    // The S3 emulator serves an object while it is still being written: an incomplete receipt
    // is no receipt yet, and the next poll reads it whole.
    if (error instanceof SyntaxError) return null;
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if ((error as Error).name === 'NoSuchKey' || status === 404) return null;
    throw error;
  }
}

function storyOutcome(result: StoryResult): StoryOutcome {
  return result.status === 'ingested'
    ? { status: 'ingested', articleId: result.articleId, outcome: result.outcome, version: result.version }
    : { status: 'rejected', code: result.reason.code, message: result.reason.message, rejectedKey: result.rejectedKey };
}

/**
 * The lines to print for a file: one for a story (`FILE: <id> (created, version 1)`), one per item
 * for a feed (`FILE item 2: rejected — …`), so every story's id stays the second word of its line.
 */
export function describeOutcome(outcome: FileOutcome): string[] {
  switch (outcome.status) {
    case 'feed':
      return outcome.items.map((item) => describeStory(`${outcome.file} item ${item.item}`, item));
    case 'timed-out':
      return [`${outcome.file}: no outcome yet (uploaded as ${outcome.sourceKey}); is the stack running?`];
    default:
      return [describeStory(outcome.file, outcome)];
  }
}

function describeStory(label: string, outcome: StoryOutcome): string {
  return outcome.status === 'ingested'
    ? `${label}: ${outcome.articleId} (${outcome.outcome}, version ${outcome.version})`
    : `${label}: rejected — ${outcome.code}: ${outcome.message} (kept at ${outcome.rejectedKey})`;
}

/** True when every story became an article: no file, and no item of a feed, was rejected or left without an outcome. */
export function everyStoryIngested(outcomes: readonly FileOutcome[]): boolean {
  return outcomes.every(
    (outcome) =>
      outcome.status === 'ingested' ||
      (outcome.status === 'feed' && outcome.items.every((item) => item.status === 'ingested')),
  );
}
