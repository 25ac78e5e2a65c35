/**
 * Publishing live messages with AppSync Events' HTTP publish, against a local server that does
 * what the service does with a request: it recomputes the SigV4 signature from what it received
 * (with `@smithy/signature-v4`, the SDK's own SHA-256 and the credentials it knows) and refuses a request whose
 * signature differs, takes at most five events, and answers with each event's outcome.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';
import {
  AppSyncEventsPublisher,
  LivePublishError,
  MAX_EVENTS_PER_PUBLISH,
} from '../../../shared/adapters/live/appsync-events-publisher';
import type { LiveMessage } from '../../../shared/live/live-shapes';

const REGION = 'eu-west-1';
const CREDENTIALS = {
  accessKeyId: 'ASIAEXAMPLEFUNCTION',
  secretAccessKey: 'secret-of-the-function-role',
  sessionToken: 'session-token-of-the-function',
};

interface Received {
  path: string;
  headers: IncomingMessage['headers'];
  body: { channel: string; events: string[] };
  signatureValid: boolean;
}

let server: Server;
let httpUrl: string;
let received: Received[];
/** What the server answers a request whose signature is valid; by default, every event succeeded. */
let answer: (body: Received['body']) => { status: number; body: string };

const succeeded = (body: Received['body']) => ({
  status: 200,
  body: JSON.stringify({
    successful: body.events.map((_, index) => ({ identifier: `id-${index}`, index })),
    failed: [],
  }),
});

/** Recomputes the request's signature, as AppSync does, from its method, path, signed headers and body. */
async function signatureIsValid(request: IncomingMessage, body: string): Promise<boolean> {
  const authorization = request.headers.authorization ?? '';
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date'] ?? '');
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name] ?? '')]));
  const url = new URL(request.url!, `http://${request.headers.host}`);
  const expected = await new SignatureV4({
    service: 'appsync',
    region: REGION,
    credentials: CREDENTIALS,
    // The SDK's own SHA-256, not the adapter's: the check does not rest on the code under test.
    sha256: Sha256,
  }).sign(
    {
      method: request.method!,
      protocol: 'http:',
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      query: {},
      headers,
      body,
    },
    { signingDate },
  );
  return signedHeaders.includes('host') && expected.headers.authorization === authorization;
}

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const body = JSON.parse(text) as Received['body'];
        const signatureValid = await signatureIsValid(request, text);
        received.push({ path: request.url!, headers: request.headers, body, signatureValid });
        const reply = !signatureValid
          ? { status: 403, body: JSON.stringify({ errors: [{ errorType: 'UnauthorizedException' }] }) }
          : body.events.length > MAX_EVENTS_PER_PUBLISH
            ? { status: 400, body: JSON.stringify({ errors: [{ errorType: 'BadRequestException' }] }) }
            : answer(body);
        response.writeHead(reply.status, { 'content-type': 'application/json' });
        response.end(reply.body);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  httpUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/event`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  received = [];
  answer = succeeded;
});

const publisher = (credentials = CREDENTIALS) =>
  new AppSyncEventsPublisher({ httpUrl, region: REGION, credentials: async () => credentials });

const removal = (version: number): LiveMessage => ({
  kind: 'comment-removed',
  articleId: '0123456789abcdef',
  commentId: `0123456789abcdef.${String(version).padStart(24, '0')}`,
  version,
});

it('posts the channel and each message as a JSON string to /event, signed for appsync with the session token', async () => {
  await publisher().publish('/stories/0123456789abcdef', [removal(1)]);

  expect(received).toHaveLength(1);
  const [request] = received;
  expect(request!.path).toBe('/event');
  expect(request!.signatureValid).toBe(true);
  expect(request!.headers['content-type']).toBe('application/json');
  expect(request!.headers['x-amz-security-token']).toBe(CREDENTIALS.sessionToken);
  expect(request!.headers.authorization).toMatch(
    /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLEFUNCTION\/\d{8}\/eu-west-1\/appsync\/aws4_request, SignedHeaders=[^,]*host[^,]*, Signature=[0-9a-f]{64}$/,
  );
  expect(request!.body).toEqual({ channel: '/stories/0123456789abcdef', events: [JSON.stringify(removal(1))] });
});

it('splits more than five messages into requests of at most five, in order', async () => {
  const messages = Array.from({ length: 12 }, (_, i) => removal(i + 1));

  await publisher().publish('/stories/0123456789abcdef', messages);

  expect(received.map((r) => r.body.events.length)).toEqual([5, 5, 2]);
  expect(received.flatMap((r) => r.body.events.map((e) => (JSON.parse(e) as { version: number }).version))).toEqual(
    messages.map((_, i) => i + 1),
  );
  expect(received.every((r) => r.signatureValid)).toBe(true);
});

it('sends nothing for no messages', async () => {
  await publisher().publish('/stories/0123456789abcdef', []);

  expect(received).toEqual([]);
});

it('throws when the service refuses the request, so the event is tried again', async () => {
  const wrongKey = publisher({ ...CREDENTIALS, secretAccessKey: 'not-the-secret' });

  await expect(wrongKey.publish('/stories/0123456789abcdef', [removal(1)])).rejects.toThrow(
    new LivePublishError(
      'Publishing to /stories/0123456789abcdef failed with HTTP 403: {"errors":[{"errorType":"UnauthorizedException"}]}',
    ),
  );
  expect(received.map((r) => r.signatureValid)).toEqual([false]);
});

it('throws when the service accepts the request but fails some of its events, and stops there', async () => {
  answer = (body) => ({
    status: 200,
    body: JSON.stringify({
      successful: [{ identifier: 'id-0', index: 0 }],
      failed: body.events.slice(1).map((_, i) => ({ index: i + 1, code: 400, message: 'Event too large' })),
    }),
  });
  const messages = Array.from({ length: 7 }, (_, i) => removal(i + 1));

  await expect(publisher().publish('/stories/0123456789abcdef', messages)).rejects.toThrow(
    'Publishing to /stories/0123456789abcdef: 4 event(s) failed: #1 400 Event too large; #2 400 Event too large; #3 400 Event too large; #4 400 Event too large',
  );
  // The second batch is not sent after the first failed: the retry sends them all again, in order.
  expect(received).toHaveLength(1);
});

it('throws on a server error and on an answer that is not the documented JSON', async () => {
  answer = () => ({ status: 503, body: 'Service Unavailable' });
  await expect(publisher().publish('/stories/0123456789abcdef', [removal(1)])).rejects.toBeInstanceOf(LivePublishError);

  answer = () => ({ status: 200, body: '<html>' });
  await expect(publisher().publish('/stories/0123456789abcdef', [removal(1)])).rejects.toThrow(
    'The publish endpoint answered with something other than JSON: <html>',
  );
});
