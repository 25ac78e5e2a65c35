/**
 * The one place handlers and adapters read their configuration. A missing variable fails at
 * cold start with its name, instead of surfacing later as `undefined` in an AWS call.
 */
export class MissingConfigurationError extends Error {
  constructor(name: string) {
    super(`Environment variable ${name} is required but not set`);
    this.name = 'MissingConfigurationError';
  }
}

export function requireEnv(name: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  if (value === undefined || value === '') throw new MissingConfigurationError(name);
  return value;
}

export function optionalEnv(name: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * A setting an operator may tune (shared/tunable-settings): its variable, and the default written
 * as the variable would be, so it goes through the same parsing as a value set by hand.
 */
export interface TunableSetting {
  readonly name: string;
  readonly default: string;
}

/** The value of a setting in `env`, or its default when unset or empty. */
export function settingValue(setting: TunableSetting, env: NodeJS.ProcessEnv = process.env): string {
  return optionalEnv(setting.name, env) ?? setting.default;
}

/** Names of the variables that tell a handler where its resources are, in both hosts. */
export const ENV = {
  tableName: 'TABLE_NAME',
  bucketName: 'BUCKET_NAME',
  eventBusName: 'EVENT_BUS_NAME',
  eventSource: 'EVENT_SOURCE',
  /** AWS: the Secrets Manager secret holding the key for hashing reader secrets. */
  readerHashKeySecretArn: 'READER_HASH_KEY_SECRET_ARN',
  /**
   * Handler unit tests only: the hashing key itself (at least 32 characters). Both hosts give
   * functions the secret's ARN and read it through the secrets extension (its imitation locally).
   */
  readerHashKey: 'READER_HASH_KEY',
  /** The Secrets Manager secret holding the reader token keys (see shared/identity/reader-token). */
  readerTokenKeySecretArn: 'READER_TOKEN_KEY_SECRET_ARN',
  /** Handler unit tests only: the reader token key itself, as READER_HASH_KEY is the hashing key. */
  readerTokenKey: 'READER_TOKEN_KEY',
  /**
   * Sign-in through the news site (signed-in readers): the issuer and audience its reader JWTs
   * carry, and where their key is: a JWKS URL (RS256/ES256), or a shared secret (HS256) in the
   * secret SITE_TOKEN_SECRET_ARN names (SITE_TOKEN_SECRET itself in handler unit tests). Unset
   * issuer: no site sign-in, anonymous reader tokens only.
   */
  siteTokenIssuer: 'SITE_TOKEN_ISSUER',
  siteTokenAudience: 'SITE_TOKEN_AUDIENCE',
  siteTokenJwksUrl: 'SITE_TOKEN_JWKS_URL',
  siteTokenSecretArn: 'SITE_TOKEN_SECRET_ARN',
  siteTokenSecret: 'SITE_TOKEN_SECRET',
  /**
   * The stream router's routes: a JSON array of `{ feature, queueUrl, filters }`, one per feature
   * fed from the table stream through its own queue (see shared/adapters/aws/stream-router).
   */
  streamRoutes: 'STREAM_ROUTES',
  /**
   * The AppSync Event API's HTTP endpoint that takes publishes (`https://<http domain>/event`; the
   * local stack's imitation locally), for the live-update publisher.
   */
  liveEventsHttpUrl: 'LIVE_EVENTS_HTTP_URL',
  /** The function's region: set by Lambda, and by the local stack for its sandboxes. */
  region: 'AWS_REGION',
  /** Local stack only: the S3 emulator wants path-style addressing. */
  s3ForcePathStyle: 'S3_FORCE_PATH_STYLE',
  /**
   * Local stack and tests only: faults to inject, comma-separated `<name>[:<times>]`, e.g.
   * `poll-tally-after-apply:2`; see shared/faults. Deliberately not a tunable setting
   * (shared/tunable-settings): a deploy refuses it, so it never reaches a deployed function.
   */
  faultInjection: 'FAULT_INJECTION',
} as const;
