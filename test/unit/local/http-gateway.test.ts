import { startHttpGateway } from '../../../infra/local/http-gateway';
import type { LocalSigningKey } from '../../../infra/local/auth';
import type { LocalFunction } from '../../../infra/local/local-function';
import { rawClient } from '../../support/raw-http';

/** A route whose function answers with the event it was given, so the test sees what a handler sees. */
const echo: LocalFunction = {
  declaration: {
    name: 'echo-event',
    description: 'test',
    trigger: { kind: 'http', method: 'POST', path: '/echo/{id}', access: 'public' },
    needs: {},
  },
  invoke: async (event) => ({
    statusCode: 200,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(event),
  }),
};

let gateway: Awaited<ReturnType<typeof startHttpGateway>>;
let client: ReturnType<typeof rawClient>;

beforeAll(async () => {
  gateway = await startHttpGateway({
    routes: [{ trigger: echo.declaration.trigger as never, fn: echo }],
    // Public routes only: the key is never used.
    signingKey: {} as LocalSigningKey,
    port: 0,
    extraOrigins: ['http://localhost:5173'],
  });
  client = rawClient(gateway.url);
});

afterAll(async () => {
  client.close();
  await gateway.stop();
});

describe('the local HTTP gateway with hostile requests', () => {
  it('answers a request Node cannot parse with a JSON 400, not a bare one', async () => {
    const reply = await client.send({ method: 'POST', path: '/echo/\u00ff\u00fe' });

    expect(reply.status).toBe(400);
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
    expect(JSON.parse(reply.text)).toEqual({ error: { code: 'bad_request', message: expect.any(String) } });
  });

  it('answers headers too large to parse with a JSON 431', async () => {
    const reply = await client.send({ method: 'POST', path: '/echo/1', headers: { 'x-padding': 'p'.repeat(20_000) } });

    expect(reply.status).toBe(431);
    expect(JSON.parse(reply.text)).toEqual({ error: { code: 'headers_too_large', message: expect.any(String) } });
  });

  it('passes a __proto__ query parameter on as a field, as API Gateway does', async () => {
    const reply = await client.send({ method: 'POST', path: '/echo/1?__proto__=x&a=1&a=2' });

    const event = JSON.parse(reply.text);
    expect(Object.keys(event.queryStringParameters).sort()).toEqual(['__proto__', 'a']);
    expect(Object.getOwnPropertyDescriptor(event.queryStringParameters, '__proto__')?.value).toBe('x');
    expect(event.queryStringParameters.a).toBe('1,2');
  });

  it('hands a text body that is not UTF-8 to the handler base64-encoded, byte for byte', async () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d]);

    const reply = await client.send({
      method: 'POST',
      path: '/echo/1',
      headers: { 'content-type': 'application/json' },
      body: bytes,
    });

    const event = JSON.parse(reply.text);
    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body, 'base64')).toEqual(bytes);
  });

  it('hands a UTF-8 text body over as text', async () => {
    const reply = await client.send({
      method: 'POST',
      path: '/echo/1',
      headers: { 'content-type': 'application/json' },
      body: Buffer.from('{"a":"é"}'),
    });

    expect(JSON.parse(reply.text)).toMatchObject({ isBase64Encoded: false, body: '{"a":"é"}' });
  });
});

describe('the local HTTP gateway and browsers (CORS)', () => {
  const preflight = (origin: string) =>
    client.send({
      method: 'OPTIONS',
      path: '/echo/1',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });

  it("answers a preflight from the stack's own origin and from a configured one", async () => {
    for (const origin of [gateway.url, 'http://localhost:5173']) {
      const reply = await preflight(origin);

      expect(reply.status).toBe(204);
      expect(reply.headers['access-control-allow-origin']).toBe(origin);
      expect(reply.headers['access-control-allow-methods']).toBe('POST');
      expect(reply.headers['access-control-allow-headers']).toContain('idempotency-key');
    }
  });

  it('gives any other origin no CORS headers, on a preflight or a request', async () => {
    const reply = await preflight('https://evil.example');
    const request = await client.send({ method: 'POST', path: '/echo/1', headers: { origin: 'https://evil.example' } });

    expect(reply.headers).not.toHaveProperty('access-control-allow-origin');
    expect(request.status).toBe(200);
    expect(request.headers).not.toHaveProperty('access-control-allow-origin');
  });

  it('lets an allowed page read the correlation id and Retry-After of a response', async () => {
    const request = await client.send({
      method: 'POST',
      path: '/echo/1',
      headers: { origin: 'http://localhost:5173' },
    });

    expect(request.headers['access-control-allow-origin']).toBe('http://localhost:5173');
    expect(request.headers['access-control-expose-headers']).toContain('x-correlation-id');
    expect(request.headers['access-control-expose-headers']).toContain('retry-after');
  });
});
