import { BUCKET_PREFIXES } from '../../shared/store/bucket-layout';
import type { Topology } from './types';

export * from './types';

const { incoming, raw, articles, rejected, receipts } = BUCKET_PREFIXES;

/** What ingest writes, whether the input came from the drop zone or from `POST /articles`. */
const INGEST_OUTPUTS = [
  { prefix: raw, actions: ['write'] },
  { prefix: articles, actions: ['write'] },
  { prefix: rejected, actions: ['write'] },
  { prefix: receipts, actions: ['write'] },
] as const;

/**
 * Every function of the backend, its trigger and what it may touch. This is the only place a
 * function is declared: the CDK stack and the local stack are generated from this list.
 */
export const topology: Topology = {
  functions: [
    {
      name: 'ingest-object',
      description: 'Parses a story dropped under incoming/ into a normalized article, stores and indexes it, or rejects it.',
      trigger: { kind: 's3', prefix: incoming, retryAttempts: 2 },
      needs: {
        table: 'readWrite',
        bucket: [{ prefix: incoming, actions: ['read', 'delete'] }, ...INGEST_OUTPUTS],
        publishEvents: true,
      },
      timeoutSeconds: 30,
      memoryMb: 512,
    },
    {
      name: 'create-article',
      description: 'Editors post a story page or JSON article; it goes through the same pipeline as a dropped file.',
      trigger: { kind: 'http', method: 'POST', path: '/articles', access: 'editor' },
      needs: { table: 'readWrite', bucket: INGEST_OUTPUTS, publishEvents: true },
      timeoutSeconds: 29,
      memoryMb: 512,
    },
    {
      name: 'list-articles',
      description: 'Newest stories first, paged with an opaque cursor.',
      trigger: { kind: 'http', method: 'GET', path: '/articles', access: 'public' },
      needs: { table: 'read' },
    },
    {
      name: 'get-article',
      description: 'One story with its counts.',
      trigger: { kind: 'http', method: 'GET', path: '/articles/{articleId}', access: 'public' },
      needs: { table: 'read' },
    },
    {
      name: 'publish-article-changes',
      description: 'Emits ArticleIngested for every article created or changed, read from the table stream so no committed change is missed.',
      trigger: {
        kind: 'stream',
        batchSize: 25,
        maxBatchingWindowSeconds: 1,
        filters: [{ eventName: ['INSERT', 'MODIFY'], dynamodb: { NewImage: { sk: { S: ['META'] } } } }],
        retryAttempts: 5,
        bisectBatchOnError: true,
        startingPosition: 'TRIM_HORIZON',
      },
      needs: { publishEvents: true },
    },
  ],
};
