/**
 * SDK v3 client settings for the embedded engines. Both engines accept any credentials, but
 * the SDK refuses to sign without some, and must never pick up real ones from the machine:
 * static dummy credentials keep every local request local and every test hermetic.
 */

/** The part of an SDK v3 client configuration shared by every local engine. */
export interface LocalClientConfig {
  region: string;
  endpoint: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** The S3 client configuration for the local S3 emulator. */
export interface LocalS3ClientConfig extends LocalClientConfig {
  forcePathStyle: true;
  requestChecksumCalculation: 'WHEN_REQUIRED';
  responseChecksumValidation: 'WHEN_REQUIRED';
}

/**
 * The host's own credentials (tests, the CLIs, the stream poller): dummy, and unrestricted. The
 * engines accept any key; the access guards in front of them (`infra/local/access`) let this one
 * through untouched and hold every function's own key to that function's declared grants.
 */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' } as const;

/** The region the engines pretend to be in (s3rver hardcodes us-east-1 in its events). */
export const LOCAL_REGION = 'us-east-1';

/** Client configuration for any SDK v3 client talking to a local engine at `endpoint`. */
export function localClientConfig(endpoint: string): LocalClientConfig {
  return { region: LOCAL_REGION, endpoint, credentials: { ...LOCAL_CREDENTIALS } };
}

/**
 * Client configuration for an S3 client talking to the local S3 emulator (s3rver).
 * - `forcePathStyle`: the emulator serves `http://host:port/<bucket>/<key>`; virtual-host style
 *   would put the bucket in a hostname that does not resolve.
 * - `requestChecksumCalculation: 'WHEN_REQUIRED'`: since SDK 3.729 the client by default sends
 *   streamed bodies as `aws-chunked` with a trailing CRC32; s3rver does not decode that
 *   encoding and would store the chunk framing as part of the object.
 * - `responseChecksumValidation: 'WHEN_REQUIRED'`: s3rver returns no checksum headers, so
 *   there is nothing to validate; this also keeps the SDK from asking for checksum mode.
 */
export function localS3ClientConfig(endpoint: string): LocalS3ClientConfig {
  return {
    ...localClientConfig(endpoint),
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

/** The account the local resources pretend to belong to, in their ARNs. */
export const LOCAL_ACCOUNT = '000000000000';
