import { ArnFormat, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { pascalCase } from '../triggers';

/**
 * How every alarm looks at its metric: over five minutes, alarming on the first period that
 * breaches. Each watched event is a failure nobody planned for, so one is enough to tell someone;
 * missing data (no traffic, an empty queue) is not a failure.
 */
export const ALARM_DEFAULTS = {
  period: Duration.minutes(5),
  evaluationPeriods: 1,
  treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
} as const;

export interface OperationalAlarmsProps {
  /** Every function, by its topology name: alarms on its errors and throttles. */
  functions: ReadonlyMap<string, lambda.IFunction>;
  /** Every dead-letter queue, by what feeds it (a function name, `editor-alerts`): alarms on its depth. */
  deadLetterQueues: ReadonlyMap<string, sqs.IQueue>;
  /** Alarms on its 5xx answers. */
  api: apigw.HttpApi;
  /** Subscribed to the alarm topic by e-mail (CDK context `alarmEmail`); AWS asks it to confirm. */
  email?: string;
}

/**
 * The operators' view of failures: an alarm on the depth of every dead-letter queue (what the
 * retries gave up on), on each function's errors and throttles, and on the API's 5xx answers,
 * all notifying one SNS topic when they go off and when they recover. Alarm names are
 * `<stack>-<what>-<name>`, so a mail says which function or queue without opening the console.
 */
export class OperationalAlarms extends Construct {
  readonly topic: sns.Topic;
  /** Every alarm, by its name. */
  readonly alarms: ReadonlyMap<string, cloudwatch.Alarm>;
  private readonly alarmsByName = new Map<string, cloudwatch.Alarm>();
  private readonly namePrefix: string;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.namePrefix = stack.stackName;
    this.alarms = this.alarmsByName;

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: `${stack.stackName} operational alarms`,
      enforceSSL: true,
    });
    // The topic has a policy of its own (TLS only), so CloudWatch gets an explicit grant, limited
    // to this account's alarms named after this stack.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowThisStacksAlarms',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': stack.formatArn({
              service: 'cloudwatch',
              resource: 'alarm',
              resourceName: `${this.namePrefix}-*`,
              arnFormat: ArnFormat.COLON_RESOURCE_NAME,
            }),
          },
        },
      }),
    );
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    for (const [name, queue] of props.deadLetterQueues) {
      this.alarm(`dead-letters-${name}`, {
        description: `Messages are waiting in the dead-letter queue of ${name}: input it gave up on after its retries. Inspect and redrive them (docs/operations.md).`,
        metric: queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM }),
        threshold: 0,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      });
    }
    for (const [name, fn] of props.functions) {
      this.alarm(`errors-${name}`, {
        description: `${name} failed: an invocation threw or timed out. Its log group has the error with the request's correlation id.`,
        metric: fn.metricErrors({ statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
      this.alarm(`throttles-${name}`, {
        description: `${name} was throttled: Lambda refused invocations for lack of concurrency.`,
        metric: fn.metricThrottles({ statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      });
    }
    this.alarm('api-5xx', {
      description:
        'The HTTP API answered 5xx: a handler failed unexpectedly or an integration errored. See the API access logs.',
      metric: props.api.metricServerError({ statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    });

    new CfnOutput(scope, 'AlarmTopicArn', { value: this.topic.topicArn });
  }

  private alarm(
    name: string,
    props: Pick<cloudwatch.AlarmProps, 'threshold' | 'comparisonOperator'> & {
      description: string;
      metric: cloudwatch.Metric;
    },
  ): void {
    const alarmName = `${this.namePrefix}-${name}`;
    const alarm = new cloudwatch.Alarm(this, pascalCase(name), {
      alarmName,
      alarmDescription: props.description,
      metric: props.metric.with({ period: ALARM_DEFAULTS.period }),
      threshold: props.threshold,
      comparisonOperator: props.comparisonOperator,
      evaluationPeriods: ALARM_DEFAULTS.evaluationPeriods,
      treatMissingData: ALARM_DEFAULTS.treatMissingData,
    });
    const notify = new actions.SnsAction(this.topic);
    alarm.addAlarmAction(notify);
    alarm.addOkAction(notify);
    this.alarmsByName.set(alarmName, alarm);
  }
}
