import { UNIT_READER_TOKEN_KEY } from './reader-tokens';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { HttpEvent } from '../../shared/http/http-handler';

/** A payload-format-2.0 event as API Gateway would send it, for unit tests of HTTP handlers. */
export function apiEvent(overrides: {
  method?: string;
  path?: string;
  query?: Record<string, string>;
  pathParameters?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string;
  isBase64Encoded?: boolean;
  claims?: Record<string, string>;
}): HttpEvent {
  const method = overrides.method ?? 'GET';
  const path = overrides.path ?? '/';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: `${method} ${path}`,
    rawPath: path,
    rawQueryString: new URLSearchParams(overrides.query ?? {}).toString(),
    headers: overrides.headers ?? {},
    ...(overrides.query ? { queryStringParameters: overrides.query } : {}),
    ...(overrides.pathParameters ? { pathParameters: overrides.pathParameters } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: 'test.example',
      domainPrefix: 'test',
      http: { method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'jest' },
      requestId: 'request-1',
      routeKey: `${method} ${path}`,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(overrides.body !== undefined ? { body: overrides.body } : {}),
    isBase64Encoded: overrides.isBase64Encoded ?? false,
  };
  if (overrides.claims)
    (event.requestContext as HttpEvent['requestContext']).authorizer = { jwt: { claims: overrides.claims } };
  return event;
}

export const editorClaims = { sub: 'editor-1', 'cognito:groups': '[editors]' };
export const readerClaims = { sub: 'reader-1', 'cognito:groups': '[]' };

export function lambdaContext(requestId = 'aws-request-1'): Context {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'test',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:test',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
    logGroupName: '/aws/lambda/test',
    logStreamName: 'test',
    getRemainingTimeInMillis: () => 10_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Sets the environment a handler module reads at load time; call before importing it. */
export function setHandlerEnv(): void {
  Object.assign(process.env, {
    TABLE_NAME: 'test-table',
    BUCKET_NAME: 'test-bucket',
    EVENT_BUS_NAME: 'test-bus',
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
    READER_TOKEN_KEY: UNIT_READER_TOKEN_KEY,
  });
}
