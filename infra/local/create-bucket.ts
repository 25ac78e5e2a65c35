import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';

/** Creates `bucket` if it does not exist yet. Idempotent. */
export async function ensureBucket(s3: S3Client, bucket: string): Promise<void> {
  try {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (err) {
    // s3rver answers BucketAlreadyExists for a bucket it already has; S3 says OwnedByYou.
    const name = err instanceof Error ? err.name : undefined;
    if (name !== 'BucketAlreadyOwnedByYou' && name !== 'BucketAlreadyExists') throw err;
  }
}
