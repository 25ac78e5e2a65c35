import { Annotations, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { EDITOR_GROUP } from '../shared/http/caller';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '../shared/store/bucket-layout';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../shared/store/table-design';
import { NewsFunction } from './constructs/news-function';
import { ApiReference } from './constructs/api-reference';
import { deskUrlFromContext, domainPrefixFromContext, EditorDesk } from './constructs/editor-desk';
import { LiveUpdates } from './constructs/live-updates';
import { OperationalAlarms } from './constructs/operational-alarms';
import { EditorAlerts } from './editor-alerts';
import {
  environmentFor,
  grantNeeds,
  grantStreamRouting,
  streamRoutingEnvironment,
  type NeededResources,
} from './grants';
import { CORS_POLICY } from './cors';
import { ReaderCdn } from './constructs/reader-cdn';
import { settingsFromContext } from './settings';
import type { SiteSignIn } from './site-sign-in';
import {
  topology as declaredTopology,
  STAGE_THROTTLE,
  streamRoutingOf,
  type RouteThrottle,
  type Topology,
} from './topology';
import { pascalCase, wireTrigger } from './triggers';

/** Stage-wide limits (declared with the route limits in `infra/topology/throttles`). */
export const API_THROTTLE = STAGE_THROTTLE;

export const RECEIPT_LIFETIME = Duration.days(7);
export const NONCURRENT_VERSION_LIFETIME = Duration.days(90);
export const EVENT_ARCHIVE_RETENTION = Duration.days(90);
/** Who read or wrote which object, kept as long as the versions and events it helps explain. */
export const ACCESS_LOG_LIFETIME = Duration.days(90);
/** Editors can publish to the site: their passwords follow AWS's strong-password guidance. */
export const EDITOR_PASSWORD_POLICY = {
  minLength: 12,
  requireLowercase: true,
  requireUppercase: true,
  requireDigits: true,
  requireSymbols: true,
  tempPasswordValidity: Duration.days(3),
} as const satisfies cognito.PasswordPolicy;

export interface NewsroomStackProps extends StackProps {
  /** The functions to build; tests pass a small one. */
  topology?: Topology;
  /** Browser origins allowed to call the API; none means no CORS configuration at all. */
  allowedOrigins?: readonly string[];
  /** Subscribed by e-mail to the editors' alert topic (CDK context `editorAlertEmail`). */
  editorAlertEmail?: string;
  /** Subscribed by e-mail to the operational alarm topic (CDK context `alarmEmail`). */
  alarmEmail?: string;
  /** Readers signed in on the news site (CDK context `siteSignIn`); anonymous reader tokens only when absent. */
  siteSignIn?: SiteSignIn;
  /** When this deploy happens: the live readers' key's expiry follows from it (tests fix it). Now by default. */
  deployTime?: Date;
}

/**
 * The whole backend: one bucket, one table, one event bus, an HTTP API guarded for editors by
 * Cognito, and one function per topology entry with its trigger and the grants its needs imply.
 * Nothing here names a function: every function comes from the topology.
 */
export class NewsroomStack extends Stack {
  readonly bucket: s3.Bucket;
  /** Receives the bucket's server access logs. */
  readonly accessLogsBucket: s3.Bucket;
  readonly table: dynamodb.TableV2;
  readonly bus: events.EventBus;
  /** The key that hashes reader secrets; rotate it as docs/operations.md says. */
  readonly readerHashKey: secretsmanager.Secret;
  readonly readerTokenKey: secretsmanager.Secret;
  /** The secret the site signs its reader tokens with, when site sign-in is configured without a key set. */
  siteTokenSecret?: secretsmanager.Secret;
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  /** The readers' CDN: the widget and the API's public reads (and the editor desk, at `/desk/`). */
  readonly cdn: ReaderCdn;
  /** The editor desk: its sign-in domain and app client, and where the CDN serves it. */
  readonly desk: EditorDesk;
  /** The API reference page, on the readers' distribution at /docs/api/. */
  readonly apiReference: ApiReference;
  /** The Event API that pushes live updates to the pages readers have open. */
  readonly liveUpdates: LiveUpdates;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** Each topology entry's function, by name. */
  readonly functions: ReadonlyMap<string, NewsFunction>;
  /** The topic, inbox queue and rules of the topology's `editorAlerts`; absent when it declares none. */
  readonly editorAlerts?: EditorAlerts;
  /** Every dead-letter queue, by what feeds it: a function's name, or `editor-alerts`. */
  readonly deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  /** The queue of each queue-triggered function, by its name: what the stream router fills. */
  readonly featureQueues: ReadonlyMap<string, sqs.IQueue>;
  /** Alarms on dead letters, function errors and throttles and API 5xx, and their topic. */
  readonly alarms: OperationalAlarms;

  constructor(scope: Construct, id: string, props: NewsroomStackProps = {}) {
    super(scope, id, props);
    const topology = props.topology ?? declaredTopology;
    const routing = streamRoutingOf(topology);

    this.accessLogsBucket = this.createAccessLogsBucket();
    this.bucket = this.createBucket(this.accessLogsBucket);
    this.table = this.createTable();
    this.bus = this.createBus();
    this.readerHashKey = new secretsmanager.Secret(this, 'ReaderHashKey', {
      description: 'Key for the keyed hashes of reader secrets (voter tokens, source addresses, contacts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.readerTokenKey = new secretsmanager.Secret(this, 'ReaderTokenKey', {
      description:
        'Keys that sign anonymous reader tokens: {"current", "previous"?, "previousUntil"?} (docs/operations.md, rotating)',
      generateSecretString: {
        secretStringTemplate: '{}',
        generateStringKey: 'current',
        passwordLength: 64,
        excludePunctuation: true,
      },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.userPool = this.createUserPool();
    this.userPoolClient = this.userPool.addClient('WebClient', {
      generateSecret: false,
      authFlows: { userPassword: true, userSrp: true },
      // Sign-in goes through the API, not the hosted UI.
      disableOAuth: true,
      preventUserExistenceErrors: true,
    });
    const deskUrl = deskUrlFromContext(this.node.tryGetContext('deskUrl'));
    // The desk calls the API from its own origin with a bearer token, so the API's CORS must name
    // that origin. Only a known deskUrl can be named: the distribution's own domain would make the
    // API depend on the distribution, whose API origin depends on the API (a cycle).
    const apiOrigins = [...(props.allowedOrigins ?? []), ...(deskUrl ? [new URL(deskUrl).origin] : [])];
    if (!deskUrl) {
      Annotations.of(this).addWarningV2(
        'newsroom:deskOriginNotAllowed',
        'The editor desk cannot call the API until its origin is allowed: after the first deploy, deploy again with ' +
          '-c deskUrl=<the DeskUrl output> (docs/desk.md, In AWS).',
      );
    }
    const { api, stage } = this.createApi(topology, [...new Set(apiOrigins)]);
    this.api = api;
    this.stage = stage;

    this.liveUpdates = new LiveUpdates(this, 'LiveUpdates', { deployTime: props.deployTime ?? new Date() });
    this.cdn = new ReaderCdn(this, 'ReaderCdn', {
      api,
      accessLogsBucket: this.accessLogsBucket,
      allowedOrigins: props.allowedOrigins ?? [],
      live: {
        realtimeUrl: this.liveUpdates.realtimeUrl,
        host: this.liveUpdates.api.httpDns,
        apiKey: this.liveUpdates.readerKey.attrApiKey,
      },
    });
    const domainPrefix = domainPrefixFromContext(this.node.tryGetContext('authDomainPrefix'));
    this.desk = new EditorDesk(this, 'EditorDesk', {
      userPool: this.userPool,
      api,
      cdn: this.cdn,
      ...(deskUrl ? { deskUrl } : {}),
      ...(domainPrefix ? { domainPrefix } : {}),
    });
    this.apiReference = new ApiReference(this, 'ApiReference', { api, cdn: this.cdn });

    // API Gateway checks a token's `aud`, or its `client_id` when it has no `aud` (Cognito's access
    // tokens), against these: the web client's and the desk's.
    const editorAuthorizer = new HttpJwtAuthorizer(
      'EditorAuthorizer',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId, this.desk.client.userPoolClientId] },
    );

    const resources: NeededResources = {
      table: this.table,
      bucket: this.bucket,
      bus: this.bus,
      readerHashKey: this.readerHashKey,
      readerTokenKey: this.readerTokenKey,
      ...(props.siteSignIn ? { siteSignIn: { ...props.siteSignIn, ...this.siteSecretOf(props.siteSignIn) } } : {}),
      liveUpdates: { namespaceArn: this.liveUpdates.namespace.channelNamespaceArn, httpUrl: this.liveUpdates.httpUrl },
    };
    const site = resources.siteSignIn;
    const names = {
      ...resources,
      ...(site
        ? {
            siteSignIn: {
              issuer: site.issuer,
              audience: site.audience,
              ...(site.jwksUrl ? { jwksUrl: site.jwksUrl } : {}),
              ...(site.secret ? { secretArn: site.secret.secretArn } : {}),
            },
          }
        : {}),
    };
    const settings = settingsFromContext(this.node.tryGetContext('settings'));
    const functions = new Map<string, NewsFunction>();
    const deadLetterQueues = new Map<string, sqs.IQueue>();
    const featureQueues = new Map<string, sqs.IQueue>();
    const routeThrottles: { route: apigw.HttpRoute; routeKey: string; throttle: RouteThrottle }[] = [];
    for (const declaration of topology.functions) {
      const fn = new NewsFunction(this, pascalCase(declaration.name), {
        declaration,
        environment: { ...settings, ...environmentFor(declaration.needs, names) },
      });
      grantNeeds(fn, declaration.needs, resources);
      const wired = wireTrigger(fn, declaration, { scope: this, api, editorAuthorizer, ...resources });
      functions.set(declaration.name, fn);
      if (wired.deadLetterQueue) deadLetterQueues.set(declaration.name, wired.deadLetterQueue);
      if (wired.queue) featureQueues.set(declaration.name, wired.queue);
      const { trigger } = declaration;
      if (wired.route && trigger.kind === 'http' && trigger.throttle) {
        routeThrottles.push({
          route: wired.route,
          routeKey: `${trigger.method} ${trigger.path}`,
          throttle: trigger.throttle,
        });
      }
    }
    this.functions = functions;
    this.featureQueues = featureQueues;
    if (routing) {
      // The router is told, and may send to, exactly the queues of the features it feeds.
      const router = functions.get(routing.router.name)!;
      const features = routing.features.map((fn) => ({
        feature: fn.name,
        queue: featureQueues.get(fn.name)!,
        filters: fn.trigger.streamFilters,
      }));
      grantStreamRouting(router, features);
      for (const [name, value] of Object.entries(streamRoutingEnvironment(this, features))) {
        router.addEnvironment(name, value);
      }
    }
    this.throttleRoutes(stage, routeThrottles);
    if (topology.editorAlerts?.length) {
      this.editorAlerts = new EditorAlerts(this, 'EditorAlerts', {
        bus: this.bus,
        rules: topology.editorAlerts,
        ...(props.editorAlertEmail ? { email: props.editorAlertEmail } : {}),
      });
      deadLetterQueues.set('editor-alerts', this.editorAlerts.deadLetterQueue);
    }
    this.deadLetterQueues = deadLetterQueues;
    this.alarms = new OperationalAlarms(this, 'OperationalAlarms', {
      functions,
      deadLetterQueues,
      api,
      ...(props.alarmEmail ? { email: props.alarmEmail } : {}),
    });

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }

  private createAccessLogsBucket(): s3.Bucket {
    return new s3.Bucket(this, 'AccessLogsBucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      // The log delivery service writes with S3-managed keys only.
      encryption: s3.BucketEncryption.S3_MANAGED,
      lifecycleRules: [
        {
          id: 'expire-access-logs',
          expiration: ACCESS_LOG_LIFETIME,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      // An audit trail outlives the stack, like the bucket it describes; the lifecycle empties it.
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createBucket(accessLogsBucket: s3.IBucket): s3.Bucket {
    return new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
      // Who dropped, read or deleted which object, separately from CloudTrail's (paid) data events.
      serverAccessLogsBucket: accessLogsBucket,
      serverAccessLogsPrefix: 'bucket/',
      // Articles and raw inputs are the record of what was published: an overwrite or a
      // delete must be recoverable.
      versioned: true,
      lifecycleRules: [
        // A receipt only tells the client that dropped a file what became of it.
        { id: 'expire-receipts', prefix: BUCKET_PREFIXES.receipts, expiration: RECEIPT_LIFETIME },
        {
          id: 'expire-noncurrent-versions',
          noncurrentVersionExpiration: NONCURRENT_VERSION_LIFETIME,
          expiredObjectDeleteMarker: true,
          abortIncompleteMultipartUploadAfter: Duration.days(7),
        },
      ],
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createTable(): dynamodb.TableV2 {
    const stringKey = (name: string): dynamodb.Attribute => ({ name, type: dynamodb.AttributeType.STRING });
    return new dynamodb.TableV2(this, 'Table', {
      partitionKey: stringKey(TABLE_KEYS.partitionKey),
      sortKey: stringKey(TABLE_KEYS.sortKey),
      billing: dynamodb.Billing.onDemand(),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Aggregators and the change publisher compare the old and new item.
      dynamoStream: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
      timeToLiveAttribute: TABLE_KEYS.timeToLive,
      globalSecondaryIndexes: GLOBAL_INDEXES.map((index) => ({
        indexName: index.indexName,
        partitionKey: stringKey(index.partitionKey),
        sortKey: stringKey(index.sortKey),
        ...(index.nonKeyAttributes
          ? { projectionType: dynamodb.ProjectionType.INCLUDE, nonKeyAttributes: [...index.nonKeyAttributes] }
          : { projectionType: dynamodb.ProjectionType.ALL }),
      })),
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }

  private createBus(): events.EventBus {
    // No physical name: two stacks (say, a developer's and production) can share an account.
    const bus = new events.EventBus(this, 'Bus', { description: 'Newsroom domain events' });
    // An archive of everything lets a consumer added later, or one that was broken, replay it.
    bus.archive('Archive', {
      description: 'Every event put on the newsroom bus',
      eventPattern: { account: [this.account] },
      retention: EVENT_ARCHIVE_RETENTION,
    });
    return bus;
  }

  private createUserPool(): cognito.UserPool {
    const userPool = new cognito.UserPool(this, 'UserPool', {
      // Editors are invited, never self-registered.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      passwordPolicy: EDITOR_PASSWORD_POLICY,
      // Editors may add an authenticator app; SMS would need a sending role and costs per message.
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      // Threat protection (Plus plan) blocks sign-ins with leaked passwords and challenges risky
      // ones: editor accounts can publish, and there are few of them, so the per-user price is small.
      featurePlan: cognito.FeaturePlan.PLUS,
      standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    userPool.addGroup('EditorsGroup', {
      groupName: EDITOR_GROUP,
      description: 'May create and change articles through the editor routes',
    });
    return userPool;
  }

  /**
   * Site sign-in with a shared secret (no key set): a generated secret of the stack's, which the
   * site reads to sign its reader tokens (docs/api.md, Readers signed in on the news site). With a key set, nothing to keep.
   */
  private siteSecretOf(site: SiteSignIn): { secret?: secretsmanager.Secret } {
    if (site.jwksUrl) return {};
    const secret = new secretsmanager.Secret(this, 'SiteTokenSecret', {
      description: `The shared secret ${site.issuer} signs its reader tokens with (HS256)`,
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.siteTokenSecret = secret;
    return { secret };
  }

  private createApi(
    topology: Topology,
    allowedOrigins: readonly string[],
  ): { api: apigw.HttpApi; stage: apigw.HttpStage } {
    const methods = [
      ...new Set(topology.functions.flatMap((fn) => (fn.trigger.kind === 'http' ? [fn.trigger.method] : []))),
    ];
    const api = new apigw.HttpApi(this, 'Api', {
      apiName: `${this.stackName}-api`,
      description: 'Newsroom reader and editor API',
      // The default stage is created below, where it can have throttling and access logs.
      createDefaultStage: false,
      corsPreflight:
        allowedOrigins.length === 0
          ? undefined
          : {
              allowOrigins: [...allowedOrigins],
              allowMethods: methods.map((method) => apigw.CorsHttpMethod[method]),
              allowHeaders: [...CORS_POLICY.allowHeaders],
              exposeHeaders: [...CORS_POLICY.exposeHeaders],
              maxAge: Duration.seconds(CORS_POLICY.maxAgeSeconds),
            },
    });
    const accessLogs = new logs.LogGroup(this, 'ApiAccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const stage = api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: API_THROTTLE,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        // HTTP API context variables, one JSON object a request, queryable with Logs Insights.
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    return { api, stage };
  }

  /**
   * Routes whose topology entry names a `throttle` get it as the stage's route settings; the
   * others keep the stage default. A route setting must name a route that already exists.
   */
  private throttleRoutes(
    stage: apigw.HttpStage,
    routes: readonly { route: apigw.HttpRoute; routeKey: string; throttle: RouteThrottle }[],
  ): void {
    if (routes.length === 0) return;
    const cfnStage = stage.node.defaultChild as apigw.CfnStage;
    // A JSON property, rendered as written: CloudFormation's own (Pascal case) names.
    cfnStage.routeSettings = Object.fromEntries(
      routes.map(({ routeKey, throttle }) => [
        routeKey,
        { ThrottlingRateLimit: throttle.rateLimit, ThrottlingBurstLimit: throttle.burstLimit },
      ]),
    );
    for (const { route } of routes) stage.node.addDependency(route);
  }
}
