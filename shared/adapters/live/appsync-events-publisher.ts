import type { AwsCredentialIdentityProvider } from '@smithy/types';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LiveMessage } from '../../live/live-shapes';
import type { LiveUpdatesPublisher } from '../../live/ports';
import { NodeSha256 } from '../aws/node-sha256';

/** The Events API takes at most 5 events in one publish. */
export const MAX_EVENTS_PER_PUBLISH = 5;

/** A publish that has not answered by then is failed, so the event is retried rather than hung. */
const PUBLISH_TIMEOUT_MS = 5_000;

/** The Events API refused a publish, or some of its events. */
export class LivePublishError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LivePublishError';
  }
}

export interface AppSyncEventsPublisherOptions {
  /** The API's publish endpoint, `https://<http domain>/event` (`LIVE_EVENTS_HTTP_URL`). */
  httpUrl: string;
  /** The API's region (`AWS_REGION`): part of the signature's scope. */
  region: string;
  /** The function's own credentials (`fromEnv()` in both hosts). */
  credentials: AwsCredentialIdentityProvider;
}

/** What the HTTP publish answers: each event's outcome by its index in the request. */
interface PublishResult {
  successful?: { identifier?: string; index?: number }[];
  failed?: { identifier?: string; index?: number; code?: string | number; message?: string }[];
}

/**
 * Publishes live messages with AppSync Events' HTTP publish: `POST <httpUrl>` with
 * `{ "channel", "events": [<each message as a JSON string>] }`, at most five events a request,
 * signed with SigV4 (service `appsync`): the namespace takes publishes with IAM only, so the
 * function's role (`appsync:EventPublish` on the namespace) is what lets it publish. A request
 * that is refused, or that accepts only some of its events, throws, so the caller's retry
 * publishes them again; subscribers apply messages by version, so the repeats change nothing.
 */
export class AppSyncEventsPublisher implements LiveUpdatesPublisher {
  private readonly url: URL;
  private readonly signer: SignatureV4;

  constructor(options: AppSyncEventsPublisherOptions) {
    this.url = new URL(options.httpUrl);
    this.signer = new SignatureV4({
      service: 'appsync',
      region: options.region,
      credentials: options.credentials,
      sha256: NodeSha256,
    });
  }

  async publish(channel: string, messages: readonly LiveMessage[]): Promise<void> {
    // In order, one request at a time: a subscriber sees them as they were given.
    for (let start = 0; start < messages.length; start += MAX_EVENTS_PER_PUBLISH) {
      await this.publishBatch(channel, messages.slice(start, start + MAX_EVENTS_PER_PUBLISH));
    }
  }

  private async publishBatch(channel: string, messages: readonly LiveMessage[]): Promise<void> {
    const body = JSON.stringify({ channel, events: messages.map((message) => JSON.stringify(message)) });
    const signed = await this.signer.sign({
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port ? { port: Number(this.url.port) } : {}),
      path: this.url.pathname,
      query: {},
      // The host is signed as fetch will send it (with the port, when the URL names one).
      headers: { host: this.url.host, 'content-type': 'application/json' },
      body,
    });
    // fetch sets the host itself from the URL (a given one is ignored).
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(this.url, {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(PUBLISH_TIMEOUT_MS),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new LivePublishError(`Publishing to ${channel} failed with HTTP ${response.status}: ${text.slice(0, 300)}`);
    }
    const failed = failuresIn(text);
    if (failed.length > 0) {
      const reasons = failed.map((f) => `#${f.index ?? '?'} ${f.code ?? ''} ${f.message ?? ''}`.trim());
      throw new LivePublishError(`Publishing to ${channel}: ${failed.length} event(s) failed: ${reasons.join('; ')}`);
    }
  }
}

/** The failed entries of a publish's answer; an answer that is not the documented JSON is an error. */
function failuresIn(text: string): NonNullable<PublishResult['failed']> {
  let result: PublishResult;
  try {
    result = JSON.parse(text) as PublishResult;
  } catch {
    throw new LivePublishError(`The publish endpoint answered with something other than JSON: ${text.slice(0, 300)}`);
  }
  return Array.isArray(result?.failed) ? result.failed : [];
}
