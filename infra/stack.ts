import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
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
import type { Construct } from 'constructs';
import { BUCKET_PREFIXES } from '../shared/store/bucket-layout';
import { GLOBAL_INDEXES, TABLE_KEYS } from '../shared/store/table-design';
import { NewsFunction } from './constructs/news-function';
import { EditorAlerts } from './editor-alerts';
import { environmentFor, grantNeeds, type NeededResources } from './grants';
import { settingsFromContext } from './settings';
import { topology as declaredTopology, type Topology } from './topology';
import { pascalCase, wireTrigger } from './triggers';

/** Stage-wide limits: well above editor and reader traffic, low enough to cap a runaway client's bill. */
export const API_THROTTLE = { burstLimit: 200, rateLimit: 100 } as const;

export const RECEIPT_LIFETIME = Duration.days(7);
export const NONCURRENT_VERSION_LIFETIME = Duration.days(90);
export const EVENT_ARCHIVE_RETENTION = Duration.days(90);

export interface NewsroomStackProps extends StackProps {
  /** The functions to build; tests pass a small one. */
  topology?: Topology;
  /** Browser origins allowed to call the API; none means no CORS configuration at all. */
  allowedOrigins?: readonly string[];
  /** Subscribed by e-mail to the editors' alert topic (CDK context `editorAlertEmail`). */
  editorAlertEmail?: string;
}

/**
 * The whole backend: one bucket, one table, one event bus, an HTTP API guarded for editors by
 * Cognito, and one function per topology entry with its trigger and the grants its needs imply.
 * Nothing here names a function: every function comes from the topology.
 */
export class NewsroomStack extends Stack {
  readonly bucket: s3.Bucket;
  readonly table: dynamodb.TableV2;
  readonly bus: events.EventBus;
  /** The key that hashes reader secrets; rotate it as the README's operations section says. */
  readonly readerHashKey: secretsmanager.Secret;
  readonly api: apigw.HttpApi;
  readonly userPool: cognito.UserPool;
  readonly userPoolClient: cognito.UserPoolClient;
  /** Each topology entry's function, by name. */
  readonly functions: ReadonlyMap<string, NewsFunction>;
  /** The topic, inbox queue and rules of the topology's `editorAlerts`; absent when it declares none. */
  readonly editorAlerts?: EditorAlerts;

  constructor(scope: Construct, id: string, props: NewsroomStackProps = {}) {
    super(scope, id, props);
    const topology = props.topology ?? declaredTopology;

    this.bucket = this.createBucket();
    this.table = this.createTable();
    this.bus = this.createBus();
    this.readerHashKey = new secretsmanager.Secret(this, 'ReaderHashKey', {
      description: 'Key for the keyed hashes of reader secrets (voter tokens, source addresses, contacts)',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
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
    const { api, stage } = this.createApi(topology, props.allowedOrigins ?? []);
    this.api = api;

    const editorAuthorizer = new HttpJwtAuthorizer(
      'EditorAuthorizer',
      `https://cognito-idp.${this.region}.${this.urlSuffix}/${this.userPool.userPoolId}`,
      { jwtAudience: [this.userPoolClient.userPoolClientId] },
    );

    const resources: NeededResources = {
      table: this.table,
      bucket: this.bucket,
      bus: this.bus,
      readerHashKey: this.readerHashKey,
    };
    const settings = settingsFromContext(this.node.tryGetContext('settings'));
    const functions = new Map<string, NewsFunction>();
    for (const declaration of topology.functions) {
      const fn = new NewsFunction(this, pascalCase(declaration.name), {
        declaration,
        environment: { ...settings, ...environmentFor(declaration.needs, resources) },
      });
      grantNeeds(fn, declaration.needs, resources);
      wireTrigger(fn, declaration, { scope: this, api, editorAuthorizer, ...resources });
      functions.set(declaration.name, fn);
    }
    this.functions = functions;
    if (topology.editorAlerts?.length) {
      this.editorAlerts = new EditorAlerts(this, 'EditorAlerts', {
        bus: this.bus,
        rules: topology.editorAlerts,
        ...(props.editorAlertEmail ? { email: props.editorAlertEmail } : {}),
      });
    }

    new CfnOutput(this, 'ApiUrl', { value: stage.url });
    new CfnOutput(this, 'BucketName', { value: this.bucket.bucketName });
    new CfnOutput(this, 'TableName', { value: this.table.tableName });
    new CfnOutput(this, 'EventBusName', { value: this.bus.eventBusName });
    new CfnOutput(this, 'UserPoolId', { value: this.userPool.userPoolId });
    new CfnOutput(this, 'UserPoolClientId', { value: this.userPoolClient.userPoolClientId });
  }

  private createBucket(): s3.Bucket {
    return new s3.Bucket(this, 'Bucket', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      encryption: s3.BucketEncryption.S3_MANAGED,
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
      removalPolicy: RemovalPolicy.RETAIN,
    });
    userPool.addGroup('EditorsGroup', {
      groupName: EDITOR_GROUP,
      description: 'May create and change articles through the editor routes',
    });
    return userPool;
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
              allowHeaders: ['authorization', 'content-type'],
              maxAge: Duration.hours(1),
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
}
