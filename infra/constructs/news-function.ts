import * as path from 'node:path';
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { readsSecrets } from '../needs';
import { handlerEntry, type FunctionDeclaration } from '../topology';
import { FUNCTION_BUNDLE, FUNCTION_SIZE_DEFAULTS, REPO_ROOT, SERVICE_NAME } from './function-defaults';

export { REPO_ROOT, SERVICE_NAME };

/** What every function gets unless its declaration says otherwise. */
export const NEWS_FUNCTION_DEFAULTS = {
  runtime: lambda.Runtime.NODEJS_22_X,
  architecture: lambda.Architecture.ARM_64,
  ...FUNCTION_SIZE_DEFAULTS,
  logRetention: logs.RetentionDays.ONE_MONTH,
  /** Logs are diagnostics, not data: they go with the stack (the data lives in the table and bucket). */
  logRemovalPolicy: RemovalPolicy.DESTROY,
} as const;

/** How every handler is bundled (`function-defaults.ts`); `bench/` builds with the same options to measure what ships. */
export const NEWS_FUNCTION_BUNDLING = {
  ...FUNCTION_BUNDLE,
  mainFields: [...FUNCTION_BUNDLE.mainFields],
  format: OutputFormat.ESM,
  // The SDK clients are bundled rather than taken from the runtime: their versions are then
  // the ones our lock file pins and our tests ran against, and each bundle holds only the
  // minified code its handler reaches, which loads faster than the runtime's SDK read file by file.
  bundleAwsSDK: true,
  // Bundle with the local esbuild; there is no Docker here and none is needed.
  forceDockerBundling: false,
} satisfies BundlingOptions;

/**
 * The AWS Parameters and Secrets Lambda Extension, for functions that read a secret: it caches
 * each secret for five minutes, so a changed secret reaches every warm instance within that
 * time without a deploy, and a warm instance does not call Secrets Manager per request.
 */
const SECRETS_EXTENSION = lambda.ParamsAndSecretsLayerVersion.fromVersion(lambda.ParamsAndSecretsVersions.V1_0_103, {
  secretsManagerTtl: Duration.minutes(5),
  logLevel: lambda.ParamsAndSecretsLogLevel.WARN,
});

export interface NewsFunctionProps {
  /** The topology entry: name (entry folder), description and optional timeout and memory. */
  declaration: FunctionDeclaration;
  /** Resource names the handler reads through `shared/config`; see `infra/grants`. */
  environment?: Record<string, string>;
}

/**
 * A Lambda function of this backend, bundled from `functions/<name>/handler.ts`. The defaults
 * (runtime, architecture, logging, tracing, bundling) live here and nowhere else, so the stack
 * only says what differs per function.
 */
export class NewsFunction extends NodejsFunction {
  /** The topology entry this function was built from. */
  readonly declaration: FunctionDeclaration;

  constructor(scope: Construct, id: string, props: NewsFunctionProps) {
    const { declaration } = props;
    // An explicit log group (rather than the one Lambda creates on first write) gets a
    // retention and is deleted with the stack instead of lingering forever.
    const logGroup = new logs.LogGroup(scope, `${id}LogGroup`, {
      retention: NEWS_FUNCTION_DEFAULTS.logRetention,
      removalPolicy: NEWS_FUNCTION_DEFAULTS.logRemovalPolicy,
    });

    super(scope, id, {
      description: declaration.description,
      entry: path.join(REPO_ROOT, handlerEntry(declaration)),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: NEWS_FUNCTION_DEFAULTS.runtime,
      architecture: NEWS_FUNCTION_DEFAULTS.architecture,
      timeout: Duration.seconds(declaration.timeoutSeconds ?? NEWS_FUNCTION_DEFAULTS.timeoutSeconds),
      memorySize: declaration.memoryMb ?? NEWS_FUNCTION_DEFAULTS.memoryMb,
      logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        // Stack traces point at the TypeScript sources instead of the minified bundle.
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        ...props.environment,
      },
      bundling: NEWS_FUNCTION_BUNDLING,
      // Secrets are read through the extension's local endpoint (shared/adapters/aws/secrets-extension).
      ...(readsSecrets(declaration.needs) ? { paramsAndSecrets: SECRETS_EXTENSION } : {}),
    });
    this.declaration = declaration;
  }
}
