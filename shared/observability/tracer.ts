import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * X-Ray tracing of the AWS SDK clients: each DynamoDB, S3, EventBridge and Secrets Manager call
 * becomes a subsegment of the function's trace (Lambda creates the function segment itself, as
 * tracing is Active in the construct). Only the clients are captured, not the handler, which
 * would add nothing the function segment does not show. Outside Lambda (tests, the local stack)
 * the Tracer disables itself and hands the clients back untouched.
 */
export const tracer = new Tracer({ serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'newsroom' });

/** The client, instrumented for X-Ray when tracing is on. */
export function traced<T>(client: T): T {
  return tracer.captureAWSv3Client(client);
}
