import { CfnOutput, Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EDITOR_ALERT_RETENTION_DAYS } from '../shared/alerts/editor-alerts';
import type { EditorAlertRule } from './topology';
import { DEAD_LETTER_RETENTION, pascalCase, toCdkEventPattern } from './triggers';

/** An inbox message that a consumer failed to handle this often goes to the dead-letter queue. */
export const EDITOR_INBOX_MAX_RECEIVES = 5;

/**
 * Editors act on an alert within days; an unread one stays as long as SQS allows, as long as the
 * desks' alerts list keeps it (`record-editor-alerts`).
 */
export const EDITOR_INBOX_RETENTION = Duration.days(EDITOR_ALERT_RETENTION_DAYS);

export interface EditorAlertsProps {
  bus: events.IEventBus;
  rules: readonly EditorAlertRule[];
  /** Subscribed to the topic by e-mail (CDK context `editorAlertEmail`); AWS asks it to confirm. */
  email?: string;
}

/**
 * Where editors hear about what needs them (the topology's `editorAlerts`): an SNS topic to
 * subscribe people to (e-mail, chat), and an SQS inbox a newsroom tool can work through (the
 * desks read the alerts list `record-editor-alerts` keeps instead: a queue's message received by
 * one reader is taken from every other). Both are
 * fed by bus rules with retries; what cannot be delivered, or fails a consumer repeatedly, lands
 * in the inbox's own dead-letter queue.
 */
export class EditorAlerts extends Construct {
  readonly topic: sns.Topic;
  readonly inbox: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, props: EditorAlertsProps) {
    super(scope, id);
    this.topic = new sns.Topic(this, 'Topic', { displayName: 'Newsroom editor alerts', enforceSSL: true });
    if (props.email) this.topic.addSubscription(new subscriptions.EmailSubscription(props.email));

    // SQS-managed keys: EventBridge can send without a KMS key policy.
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: DEAD_LETTER_RETENTION,
    });
    this.inbox = new sqs.Queue(this, 'Inbox', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: EDITOR_INBOX_RETENTION,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: EDITOR_INBOX_MAX_RECEIVES },
    });

    for (const rule of props.rules) {
      const delivery = {
        retryAttempts: rule.retryAttempts,
        maxEventAge: Duration.seconds(rule.maxEventAgeSeconds),
        deadLetterQueue: this.deadLetterQueue,
      };
      new events.Rule(this, `${pascalCase(rule.ruleName)}Rule`, {
        eventBus: props.bus,
        description: `${rule.ruleName}: ${rule.description}`,
        eventPattern: toCdkEventPattern(rule.pattern),
        targets: [
          // Through a role the rule assumes, rather than a topic policy open to the whole
          // EventBridge service: only this rule can publish alerts.
          new targets.SnsTopic(this.topic, { ...delivery, authorizeUsingRole: true }),
          new targets.SqsQueue(this.inbox, delivery),
        ],
      });
    }

    new CfnOutput(scope, 'EditorAlertTopicArn', { value: this.topic.topicArn });
    new CfnOutput(scope, 'EditorInboxQueueUrl', { value: this.inbox.queueUrl });
  }
}
