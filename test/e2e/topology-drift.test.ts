import { App, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import {
  LOCAL_ONLY_VARIABLES,
  LOCAL_SITE_SIGN_IN,
  localArns,
  RUNTIME_VARIABLES,
  SECRETS_EXTENSION_PORT,
  settingsFromEnvironment,
} from '../../infra/local/function-environment';
import { LOCAL_NAMES } from '../../infra/local/local-stack';
import { ENV } from '../../shared/config';
import { NewsroomStack } from '../../infra/stack';
import { topology } from '../../infra/topology';
import { withLocalStack } from '../support/local-stack';

/**
 * The two hosts must wire the same functions to the same triggers, and give each function the
 * same environment and the same grants. This starts the local stack, synthesizes the CDK stack,
 * reads back what each one actually did — the local stack's registrations and what it gave each
 * function's sandboxes; the template's routes, bucket notifications, rules, event source mappings
 * on the stream and on queues, the queues the stream router may send to, function environments
 * and role policies — and compares them: a function, trigger, variable or permission that one
 * host has and the other lacks fails here.
 */
type CfnResource = { Type: string; Properties?: Record<string, any> };
type PolicyStatement = { Action: string | string[]; Resource: unknown };

/** A setting in the host's environment, given to the CDK stack as its context: both must pass it on. */
const SETTING = { READER_TOKENS_PER_SOURCE: '25/3600' };

/**
 * Variables only the template has, each for a reason: the source-map switch (local sandboxes get
 * `--enable-source-maps` as their own flag, not through NODE_OPTIONS) and the secrets extension's
 * own settings, which the extension reads and the local imitation has no use for. Its port is
 * compared (mapped): handlers read it.
 */
const TEMPLATE_ONLY_VARIABLES = new Set([
  'NODE_OPTIONS',
  'PARAMETERS_SECRETS_EXTENSION_CACHE_ENABLED',
  'PARAMETERS_SECRETS_EXTENSION_CACHE_SIZE',
  'PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL',
  'PARAMETERS_SECRETS_EXTENSION_MAX_CONNECTIONS',
  'SECRETS_MANAGER_TIMEOUT_MILLIS',
  'SECRETS_MANAGER_TTL',
  'SSM_PARAMETER_STORE_TIMEOUT_MILLIS',
  'SSM_PARAMETER_STORE_TTL',
]);

/** What the synthesized template holds, per function. */
interface Synthesized {
  wiring: string[];
  environments: Map<string, Record<string, unknown>>;
  statements: Map<string, PolicyStatement[]>;
  /** Logical ids of the shared resources, to map template references onto local names. */
  ids: {
    table: string;
    bucket: string;
    bus: string;
    secret: string;
    tokenSecret: string;
    siteSecret: string;
    liveApi: string;
    liveNamespace: string;
  };
  /** Each function's own dead-letter queue (its asynchronous trigger's on-failure destination), by logical id. */
  deadLetterQueueIds: Map<string, string>;
  /** Each queue an event source mapping reads, by logical id: the function it feeds. */
  consumerByQueueId: Map<string, string>;
}

function synthesize(): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], settings: SETTING } });
  // Site sign-in as the local stack imitates it: a site that signs with a shared secret.
  const stack = new NewsroomStack(app, 'Drift', { siteSignIn: { ...LOCAL_SITE_SIGN_IN } });
  const resources = Template.fromStack(stack).toJSON().Resources as Record<string, CfnResource>;
  const idOf = (construct: { node: { defaultChild?: unknown } }) =>
    stack.getLogicalId(construct.node.defaultChild as CfnElement);
  const nameByLogicalId = new Map([...stack.functions].map(([name, fn]) => [idOf(fn), name]));
  const functionOf = (value: unknown): string => {
    const logicalId =
      (value as { 'Fn::GetAtt'?: string[]; Ref?: string })['Fn::GetAtt']?.[0] ?? (value as { Ref?: string }).Ref;
    const name = logicalId ? nameByLogicalId.get(logicalId) : undefined;
    if (!name) throw new Error(`Not a topology function: ${JSON.stringify(value)}`);
    return name;
  };

  const nameByRoleId = new Map(
    [...stack.functions].map(([name, fn]) => [stack.getLogicalId(fn.role!.node.defaultChild as CfnElement), name]),
  );
  /** Each queue an event source mapping reads, by logical id: the function it feeds. */
  const consumerByQueueId = new Map<string, string>();
  for (const resource of Object.values(resources)) {
    const source = resource.Properties?.EventSourceArn?.['Fn::GetAtt'] as string[] | undefined;
    if (resource.Type === 'AWS::Lambda::EventSourceMapping' && source?.[1] === 'Arn') {
      consumerByQueueId.set(source[0]!, functionOf(resource.Properties!.FunctionName));
    }
  }

  const wiring: string[] = [];
  const environments = new Map<string, Record<string, unknown>>();
  const statements = new Map<string, PolicyStatement[]>();
  for (const [logicalId, resource] of Object.entries(resources)) {
    const name = nameByLogicalId.get(logicalId);
    if (resource.Type !== 'AWS::Lambda::Function' || !name) continue;
    environments.set(name, resource.Properties!.Environment?.Variables ?? {});
  }
  for (const resource of Object.values(resources)) {
    const props = resource.Properties ?? {};
    switch (resource.Type) {
      case 'AWS::ApiGatewayV2::Route': {
        const integrationId = props.Target['Fn::Join'][1][1].Ref as string;
        wiring.push(`${functionOf(resources[integrationId]!.Properties!.IntegrationUri)}: route ${props.RouteKey}`);
        break;
      }
      case 'Custom::S3BucketNotifications':
        for (const config of props.NotificationConfiguration.LambdaFunctionConfigurations ?? []) {
          const prefix = config.Filter.Key.FilterRules.find((rule: { Name: string }) => rule.Name === 'prefix').Value;
          wiring.push(`${functionOf(config.LambdaFunctionArn)}: s3 ${prefix}`);
        }
        break;
      case 'AWS::Events::Rule':
        for (const target of props.Targets ?? []) {
          if (!nameByLogicalId.has(target.Arn?.['Fn::GetAtt']?.[0])) continue; // non-function targets (queues, topics)
          wiring.push(`${functionOf(target.Arn)}: rule ${JSON.stringify(props.EventPattern)}`);
        }
        break;
      case 'AWS::Lambda::EventSourceMapping': {
        const [sourceId, attribute] = props.EventSourceArn['Fn::GetAtt'] as [string, string];
        if (attribute === 'StreamArn') wiring.push(`${functionOf(props.FunctionName)}: stream table`);
        else {
          const fifo = resources[sourceId]!.Properties?.FifoQueue === true;
          wiring.push(`${functionOf(props.FunctionName)}: queue ${fifo ? 'fifo' : 'standard'}`);
        }
        break;
      }
      case 'AWS::IAM::Policy': {
        const allowed = (props.PolicyDocument.Statement as Array<PolicyStatement & { Effect: string }>).filter(
          (statement) => statement.Effect === 'Allow',
        );
        for (const role of props.Roles ?? []) {
          const owner = nameByRoleId.get(role.Ref);
          if (!owner) continue; // roles of other things (rules, custom resources)
          statements.set(owner, [...(statements.get(owner) ?? []), ...allowed]);
          // A function that may send to a queue another function reads: the stream router's routes.
          for (const statement of allowed) {
            if (!asList(statement.Action).includes('sqs:SendMessage')) continue;
            for (const resource of asList(statement.Resource) as Array<{ 'Fn::GetAtt'?: string[] }>) {
              const consumer = consumerByQueueId.get(resource['Fn::GetAtt']?.[0] ?? '');
              if (consumer) wiring.push(`${owner}: forwards to ${consumer}`);
            }
          }
        }
        break;
      }
    }
  }
  return {
    wiring: wiring.sort(),
    environments,
    statements,
    ids: {
      table: idOf(stack.table),
      bucket: idOf(stack.bucket),
      bus: idOf(stack.bus),
      secret: idOf(stack.readerHashKey),
      tokenSecret: idOf(stack.readerTokenKey),
      siteSecret: idOf(stack.siteTokenSecret!),
      liveApi: idOf(stack.liveUpdates.api),
      liveNamespace: idOf(stack.liveUpdates.namespace),
    },
    deadLetterQueueIds: new Map([...stack.deadLetterQueues].map(([name, queue]) => [name, idOf(queue)])),
    consumerByQueueId,
  };
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

describe('topology drift between the CDK stack and the local stack', () => {
  // Nothing here waits on the table stream: polling it rarely leaves the CPU to the CDK synthesis.
  const local = withLocalStack({ name: 'drift', pollIntervalMs: 1_000, env: SETTING });
  let synthesized: Synthesized;

  beforeAll(() => {
    synthesized = synthesize();
  }, 60_000);

  /** A template value (a name, an ARN, or a reference to one) as the local stack names it. */
  function localValue(value: unknown): string {
    if (typeof value === 'string') return value;
    const { endpoints, streamRoutes, featureQueueArns } = local.stack;
    const { ids, consumerByQueueId } = synthesized;
    const ref = (value as { Ref?: string }).Ref;
    const [attOf, attribute] = (value as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'] ?? [];
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    // Ref of a table, bucket or bus is its name; of a secret, its ARN.
    if (ref === ids.table) return endpoints.table;
    if (ref === ids.bucket) return endpoints.bucket;
    if (ref === ids.bus) return endpoints.eventBus;
    if (ref === ids.secret) return endpoints.readerHashKeySecret;
    if (ref === ids.tokenSecret) return endpoints.readerTokenKeySecret;
    if (ref === ids.siteSecret) return endpoints.siteTokenSecret;
    // A feature's queue: Ref is its URL.
    const feature = consumerByQueueId.get(ref ?? attOf ?? '');
    if (feature && ref) return streamRoutes.find((route) => route.feature === feature)!.queueUrl;
    if (feature && attribute === 'Arn') return featureQueueArns.get(feature)!;
    // The Event API's publish endpoint: `https://<http domain>/event` in AWS, the imitation's plain
    // HTTP URL locally (the scheme is the one part that differs).
    const liveHost = join?.[1].some((part) => {
      const [of, name] = (part as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'] ?? [];
      return of === ids.liveApi && name === 'Dns.Http';
    });
    if (join && liveHost && join[1].length === 3 && join[1][0] === 'https://' && join[1][2] === '/event') {
      return endpoints.liveHttpUrl;
    }
    if (attribute === 'Arn' || (attOf === ids.liveNamespace && attribute === 'ChannelNamespaceArn')) {
      const arns = localArns({
        ...endpoints,
        bus: endpoints.eventBus,
        readerHashKey: LOCAL_NAMES.readerHashKey,
        readerTokenKey: LOCAL_NAMES.readerTokenKey,
        siteTokenSecret: LOCAL_NAMES.siteTokenSecret,
      });
      const arn = new Map([
        [ids.table, arns.table],
        [ids.bucket, arns.bucket],
        [ids.bus, arns.bus],
        [ids.liveNamespace, arns.liveUpdatesNamespace],
      ]).get(attOf!);
      if (arn) return arn;
    }
    if (join) return join[1].map(localValue).join(join[0]);
    throw new Error(`No local counterpart for ${JSON.stringify(value)}`);
  }

  /** Whether a template statement is the trigger's or the runtime's, not the function code's (see `policyFor`). */
  function ownedByTrigger(functionName: string, resource: unknown, actions: string[]): boolean {
    const [attOf, attribute] = (resource as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt'] ?? [];
    if (resource === '*' && actions.every((action) => action.startsWith('xray:'))) return true; // tracing
    if (attOf === synthesized.ids.table && attribute === 'StreamArn') return true; // the event source mapping
    if (attOf === undefined) return false;
    // The queue it is triggered by, which its event source mapping reads.
    if (synthesized.consumerByQueueId.get(attOf) === functionName) return true;
    // Its own dead-letter queue, which Lambda sends to after the trigger's retries; any other queue is a need.
    return attOf === synthesized.deadLetterQueueIds.get(functionName);
  }

  it('wires every topology function to the same triggers in both hosts', () => {
    // Event patterns are compared as CloudFormation renders them (keys in declaration order).
    const wired = local.stack.wiring.map(({ functionName, wire }) => `${functionName}: ${wire}`).sort();

    expect(wired).toEqual(synthesized.wiring);
    expect(new Set(wired.map((line) => line.split(':')[0]))).toEqual(new Set(topology.functions.map((fn) => fn.name)));
  });

  it('reads the stream twice, and feeds every other stream feature through the router and its queue', () => {
    const wired = local.stack.wiring.map(({ functionName, wire }) => `${functionName}: ${wire}`).sort();

    expect(wired.filter((line) => line.endsWith(': stream table'))).toEqual([
      'aggregate-poll-votes: stream table',
      'route-stream-records: stream table',
    ]);
    expect(wired.filter((line) => line.includes(': queue ') || line.includes('forwards to'))).toEqual([
      'follow-up-error-reports: queue fifo',
      'process-comment-changes: queue fifo',
      'publish-article-changes: queue fifo',
      'publish-poll-tallies: queue standard',
      'route-stream-records: forwards to follow-up-error-reports',
      'route-stream-records: forwards to process-comment-changes',
      'route-stream-records: forwards to publish-article-changes',
      'route-stream-records: forwards to publish-poll-tallies',
    ]);
  });

  it('gives every function the same environment variables, with the same values, in both hosts', () => {
    const differences: string[] = [];
    for (const fn of local.stack.functions) {
      const template = synthesized.environments.get(fn.name);
      if (!template) {
        differences.push(`${fn.name}: not in the template`);
        continue;
      }
      const fromTemplate = Object.fromEntries(
        Object.entries(template)
          .filter(([name]) => !TEMPLATE_ONLY_VARIABLES.has(name))
          .map(([name, value]) => [
            name,
            name === SECRETS_EXTENSION_PORT
              ? String(local.stack.endpoints.functions.secretsExtensionPort)
              : comparable(name, localValue(value)),
          ]),
      );
      const fromLocal = Object.fromEntries(
        Object.entries(fn.environment)
          .filter(([name]) => !RUNTIME_VARIABLES.includes(name) && !LOCAL_ONLY_VARIABLES.includes(name))
          .map(([name, value]) => [name, comparable(name, value)]),
      );
      if (JSON.stringify(sorted(fromLocal)) !== JSON.stringify(sorted(fromTemplate))) {
        differences.push(
          `${fn.name}: local ${JSON.stringify(sorted(fromLocal))} ≠ template ${JSON.stringify(sorted(fromTemplate))}`,
        );
      }
    }

    expect(differences).toEqual([]);
    expect(local.stack.functions.map((fn) => fn.name).sort()).toEqual([...synthesized.environments.keys()].sort());
    // The setting reached both, as a deploy passes settings to every function.
    expect(
      local.stack.functions.every((fn) => fn.environment.READER_TOKENS_PER_SOURCE === SETTING.READER_TOKENS_PER_SOURCE),
    ).toBe(true);
    expect(settingsFromEnvironment(process.env)).toEqual(SETTING);
  });

  it("enforces locally exactly the grants of each function's role in the template", () => {
    const pairs = (statements: ReadonlyArray<{ actions: readonly string[]; resources: readonly string[] }>) =>
      statements
        .flatMap(({ actions, resources }) => actions.flatMap((a) => resources.map((r) => `${a} on ${r}`)))
        .sort();
    const differences: string[] = [];
    for (const fn of local.stack.functions) {
      const fromTemplate = (synthesized.statements.get(fn.name) ?? []).flatMap((statement) => {
        const actions = asList(statement.Action);
        const resources = asList(statement.Resource).filter((resource) => !ownedByTrigger(fn.name, resource, actions));
        return resources.length === 0 ? [] : [{ actions, resources: resources.map(localValue) }];
      });
      const template = [...new Set(pairs(fromTemplate))];
      const granted = [...new Set(pairs(fn.grants))];
      if (JSON.stringify(granted) !== JSON.stringify(template)) {
        differences.push(`${fn.name}: local [${granted.join(', ')}] ≠ template [${template.join(', ')}]`);
      }
    }

    expect(differences).toEqual([]);
    // Not vacuous: the functions that touch something hold grants in both.
    expect(local.stack.functions.filter((fn) => fn.grants.length > 0).length).toBeGreaterThan(20);
  });
});

/** The router's routes are JSON, which CloudFormation and `JSON.stringify` may space differently. */
function comparable(name: string, value: string): string {
  return name === ENV.streamRoutes ? JSON.stringify(JSON.parse(value)) : value;
}

function sorted(record: Record<string, string>): Array<[string, string]> {
  return Object.entries(record).sort(([a], [b]) => a.localeCompare(b));
}
