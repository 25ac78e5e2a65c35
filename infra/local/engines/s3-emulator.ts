import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { resolve as resolvePath } from 'node:path';

/** Options for {@link startS3Emulator}. */
export interface S3EmulatorOptions {
  /** TCP port; the kernel picks a free one when omitted. */
  port?: number;
  /** Where objects are stored (kept after stop, so a restart sees them). */
  dataDir: string;
  /** Buckets to create before serving (existing ones are kept). */
  buckets: string[];
}

/**
 * An object-created notification. Unlike a real S3 event record, `key` is the plain key, not
 * URL-encoded: whoever builds a Lambda S3 event from it must encode it as S3 does.
 */
export interface ObjectCreatedEvent {
  bucket: string;
  key: string;
  size: number;
  /** The MD5 hex digest without quotes; s3rver leaves it out of copy events. */
  eTag?: string;
}

/** A running S3 emulator. */
export interface S3Emulator {
  /** `http://127.0.0.1:<port>`, for `localS3ClientConfig`. */
  endpoint: string;
  /** Closes the HTTP server. Stored objects stay in `dataDir`. */
  stop(): Promise<void>;
  /**
   * Calls `listener` after every object creation (PutObject, POST form upload, CopyObject,
   * CompleteMultipartUpload), after the response has gone out, as S3 notifications are
   * asynchronous. Deletions are not delivered. A throwing listener is logged, not rethrown.
   */
  onObjectCreated(listener: (e: ObjectCreatedEvent) => void): void;
}

/** The parts of s3rver 3.7 used here (it ships no types). */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  on(event: 'event', listener: (event: S3rverEvent) => void): void;
}
type S3rverConstructor = new (options: Record<string, unknown>) => S3rverInstance;
/** s3rver's event, shaped like an S3 notification (lib/models/event.js). */
interface S3rverEvent {
  Records: Array<{
    /** 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectRemoved:Delete' */
    eventName: string;
    s3: { bucket: { name: string }; object: { key: string; size?: number; eTag?: string } };
  }>;
}

/**
 * Starts s3rver on 127.0.0.1 with `buckets` created, and resolves once it listens. s3rver
 * runs in this process, which is what lets it report object creations without polling.
 */
export async function startS3Emulator(opts: S3EmulatorOptions): Promise<S3Emulator> {
  patchS3rver();
  // s3rver has no type declarations; require keeps the untyped import in one place.
  const S3rver = require('s3rver') as S3rverConstructor;
  const directory = resolvePath(opts.dataDir);
  mkdirSync(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: opts.port ?? 0,
    directory,
    silent: true,
    configureBuckets: opts.buckets.map((name) => ({ name })),
    // Host-style bucket addressing off: every client here uses path style.
    vhostBuckets: false,
  });

  const listeners: Array<(e: ObjectCreatedEvent) => void> = [];
  server.on('event', (event) => {
    for (const record of event.Records) {
      if (!record.eventName.startsWith('ObjectCreated:')) continue;
      const created: ObjectCreatedEvent = {
        bucket: record.s3.bucket.name,
        key: record.s3.object.key,
        size: record.s3.object.size ?? 0,
        ...(record.s3.object.eTag === undefined ? {} : { eTag: record.s3.object.eTag }),
      };
      // s3rver emits before it answers the request; deliver afterwards, like S3 does.
      setImmediate(() => {
        for (const listener of listeners) {
          try {
            listener(created);
          } catch (err) {
            console.error('S3 emulator: object-created listener failed', err);
          }
        }
      });
    }
  });

  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: () => server.close(),
    onObjectCreated: (listener) => {
      listeners.push(listener);
    },
  };
}

/** The s3rver modules patched below; resolved per module registry (jest has one per file). */
interface S3rverInternals {
  bucketController: { getBucket(ctx: KoaContext): Promise<void>; [patched]?: true };
  accountRegistry: Map<string, unknown> & { [patched]?: true };
  dummyAccount: unknown;
  S3Error: new (code: string, message: string, detail?: Record<string, unknown>) => Error;
}

const patched = Symbol.for('newsroom.s3rverPatched');

/** The slice of Koa's context the listing patch touches. */
interface KoaContext {
  params: { bucket: string };
  query: Record<string, string | string[] | undefined>;
  store: { listObjects(bucket: string, options: unknown): Promise<{ isTruncated: boolean }> };
  body: unknown;
}

interface ListBucketResultBody {
  ListBucketResult?: {
    IsTruncated?: boolean;
    StartAfter?: string;
    ContinuationToken?: string;
    NextContinuationToken?: string;
    Contents?: Array<{ Key: string }>;
  };
}

/**
 * Two fixes to s3rver 3.7.1, applied to its modules (not to Node's), idempotently:
 *
 * 1. Paged ListObjectsV2. s3rver encrypts continuation tokens with single DES
 *    (`crypto.createCipheriv('des', …)` in lib/controllers/bucket.js). OpenSSL 3 (Node 17+)
 *    moved DES to its legacy provider, so without `--openssl-legacy-provider` every truncated
 *    listing throws ERR_OSSL_EVP_UNSUPPORTED and answers 500. The cipher functions are private
 *    to that module, but the router calls `bucketCtrl.getBucket(ctx)` through the exports
 *    object at request time, so we wrap that export: a v2 listing is run with a store that
 *    reports "not truncated" (so s3rver never builds a token), then we restore `IsTruncated`
 *    and add our own opaque token (base64 of JSON bucket+key); an incoming token is decoded by
 *    us and handed to s3rver as `start-after`, which is what its own token carried.
 * 2. Any access key. s3rver only knows the key pair `S3RVER`/`S3RVER` and answers
 *    InvalidAccessKeyId to others; it does not verify SigV4 signatures anyway. Every local
 *    client uses dummy credentials (and handlers may get others from their environment), so
 *    unknown keys map to s3rver's dummy account.
 */
function patchS3rver(): void {
  const s3rver = loadInternals();
  if (!s3rver.accountRegistry[patched]) {
    const registry = s3rver.accountRegistry;
    const get = registry.get.bind(registry);
    registry.get = (accessKeyId: string) => get(accessKeyId) ?? s3rver.dummyAccount;
    registry[patched] = true;
  }
  const controller = s3rver.bucketController;
  if (controller[patched]) return;
  const getBucket = controller.getBucket.bind(controller);
  controller.getBucket = async (ctx: KoaContext): Promise<void> => {
    if (ctx.query['list-type'] !== '2') return getBucket(ctx);
    const bucket = ctx.params.bucket;
    const token = ctx.query['continuation-token'];
    if (typeof token === 'string' && token !== '') {
      const startAfter = decodeToken(token, bucket);
      if (startAfter === undefined) {
        throw new s3rver.S3Error('InvalidArgument', 'The continuation token provided is incorrect', {
          ArgumentName: 'continuation-token',
        });
      }
      const { 'continuation-token': _dropped, ...rest } = ctx.query;
      ctx.query = { ...rest, 'start-after': startAfter };
    }
    const store = ctx.store;
    let truncated = false;
    ctx.store = Object.create(store, {
      listObjects: {
        value: async (name: string, options: unknown) => {
          const result = await store.listObjects(name, options);
          truncated = result.isTruncated;
          return { ...result, isTruncated: false };
        },
      },
    }) as KoaContext['store'];
    try {
      await getBucket(ctx);
    } finally {
      ctx.store = store;
    }
    const result = (ctx.body as ListBucketResultBody | undefined)?.ListBucketResult;
    if (!result) return;
    const lastKey = result.Contents?.at(-1)?.Key;
    // Truncation happens only once a page is full of keys, so there is always a last key.
    result.IsTruncated = truncated && lastKey !== undefined;
    if (result.IsTruncated && lastKey !== undefined) result.NextContinuationToken = encodeToken(bucket, lastKey);
    if (typeof token === 'string' && token !== '') {
      result.ContinuationToken = token;
      result.StartAfter = undefined;
    }
  };
  controller[patched] = true;
}

function encodeToken(bucket: string, startAfter: string): string {
  return Buffer.from(JSON.stringify({ b: bucket, k: startAfter }), 'utf8').toString('base64');
}

/** The key to start after, or undefined when the token is not ours or for another bucket. */
function decodeToken(token: string, bucket: string): string | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { b, k } = parsed as { b?: unknown; k?: unknown };
    return b === bucket && typeof k === 'string' ? k : undefined;
  } catch {
    return undefined;
  }
}

function loadInternals(): S3rverInternals {
  const account = require('s3rver/lib/models/account') as {
    registry: S3rverInternals['accountRegistry'];
    DUMMY_ACCOUNT: unknown;
  };
  return {
    bucketController: require('s3rver/lib/controllers/bucket') as S3rverInternals['bucketController'],
    accountRegistry: account.registry,
    dummyAccount: account.DUMMY_ACCOUNT,
    S3Error: require('s3rver/lib/models/error') as S3rverInternals['S3Error'],
  };
}
