import {
  HeadObjectCommand,
  PutObjectCommand,
  type S3ClientResolvedConfig,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import type { AwsStub } from 'aws-sdk-client-mock';

/**
 * Makes a mocked S3 client remember the metadata of what was put, so HEAD sees earlier writes:
 * ingest renders `articles/<id>.json` and then checks the object it wrote, and a mock that never
 * saw the write would make it retry until it gives up.
 */
export function rememberPuts(s3: AwsStub<ServiceInputTypes, ServiceOutputTypes, S3ClientResolvedConfig>): void {
  const written = new Map<string, Record<string, string>>();
  s3.on(PutObjectCommand).callsFake((input: { Key: string; Metadata?: Record<string, string> }) => {
    written.set(input.Key, input.Metadata ?? {});
    return {};
  });
  s3.on(HeadObjectCommand).callsFake((input: { Key: string }) => {
    const metadata = written.get(input.Key);
    if (metadata) return { Metadata: metadata, ContentLength: 1 };
    throw Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } });
  });
}
