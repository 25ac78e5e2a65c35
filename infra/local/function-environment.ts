/**
 * The one place that says what each local function's `process.env` holds, and why. A sandbox
 * gets this and nothing of the host's environment, so a handler that reads a variable or a
 * resource its declaration does not give it fails here as it would in AWS.
 *
 * Three parts, which `test/e2e/topology-drift.test.ts` holds against the CDK template:
 * - what the template gives the function: the operator settings, the names of the resources its
 *   needs declare (`environmentFor`), the service name, the stream router's routes (to the local
 *   queues) for the router, and the secrets extension's port for the functions that read a secret
 *   (the value is the local imitation's port);
 * - what Lambda's runtime sets in every execution environment: region, the function's own
 *   credentials (here: its local identity's), name, memory, version, init type;
 * - local only: where the engines are (`AWS_ENDPOINT_URL_*`, path-style S3 and its checksums), and
 *   the log and metrics switches that keep the console readable.
 */
import { ENV } from '../../shared/config';
import { LIVE_NAMESPACE } from '../../shared/live/channels';
import { FUNCTION_SIZE_DEFAULTS, SERVICE_NAME } from '../constructs/function-defaults';
import { environmentFor, readsSecrets, type NeededArns } from '../needs';
import { isTunableSetting } from '../settings';
import type { FunctionDeclaration } from '../topology';
import type { StreamRoute } from '../../shared/store/stream-routes';
import type { LocalIdentity } from './access/identities';
import { LOCAL_ACCOUNT, LOCAL_REGION } from './engines/local-clients';

/**
 * The news site the local stack imitates for signed-in readers: its issuer and audience, and a
 * shared secret (HS256) kept in the data folder, with which `npm run token -- --role site-reader`
 * signs, as a site's login would.
 */
export const LOCAL_SITE_SIGN_IN = { issuer: 'urn:newsroom:local-site', audience: 'newsroom-local-site' } as const;

/** The extension's own variable for its port (`shared/adapters/aws/secrets-extension.ts` reads it). */
export const SECRETS_EXTENSION_PORT = 'PARAMETERS_SECRETS_EXTENSION_HTTP_PORT';

/** The shared resources of one local stack, by name. */
export interface LocalResourceNames {
  table: string;
  bucket: string;
  bus: string;
  /** The reader hash key's secret name (its ARN adds a suffix, as Secrets Manager's do). */
  readerHashKey: string;
  /** The reader token keys' secret name. */
  readerTokenKey: string;
  /** The local site's shared secret's name (site sign-in, imitated: `LOCAL_SITE_SIGN_IN`). */
  siteTokenSecret: string;
}

/**
 * Where the functions reach the engines: the access guards, the secrets extension imitation, and
 * the local Event API's HTTP publish (`http://127.0.0.1:<port>/event`), which checks signatures
 * and grants itself.
 */
export interface FunctionEndpoints {
  dynamodb: string;
  s3: string;
  eventBridge: string;
  sqs: string;
  secretsExtensionPort: number;
  liveEvents: string;
}

/** The local Event API's id, in AppSync's form (26 lowercase alphanumerics); only its ARN shows it. */
export const LOCAL_EVENT_API_ID = 'localnewsroomliveevents000';

export interface FunctionEnvironmentInput {
  declaration: FunctionDeclaration;
  names: LocalResourceNames;
  endpoints: FunctionEndpoints;
  identity: LocalIdentity;
  /** Operator settings (`settingsFromEnvironment`), given to every function as a deploy does. */
  settings: Readonly<Record<string, string>>;
  /** The stream router's routes, with the local queues' URLs: the router is told them (`STREAM_ROUTES`). */
  streamRoutes: readonly StreamRoute[];
  /** The handlers' Powertools log level. */
  logLevel: string;
  /** EMF metric lines are off unless the host's POWERTOOLS_METRICS_DISABLED says `false`. */
  metricsDisabled: string;
}

/** The ARNs the local resources claim, for the grants and the secret. */
export function localArns(names: LocalResourceNames): NeededArns {
  return {
    table: `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT}:table/${names.table}`,
    bucket: `arn:aws:s3:::${names.bucket}`,
    bus: `arn:aws:events:${LOCAL_REGION}:${LOCAL_ACCOUNT}:event-bus/${names.bus}`,
    readerHashKey: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${names.readerHashKey}-000000`,
    readerTokenKey: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${names.readerTokenKey}-000000`,
    siteTokenSecret: `arn:aws:secretsmanager:${LOCAL_REGION}:${LOCAL_ACCOUNT}:secret:${names.siteTokenSecret}-000000`,
    liveUpdatesNamespace: `arn:aws:appsync:${LOCAL_REGION}:${LOCAL_ACCOUNT}:apis/${LOCAL_EVENT_API_ID}/channelNamespace/${LIVE_NAMESPACE}`,
  };
}

/** The operator settings in the host's environment: the same names a deploy accepts (`isTunableSetting`). */
export function settingsFromEnvironment(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter(
      (entry): entry is [string, string] => isTunableSetting(entry[0]) && entry[1] !== undefined,
    ),
  );
}

/** Everything the function's sandbox gets as `process.env`; see the file comment for the parts. */
export function functionEnvironment(input: FunctionEnvironmentInput): Record<string, string> {
  const { declaration, names, endpoints, identity } = input;
  const functionName = `local-${declaration.name}`;
  return {
    // What the template gives it, in the construct's order (settings first, needs over them).
    POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
    ...input.settings,
    ...environmentFor(declaration.needs, {
      table: { tableName: names.table },
      bucket: { bucketName: names.bucket },
      bus: { eventBusName: names.bus },
      readerHashKey: { secretArn: localArns(names).readerHashKey },
      readerTokenKey: { secretArn: localArns(names).readerTokenKey },
      siteSignIn: { ...LOCAL_SITE_SIGN_IN, secretArn: localArns(names).siteTokenSecret },
      liveUpdates: { httpUrl: endpoints.liveEvents },
    }),
    ...(declaration.needs.routeStreamRecords ? { [ENV.streamRoutes]: JSON.stringify(input.streamRoutes) } : {}),
    ...(readsSecrets(declaration.needs) ? { [SECRETS_EXTENSION_PORT]: String(endpoints.secretsExtensionPort) } : {}),
    // What Lambda's runtime sets.
    AWS_REGION: LOCAL_REGION,
    AWS_DEFAULT_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: identity.accessKeyId,
    AWS_SECRET_ACCESS_KEY: identity.secretAccessKey,
    AWS_SESSION_TOKEN: identity.sessionToken,
    AWS_LAMBDA_FUNCTION_NAME: functionName,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(declaration.memoryMb ?? FUNCTION_SIZE_DEFAULTS.memoryMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    // Local only.
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    AWS_ENDPOINT_URL_SQS: endpoints.sqs,
    // s3rver stores streamed uploads with their chunk framing unless checksums are off.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    [ENV.s3ForcePathStyle]: 'true',
    POWERTOOLS_LOG_LEVEL: input.logLevel,
    POWERTOOLS_METRICS_DISABLED: input.metricsDisabled,
    // Lambda's Node.js 22 never shows the SDK's warning about Node.js 20, which this host may run.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** The variables above that Lambda's runtime sets, not the template. */
export const RUNTIME_VARIABLES: readonly string[] = [
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
];

/** The variables above that exist only locally. */
export const LOCAL_ONLY_VARIABLES: readonly string[] = [
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_S3',
  'AWS_ENDPOINT_URL_EVENTBRIDGE',
  'AWS_ENDPOINT_URL_SQS',
  'AWS_REQUEST_CHECKSUM_CALCULATION',
  'AWS_RESPONSE_CHECKSUM_VALIDATION',
  ENV.s3ForcePathStyle,
  'POWERTOOLS_LOG_LEVEL',
  'POWERTOOLS_METRICS_DISABLED',
  'AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED',
];
