import { Stack, Validations, type CfnResource } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import type { IConstruct } from 'constructs';
import { GLOBAL_INDEXES } from '../shared/store/table-design';
import { readsTableIndexes } from './grants';
import type { NewsroomStack } from './stack';
import type { FunctionDeclaration, ObjectAction } from './topology';

/** One cdk-nag finding accepted on a construct (and everything under it), and why. */
export interface NagAcknowledgement {
  scope: IConstruct;
  /** The rule id as cdk-nag reports it, with the finding in brackets where it has one. */
  id: string;
  reason: string;
}

const BASIC_EXECUTION_ROLE = 'Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

/**
 * The wildcard actions in CDK's object grants (`infra/grants`), per declared action, and why
 * each is needed. They are always on keys under a declared prefix, never the whole bucket.
 */
const OBJECT_ACTION_WILDCARDS: Record<ObjectAction, readonly { action: string; reason: string }[]> = {
  read: [
    {
      action: 's3:GetObject*',
      reason:
        "CDK's read grant: GetObject with its version, tagging and ACL reads, on keys under the declared prefix only.",
    },
    {
      action: 's3:GetBucket*',
      reason:
        "CDK's read grant adds bucket metadata reads (location, versioning, policy status): no object data, no writes.",
    },
    {
      action: 's3:List*',
      reason:
        'Lists key names, not contents: without s3:ListBucket a missing key answers 403 instead of 404 NoSuchKey, which shared/adapters/aws/s3-object-store treats as "already processed" when a retried S3 event finds its input gone.',
    },
  ],
  write: [
    {
      action: 's3:Abort*',
      reason:
        "CDK's put grant: s3:AbortMultipartUpload, so an upload cut short by a timeout can be cleaned up; it cannot read or delete anything.",
    },
  ],
  delete: [
    {
      action: 's3:DeleteObject*',
      reason:
        'Ingest deletes the dropped file from incoming/ once its raw copy is stored (raw/ keeps the record); DeleteObject* covers the versioned bucket, on the declared prefix only.',
    },
  ],
};

/**
 * Every cdk-nag (AwsSolutions) finding this stack accepts, each on the narrowest construct it
 * concerns and with the reason it is accepted rather than fixed. Findings that could be fixed were
 * (access logs, TLS-only queues and topics, the editors' password policy and threat protection,
 * API access logs); a new finding fails `npm test` and `cdk synth` until it is fixed or given a
 * reason here. Returns what it acknowledged, so a test can prove each still matches a finding.
 */
export function acknowledgeNagFindings(stack: NewsroomStack): NagAcknowledgement[] {
  const acknowledged: NagAcknowledgement[] = [];
  const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
    Validations.of(scope).acknowledge({ id, reason });
    acknowledged.push({ scope, id, reason });
  };
  const tableArn = `<${logicalIdOf(stack.table)}.Arn>`;
  const bucketArn = `<${logicalIdOf(stack.bucket)}.Arn>`;

  for (const [name, fn] of stack.functions) {
    const { declaration } = fn;
    acknowledge(
      fn,
      `AwsSolutions-IAM4[${BASIC_EXECUTION_ROLE}]`,
      `${name} writes its logs through AWSLambdaBasicExecutionRole (logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents, nothing else); it logs to its own log group, kept a month.`,
    );
    acknowledge(
      fn,
      'AwsSolutions-IAM5[Resource::*]',
      `${name} traces with X-Ray (tracing: Active): xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions, so their resource is "*". No other statement has a wildcard resource.`,
    );
    acknowledge(
      fn,
      'AwsSolutions-L1',
      `${name} runs Node.js 22 on purpose: the bundles are built for node22 (NEWS_FUNCTION_BUNDLING) and measured by npm run bench; moving to a newer runtime is a change of NEWS_FUNCTION_DEFAULTS together with the bundling target, not a side effect of a lint.`,
    );
    if (readsTableIndexes(declaration.needs.table)) {
      acknowledge(
        fn,
        `AwsSolutions-IAM5[Resource::${tableArn}/index/*]`,
        `${name} queries the table's global secondary indexes (topology needs.table: queryIndex), so dynamodb:Query, and nothing else, is allowed on <table>/index/*: the indexes the table design fixes (${GLOBAL_INDEXES.map((index) => index.indexName).join(', ')}). Item reads and writes are allowed on the table alone.`,
      );
    }
    acknowledgeObjectGrants(declaration, bucketArn, (id, reason) => acknowledge(fn, id, reason));
  }

  for (const [name, queue] of stack.deadLetterQueues) {
    // Redrive targets (the editor inbox's, the feature queues') are recognised by cdk-nag.
    if (!stack.functions.has(name) || stack.featureQueues.has(name)) continue;
    acknowledge(
      queue,
      'AwsSolutions-SQS3',
      `This queue IS a dead-letter queue: the on-failure destination of ${name}'s ${stack.functions.get(name)!.declaration.trigger.kind} trigger, which cdk-nag only recognises through redrive policies. A queue behind it would have no consumer; its depth alarm (OperationalAlarms) and a redrive are how its messages are handled.`,
    );
  }

  for (const fn of stack.functions.values()) {
    const { trigger } = fn.declaration;
    if (trigger.kind !== 'http' || trigger.access === 'editor') continue;
    const routeKey = `${trigger.method} ${trigger.path}`;
    acknowledge(
      routeOf(stack.api, routeKey),
      'AwsSolutions-APIG4',
      trigger.access === 'reader'
        ? `${routeKey} is a reader write: the handler verifies the reader's token (ours, or the news site's for a signed-in reader) in both hosts, as API Gateway's JWT authorizer cannot check our HS256 reader tokens; the route is throttled (${trigger.throttle ? `${trigger.throttle.rateLimit}/s, burst ${trigger.throttle.burstLimit}` : 'stage default'}) and bodies are capped at 16 KB.`
        : trigger.method === 'GET'
          ? `${routeKey} is a public reader route by design: readers read stories, comments and polls without an account.`
          : `${routeKey} is an anonymous reader write by design (readers have no accounts): bodies are capped at 16 KB, the route is throttled (${trigger.throttle ? `${trigger.throttle.rateLimit}/s, burst ${trigger.throttle.burstLimit}` : 'stage default'}) and each source address is rate limited by its keyed hash.`,
    );
  }

  const notificationsHandler = stack.node.children.find((child) =>
    child.node.id.startsWith('BucketNotificationsHandler'),
  );
  if (notificationsHandler) {
    acknowledge(
      notificationsHandler,
      `AwsSolutions-IAM4[${BASIC_EXECUTION_ROLE}]`,
      "CDK's own custom resource that sets the bucket's notification configuration at deploy time writes its logs through AWSLambdaBasicExecutionRole; CDK offers no way to give it another role.",
    );
  }
  acknowledge(
    stack.readerHashKey,
    'AwsSolutions-SMG4',
    'The reader hashing key must not rotate on a schedule: a new key changes every keyed hash, so one-vote-per-reader and rate-limit windows would silently restart. Rotation is a deliberate operator step (docs/operations.md).',
  );
  acknowledge(
    stack.readerTokenKey,
    'AwsSolutions-SMG4',
    "Reader token keys rotate with a grace period that only the operator can choose (the previous key keeps verifying until previousUntil, which must outlast the clients that cached tokens); Secrets Manager's scheduled rotation would replace the key with no grace and sign every reader out. Rotation is an operator step (docs/operations.md).",
  );
  if (stack.siteTokenSecret) {
    acknowledge(
      stack.siteTokenSecret,
      'AwsSolutions-SMG4',
      'The news site signs its reader tokens with this shared secret: a scheduled rotation would change it under the site and sign every reader out. Rotating it is a step the site and the operator take together (docs/api.md, Readers signed in on the news site).',
    );
  }
  const distribution = stack.cdn.distribution;
  acknowledge(
    distribution,
    'AwsSolutions-CFR3',
    "Standard CloudFront logs need a bucket with ACLs enabled, which this stack's log bucket refuses (owner enforced, no ACLs); every read the edge does not answer reaches the API, whose access log records it, and CloudFront's own request metrics cover the rest. A newsroom that wants edge logs adds real-time or v2 logging to a destination of its choice.",
  );
  acknowledge(
    distribution,
    'AwsSolutions-CFR4',
    "The distribution answers on CloudFront's default *.cloudfront.net certificate, whose security policy CloudFront fixes (a minimum protocol version cannot be set without a certificate of one's own); a newsroom that gives the distribution its own domain and certificate sets TLSv1.2_2021 with it.",
  );
  acknowledge(distribution, 'AwsSolutions-CFR1', 'Readers are everywhere a story is read: no geographic restriction.');
  acknowledge(
    distribution,
    'AwsSolutions-CFR2',
    'No WAF in front of public, cacheable reads: the API behind it is throttled per route and per stage, writes never pass through the CDN, and a web ACL costs more per month than most newsrooms spend on this stack. Add one with the distribution webAclId where needed.',
  );
  const deployment = stack.node.children.find((child) => child.node.id.startsWith('Custom::CDKBucketDeployment'));
  if (deployment) {
    const why =
      "CDK's own BucketDeployment custom resource, which copies the widget's files into their bucket at deploy time; CDK gives it this role and runtime and offers no way to narrow them.";
    acknowledge(
      deployment,
      `AwsSolutions-IAM4[${BASIC_EXECUTION_ROLE}]`,
      `${why} It logs through AWSLambdaBasicExecutionRole.`,
    );
    for (const finding of [
      'Action::s3:GetBucket*',
      'Action::s3:GetObject*',
      'Action::s3:List*',
      'Action::s3:Abort*',
      'Action::s3:DeleteObject*',
      'Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-<AWS::AccountId>-<AWS::Region>/*',
      `Resource::<${logicalIdOf(stack.cdn.widgetBucket)}.Arn>/*`,
    ]) {
      acknowledge(
        deployment,
        `AwsSolutions-IAM5[${finding}]`,
        `${why} It reads the packaged files from the CDK asset bucket and writes them to the widget bucket only.`,
      );
    }
    acknowledge(deployment, 'AwsSolutions-L1', `${why} Its runtime is the one the installed aws-cdk-lib ships.`);
  }
  acknowledge(
    stack.userPool,
    'AwsSolutions-COG2',
    'MFA is optional (authenticator apps), not required: required MFA would lock every invited editor out until they enrol through a client that answers the MFA_SETUP challenge, which the newsroom tools do not. Threat protection (Plus plan, full function) blocks leaked passwords and challenges risky sign-ins; a strong password policy applies.',
  );
  return acknowledged;
}

function acknowledgeObjectGrants(
  declaration: FunctionDeclaration,
  bucketArn: string,
  acknowledge: (id: string, reason: string) => void,
): void {
  const grants = declaration.needs.bucket ?? [];
  for (const { prefix, actions } of grants) {
    acknowledge(
      `AwsSolutions-IAM5[Resource::${bucketArn}/${prefix}*]`,
      `${declaration.name} declares ${actions.join(', ')} on keys under ${prefix} (topology needs.bucket); object keys (article ids, dropped file names) are only known at run time, so the prefix is the narrowest scope a grant can have.`,
    );
  }
  for (const action of new Set(grants.flatMap((grant) => grant.actions))) {
    for (const wildcard of OBJECT_ACTION_WILDCARDS[action]) {
      acknowledge(`AwsSolutions-IAM5[Action::${wildcard.action}]`, `${declaration.name}: ${wildcard.reason}`);
    }
  }
}

function logicalIdOf(construct: IConstruct): string {
  return Stack.of(construct).getLogicalId(construct.node.defaultChild as CfnResource);
}

function routeOf(api: apigw.HttpApi, routeKey: string): apigw.CfnRoute {
  const route = api.node
    .findAll()
    .find((c): c is apigw.CfnRoute => c instanceof apigw.CfnRoute && c.routeKey === routeKey);
  if (!route) throw new Error(`No route ${routeKey} in the API`);
  return route;
}
