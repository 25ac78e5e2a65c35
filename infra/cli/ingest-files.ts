import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { IngestReceipt } from '../../shared/articles/ingest';
import { BUCKET_PREFIXES, receiptKeyFor } from '../../shared/store/bucket-layout';
import { contentTypeFor } from '../local/content-types';

export type FileOutcome =
  | { file: string; status: 'ingested'; articleId: string; outcome: string; version: number }
  | { file: string; status: 'rejected'; code: string; message: string; rejectedKey: string }
  | { file: string; status: 'timed-out'; sourceKey: string };

/**
 * Drops each file under `incoming/` — the same path any producer uses — and waits for the
 * pipeline's receipt, so the caller learns the article id or why the file was rejected.
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
    if (receipt?.status === 'ingested') {
      return {
        file: upload.file,
        status: 'ingested',
        articleId: receipt.articleId,
        outcome: receipt.outcome,
        version: receipt.version,
      };
    }
    if (receipt?.status === 'rejected') {
      return {
        file: upload.file,
        status: 'rejected',
        code: receipt.reason.code,
        message: receipt.reason.message,
        rejectedKey: receipt.rejectedKey,
      };
    }
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

export function describeOutcome(outcome: FileOutcome): string {
  switch (outcome.status) {
    case 'ingested':
      return `${outcome.file}: ${outcome.articleId} (${outcome.outcome}, version ${outcome.version})`;
    case 'rejected':
      return `${outcome.file}: rejected — ${outcome.code}: ${outcome.message} (kept at ${outcome.rejectedKey})`;
    case 'timed-out':
      return `${outcome.file}: no outcome yet (uploaded as ${outcome.sourceKey}); is the stack running?`;
  }
}
