import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as appsync from 'aws-cdk-lib/aws-appsync';
import { Construct } from 'constructs';
import { LIVE_NAMESPACE } from '../../shared/live/channels';

/** How long the readers' key is valid from the first of the month it was last renewed in. */
export const LIVE_KEY_LIFETIME_DAYS = 365;

const DAY_MS = 24 * 3600 * 1000;

/**
 * When the readers' key expires, for a deploy at `deployTime`: 365 days after the first of that
 * UTC month. AppSync takes an expiry between 1 and 365 days ahead (whole hours), and this is
 * between 334 and 365 days ahead. It changes once a month, not on every synthesis (CDK's
 * `Expiration.after` would: the template would differ each time it is built), so the template
 * stays the same within a month and the first deploy of a new month renews the key: the same
 * key (an update of `Expires` keeps its value), valid for another year.
 */
export function liveKeyExpiry(deployTime: Date): Date {
  const monthStart = Date.UTC(deployTime.getUTCFullYear(), deployTime.getUTCMonth(), 1);
  return new Date(monthStart + LIVE_KEY_LIFETIME_DAYS * DAY_MS);
}

export interface LiveUpdatesProps {
  /** The time of this deploy, from which the readers' key's expiry is set (tests fix it). */
  deployTime: Date;
}

/**
 * The Event API that carries live updates to the pages readers have open. Readers subscribe to
 * their story's channel (`/stories/<articleId>`) with a public key that can do nothing else;
 * only the backend publishes, signed with its role (IAM), which only the live-update publisher's
 * role may do (`appsync:EventPublish` on the `stories` namespace, granted from its declared
 * needs).
 *
 * Why an API key rather than a Lambda authorizer for readers: what readers receive is public
 * (what a page reload shows), so there is no secret to check and no reader to identify; the key
 * only says "this API". A Lambda authorizer would add an invocation (and its cold start) to every
 * connection to check nothing more, and could not stop a client that copies the widget's
 * headers. The key is in the widget's `config.json`, public by design, and the namespace lets it
 * subscribe only: with it, nobody can publish. Its one cost is the expiry AppSync puts on keys
 * (at most 365 days), renewed by deploying (see {@link liveKeyExpiry} and docs/operations.md).
 *
 * No API logging: publishes that fail are the publisher's errors, which its logs, alarms and
 * dead-letter queue already cover, and AppSync's own metrics (connections, publishes, errors)
 * are in CloudWatch without any configuration.
 */
export class LiveUpdates extends Construct {
  readonly api: appsync.EventApi;
  readonly namespace: appsync.ChannelNamespace;
  readonly readerKey: appsync.CfnApiKey;
  /** Where the backend publishes (`LIVE_EVENTS_HTTP_URL`). */
  readonly httpUrl: string;
  /** Where pages subscribe (the widget's `config.json`). */
  readonly realtimeUrl: string;

  constructor(scope: Construct, id: string, props: LiveUpdatesProps) {
    super(scope, id);
    const { API_KEY, IAM } = appsync.AppSyncAuthorizationType;
    this.api = new appsync.EventApi(this, 'Api', {
      apiName: `${Stack.of(this).stackName}-live`,
      authorizationConfig: {
        authProviders: [
          {
            authorizationType: API_KEY,
            apiKeyConfig: {
              name: 'Readers',
              description: "Readers' pages subscribe to their story's live updates (public, subscribe-only)",
            },
          },
          { authorizationType: IAM },
        ],
        // Pages connect with the key; the backend publishes over HTTP and never connects.
        connectionAuthModeTypes: [API_KEY],
        // Also the defaults, so a namespace added later is safe without saying so.
        defaultPublishAuthModeTypes: [IAM],
        defaultSubscribeAuthModeTypes: [API_KEY],
      },
    });
    this.namespace = this.api.addChannelNamespace('Stories', {
      channelNamespaceName: LIVE_NAMESPACE,
      authorizationConfig: { publishAuthModeTypes: [IAM], subscribeAuthModeTypes: [API_KEY] },
    });

    const expiry = liveKeyExpiry(props.deployTime);
    this.readerKey = this.api.apiKeys.Readers!;
    // Set on the key itself: the construct's own `expires` option checks against the clock of
    // the synthesis, and would make the template differ on every build.
    this.readerKey.expires = Math.floor(expiry.getTime() / 1000);

    this.httpUrl = `https://${this.api.httpDns}/event`;
    this.realtimeUrl = `wss://${this.api.realtimeDns}/event/realtime`;

    const stack = Stack.of(this);
    new CfnOutput(stack, 'LiveRealtimeUrl', {
      description: "Where readers' pages subscribe to live updates (the widget reads it from config.json)",
      value: this.realtimeUrl,
    });
    new CfnOutput(stack, 'LiveHttpUrl', {
      description: 'Where the backend publishes live updates (IAM only)',
      value: this.httpUrl,
    });
    // The key's id and expiry, not its value: an operator looks the key up by id (`aws appsync
    // list-api-keys`); the widget gets the value from config.json, which is where it belongs.
    new CfnOutput(stack, 'LiveReaderKeyId', { value: this.readerKey.attrApiKeyId });
    new CfnOutput(stack, 'LiveReaderKeyExpires', {
      description:
        'The readers’ key stops working then unless a deploy renews it (docs/operations.md: Renewing the live readers’ key)',
      value: expiry.toISOString(),
    });
  }
}
