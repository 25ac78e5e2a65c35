import { S3Client } from '@aws-sdk/client-s3';
import { ENV, optionalEnv } from '../../config';
import { traced } from '../../observability/tracer';

/**
 * The S3 client for this process. Endpoint and checksum behaviour come from the standard SDK
 * variables (AWS_ENDPOINT_URL_S3, AWS_REQUEST_CHECKSUM_CALCULATION), so the local stack only
 * sets configuration; path-style addressing has no standard variable, hence S3_FORCE_PATH_STYLE.
 * Traced (X-Ray subsegments) when tracing is on.
 */
export function createS3Client(): S3Client {
  return traced(new S3Client({ forcePathStyle: optionalEnv(ENV.s3ForcePathStyle) === 'true' }));
}
