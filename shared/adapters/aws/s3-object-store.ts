import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  type GetObjectCommandOutput,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { ObjectInfo, ObjectStore, PutObjectOptions, StoredObject } from '../../ports';

/** CopyObject copies at most 5 GiB in one request; larger objects need a multipart copy. */
const MAX_SINGLE_COPY_BYTES = 5 * 1024 ** 3;

/** The bucket as an ObjectStore; a missing key is `null`, never an exception. */
export class S3ObjectStore implements ObjectStore {
  readonly maxCopyBytes = MAX_SINGLE_COPY_BYTES;

  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
  ) {}

  async get(key: string, options: { maxBytes?: number } = {}): Promise<StoredObject | null> {
    const { maxBytes } = options;
    try {
      const out = await this.s3.send(
        new GetObjectCommand({
          Bucket: this.bucket,
          Key: key,
          ...(maxBytes !== undefined ? { Range: `bytes=0-${maxBytes - 1}` } : {}),
        }),
      );
      const bytes = Buffer.from(await out.Body!.transformToByteArray());
      // A server that ignored the range sent it all; keep the promise of at most maxBytes anyway.
      const body = maxBytes !== undefined && bytes.byteLength > maxBytes ? bytes.subarray(0, maxBytes) : bytes;
      return { ...infoOf(out, totalSize(out) ?? bytes.byteLength), body };
    } catch (error) {
      if (isMissing(error)) return null;
      // A range of an empty object cannot be satisfied: the object is empty, or changed meanwhile.
      if (maxBytes !== undefined && isUnsatisfiableRange(error)) return this.emptyObject(key);
      throw error;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: this.bucket, Key: key }));
      return infoOf(out, out.ContentLength ?? 0);
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async put(key: string, body: Buffer | string, options: PutObjectOptions = {}): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: body,
        ContentType: options.contentType,
        Metadata: options.metadata,
      }),
    );
  }

  async copy(fromKey: string, toKey: string): Promise<void> {
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: this.bucket,
        Key: toKey,
        // The source is `<bucket>/<key>`, URL-encoded as S3 expects it.
        CopySource: `${this.bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
      }),
    );
  }

  async delete(key: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  private async emptyObject(key: string): Promise<StoredObject | null> {
    const info = await this.head(key);
    if (!info) return null;
    if (info.size !== 0) throw new Error(`${key} changed while it was read; read it again`);
    return { ...info, body: Buffer.alloc(0) };
  }
}

function infoOf(
  out: Pick<GetObjectCommandOutput, 'ETag' | 'LastModified' | 'ContentType' | 'Metadata'>,
  size: number,
): ObjectInfo {
  return {
    size,
    ...(out.ETag ? { eTag: unquoted(out.ETag) } : {}),
    ...(out.LastModified ? { lastModified: out.LastModified } : {}),
    ...(out.ContentType ? { contentType: out.ContentType } : {}),
    metadata: out.Metadata ?? {},
  };
}

/** The whole object's size from `Content-Range: bytes 0-99/12345` on a ranged read. */
function totalSize(out: GetObjectCommandOutput): number | undefined {
  const total = /\/(\d+)$/.exec(out.ContentRange ?? '')?.[1];
  return total === undefined ? undefined : Number(total);
}

/** S3 quotes ETags in headers (`"9b2c…"`) but not in event notifications. */
export function unquoted(eTag: string): string {
  return eTag.replace(/^"(.*)"$/, '$1');
}

function isMissing(error: unknown): boolean {
  if (error instanceof NoSuchKey || error instanceof NotFound) return true;
  const name = (error as { name?: string } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return name === 'NoSuchKey' || name === 'NotFound' || status === 404;
}

function isUnsatisfiableRange(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  const status = (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return name === 'InvalidRange' || status === 416;
}
