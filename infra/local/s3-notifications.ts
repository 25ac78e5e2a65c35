import type { S3Event } from 'aws-lambda';
import type { S3Trigger } from '../topology';
import type { DeadLetterSink } from './dead-letters';
import type { ObjectCreatedEvent } from './engines/s3-emulator';
import type { LocalFunction } from './local-function';

/** Short local stand-ins for Lambda's asynchronous retry delays (one and two minutes in AWS). */
const RETRY_DELAYS_MS = [200, 800];

/**
 * Delivers object-created notifications to an S3-triggered function as Lambda's asynchronous
 * invocation does: the S3 event shape, the declared number of retries, then the dead letter.
 */
export class S3NotificationDispatcher {
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly fn: LocalFunction,
    private readonly trigger: S3Trigger,
    private readonly deadLetters: DeadLetterSink,
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  notify(created: ObjectCreatedEvent): void {
    if (!created.key.startsWith(this.trigger.prefix)) return;
    const delivery = this.deliver(toS3Event(created)).finally(() => this.inFlight.delete(delivery));
    this.inFlight.add(delivery);
  }

  /** Resolves when every notification received so far has been handled or dead-lettered. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private async deliver(event: S3Event): Promise<void> {
    let lastError = '';
    for (let attempt = 0; attempt <= this.trigger.retryAttempts; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1] ?? 1000);
      try {
        await this.fn.invoke(event);
        return;
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
        this.log(`${this.fn.declaration.name} failed (attempt ${attempt + 1}): ${lastError}`);
      }
    }
    await this.deadLetters.write({
      source: 's3',
      functionName: this.fn.declaration.name,
      error: lastError,
      payload: event,
    });
  }
}

/** S3 notification keys are URL-encoded with spaces as '+', as handlers expect from AWS. */
export function encodeS3EventKey(key: string): string {
  return encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/');
}

function toS3Event(created: ObjectCreatedEvent): S3Event {
  return {
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-east-1',
        eventTime: new Date().toISOString(),
        eventName: 'ObjectCreated:Put',
        userIdentity: { principalId: 'local' },
        requestParameters: { sourceIPAddress: '127.0.0.1' },
        responseElements: { 'x-amz-request-id': 'local', 'x-amz-id-2': 'local' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'local',
          bucket: {
            name: created.bucket,
            ownerIdentity: { principalId: 'local' },
            arn: `arn:aws:s3:::${created.bucket}`,
          },
          object: {
            key: encodeS3EventKey(created.key),
            size: created.size,
            eTag: created.eTag ?? '',
            sequencer: Date.now().toString(16).toUpperCase(),
          },
        },
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
