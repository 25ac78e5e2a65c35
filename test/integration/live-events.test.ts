import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SignatureV4 } from '@smithy/signature-v4';
import { WebSocket } from 'ws';
import { LIVE_NAMESPACE } from '../../shared/live/channels';
import { IdentityRegistry } from '../../infra/local/access/identities';
import { LOCAL_REGION } from '../../infra/local/engines/local-clients';
import { newAppSyncApiKey } from '../../infra/local/live/api-key';
import {
  CONNECTION_TIMEOUT_MS,
  EVENT_WS_SUBPROTOCOL,
  MAX_EVENT_BYTES,
  type ServerMessage,
} from '../../infra/local/live/event-api-protocol';
import { startLiveEventsServer, type LiveEventsServer } from '../../infra/local/live/live-events-server';
import { frameText } from '../../infra/local/live/frame-text';
import { NodeSha256 } from '../../shared/adapters/aws/node-sha256';
import { WIDGET_PATH } from '../../infra/widget/build-widget';
import { http, type HttpReply } from '../support/http';
import { LIVE_TEST_ARNS, liveTestIdentity } from '../support/live-identities';
import { withLocalStack } from '../support/local-stack';
import {
  authorizationSubprotocol,
  LiveProtocolError,
  LiveSubscriber,
  type LiveEndpoint,
} from '../support/live-subscriber';

/**
 * The local AppSync Event API (`infra/local/live/`) on its own, with a publisher that holds the
 * `publishLiveUpdates` grant and a bystander that does not: the real-time protocol a reader's
 * widget speaks, and the signed HTTP publish the backend sends. Last, that the local stack tells
 * the widget and the tools where it is.
 */
const arns = LIVE_TEST_ARNS;
const publisher = liveTestIdentity('publish-live-updates', { publishLiveUpdates: true });
const bystander = liveTestIdentity('record-votes', { publishEvents: true });
const apiKey = newAppSyncApiKey();
const KEEP_ALIVE_MS = 50;
const MAX_SUBSCRIPTIONS = 3;

let server: LiveEventsServer;
let endpoint: LiveEndpoint;
const open: LiveSubscriber[] = [];
let channelCount = 0;

beforeAll(async () => {
  server = await startLiveEventsServer({
    apiKey,
    identities: new IdentityRegistry([publisher, bystander]),
    region: LOCAL_REGION,
    namespace: LIVE_NAMESPACE,
    namespaceArn: arns.liveUpdatesNamespace!,
    keepAliveIntervalMs: KEEP_ALIVE_MS,
    maxSubscriptionsPerConnection: MAX_SUBSCRIPTIONS,
  });
  endpoint = { realtimeUrl: server.realtimeUrl, host: server.host, apiKey };
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((subscriber) => subscriber.close()));
});

afterAll(async () => {
  await server?.stop();
});

/** A channel no other test uses: each test's subscribers see only its own publishes. */
function freshChannel(): string {
  channelCount += 1;
  return `/${LIVE_NAMESPACE}/${channelCount.toString(16).padStart(16, '0')}`;
}

async function connect(overrides: Partial<LiveEndpoint> = {}): Promise<LiveSubscriber> {
  const subscriber = await LiveSubscriber.connect({ ...endpoint, ...overrides });
  open.push(subscriber);
  return subscriber;
}

interface Signing {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  region?: string;
  service?: string;
  signingDate?: Date;
  /** Whether the signer adds `x-amz-content-sha256` (the SDK's default). */
  applyChecksum?: boolean;
}

/** A publish as the backend sends it: POST /event signed with SigV4 for `appsync`. */
async function signedPublish(
  body: unknown,
  signing: Signing = {},
  alter: (request: { headers: Record<string, string>; body: string }) => void = () => undefined,
): Promise<HttpReply> {
  const url = new URL(server.httpUrl);
  const signer = new SignatureV4({
    credentials: signing.credentials ?? publisher,
    region: signing.region ?? LOCAL_REGION,
    service: signing.service ?? 'appsync',
    sha256: NodeSha256,
    applyChecksum: signing.applyChecksum ?? true,
  });
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: url.pathname,
      headers: { host: url.host, 'content-type': 'application/json' },
      body: text,
    },
    signing.signingDate ? { signingDate: signing.signingDate } : {},
  );
  const request = { headers: { ...signed.headers }, body: text };
  alter(request);
  // fetch names the host itself, as signed.
  const { host: _host, ...headers } = request.headers;
  return http(server.httpUrl, { method: 'POST', headers, body: request.body });
}

const storyEvent = (n: number) => JSON.stringify({ kind: 'poll', articleId: 'a1', version: n, totalVotes: n });

/** The data frames a subscriber received, as sent. */
const dataFrames = (subscriber: LiveSubscriber) =>
  subscriber.messages.filter((message): message is Extract<ServerMessage, { type: 'data' }> => message.type === 'data');

describe('the real-time endpoint', () => {
  it("acknowledges connection_init with AppSync's connection timeout, then keeps the connection alive", async () => {
    // Act
    const subscriber = await connect();
    await subscriber.next((message) => message.type === 'ka');

    // Assess
    expect(subscriber.messages[0]).toEqual({ type: 'connection_ack', connectionTimeoutMs: CONNECTION_TIMEOUT_MS });
    expect(subscriber.messages.slice(1).every((message) => message.type === 'ka')).toBe(true);
  });

  it.each([
    ['a wrong key', [EVENT_WS_SUBPROTOCOL, authorizationSubprotocol({ host: 'h', 'x-api-key': 'da2-wrong' })]],
    ['no authorization subprotocol', [EVENT_WS_SUBPROTOCOL]],
    ['authorization that is not base64url JSON', [EVENT_WS_SUBPROTOCOL, 'header-bm90IGpzb24']],
  ])('refuses a connection with %s at connection_init, then closes it', async (_case, protocols) => {
    // Prepare
    const socket = new WebSocket(server.realtimeUrl, protocols);
    const frames: ServerMessage[] = [];
    socket.on('message', (data) => frames.push(JSON.parse(frameText(data)) as ServerMessage));
    await new Promise((resolve) => socket.once('open', resolve));

    // Act
    socket.send(JSON.stringify({ type: 'connection_init' }));
    const closeCode = await new Promise<number>((resolve) => socket.once('close', resolve));

    // Assess
    expect(socket.protocol).toBe(EVENT_WS_SUBPROTOCOL);
    expect(frames).toEqual([
      {
        type: 'connection_error',
        errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
      },
    ]);
    expect(closeCode).toBe(1000);
  });

  it('reports the refusal through the test client as a protocol error', async () => {
    // Act
    const connecting = LiveSubscriber.connect({ ...endpoint, apiKey: 'da2-aaaaaaaaaaaaaaaaaaaaaaaaaa' });

    // Assess
    await expect(connecting).rejects.toThrow(LiveProtocolError);
    await expect(connecting).rejects.toMatchObject({ errors: [{ errorType: 'UnauthorizedException' }] });
  });

  it('refuses an upgrade that does not offer the aws-appsync-event-ws subprotocol', async () => {
    // Act
    const socket = new WebSocket(server.realtimeUrl, ['graphql-ws']);
    const status = await new Promise<number>((resolve) =>
      socket.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0)),
    );

    // Assess
    expect(status).toBe(400);
  });

  it('answers nothing but connection_init before the ack, with an error', async () => {
    // Prepare
    const socket = new WebSocket(server.realtimeUrl, [
      EVENT_WS_SUBPROTOCOL,
      authorizationSubprotocol({ host: server.host, 'x-api-key': apiKey }),
    ]);
    await new Promise((resolve) => socket.once('open', resolve));
    const frame = new Promise<ServerMessage>((resolve) =>
      socket.once('message', (data) => resolve(JSON.parse(frameText(data)) as ServerMessage)),
    );

    // Act
    socket.send(
      JSON.stringify({ type: 'subscribe', id: 's1', channel: freshChannel(), authorization: { 'x-api-key': apiKey } }),
    );

    // Assess
    expect(await frame).toMatchObject({ type: 'error', errors: [{ errorType: 'BadRequestException' }] });
    socket.close();
  });

  it('confirms a subscription and its end by the id the client chose', async () => {
    // Prepare
    const subscriber = await connect();
    const channel = freshChannel();

    // Act
    const id = await subscriber.subscribe(channel, 'my-subscription');
    await subscriber.unsubscribe(id);
    const reply = await signedPublish({ channel, events: [storyEvent(1)] });

    // Assess
    expect(subscriber.messages).toEqual(
      expect.arrayContaining([
        { type: 'subscribe_success', id: 'my-subscription' },
        { type: 'unsubscribe_success', id: 'my-subscription' },
      ]),
    );
    expect(reply.status).toBe(200);
    expect(dataFrames(subscriber)).toEqual([]);
  });

  it('refuses to unsubscribe an id it does not know', async () => {
    // Prepare
    const subscriber = await connect();

    // Act
    const unsubscribing = subscriber.unsubscribe('never-subscribed');

    // Assess
    await expect(unsubscribing).rejects.toMatchObject({
      type: 'unsubscribe_error',
      errors: [{ errorType: 'UnknownOperationError' }],
    });
  });

  it.each([
    ['a wrong key', { host: 'h', 'x-api-key': 'da2-bbbbbbbbbbbbbbbbbbbbbbbbbb' }],
    ['no key', { host: 'h' }],
    ['no authorization', undefined],
  ])('refuses a subscription with %s', async (_case, authorization) => {
    // Prepare
    const subscriber = await connect();
    const reply = subscriber.next((message) => message.type === 'subscribe_error');

    // Act
    subscriber.send({ type: 'subscribe', id: 'sub-1', channel: freshChannel(), authorization });

    // Assess
    expect(await reply).toEqual({
      type: 'subscribe_error',
      id: 'sub-1',
      errors: [{ errorType: 'UnauthorizedException', message: 'You are not authorized to make this call.' }],
    });
  });

  it('refuses a second subscription with an id the connection already uses', async () => {
    // Prepare
    const subscriber = await connect();
    await subscriber.subscribe(freshChannel(), 'same-id');

    // Act
    const again = subscriber.subscribe(freshChannel(), 'same-id');

    // Assess
    await expect(again).rejects.toMatchObject({ errors: [{ errorType: 'DuplicatedOperationError' }] });
  });

  it.each([
    ['the namespace alone', '/stories'],
    ['an empty segment', '/stories//abc'],
    ['a trailing slash', '/stories/abc/'],
    ['a character outside [A-Za-z0-9-]', '/stories/abc_def'],
    ['a segment of 51 characters', `/stories/${'a'.repeat(51)}`],
    ['six segments', '/stories/a/b/c/d/e'],
    ['a wildcard before the end', '/stories/*/abc'],
    ['a wildcard namespace', '/*'],
  ])('refuses to subscribe to a channel with %s', async (_case, channel) => {
    // Prepare
    const subscriber = await connect();

    // Act
    const subscribing = subscriber.subscribe(channel);

    // Assess
    await expect(subscribing).rejects.toMatchObject({
      type: 'subscribe_error',
      errors: [{ errorType: 'BadRequestException', message: 'Invalid Channel Format' }],
    });
  });

  it('refuses to subscribe to a namespace the API does not have', async () => {
    // Prepare
    const subscriber = await connect();

    // Act
    const subscribing = subscriber.subscribe('/default/abc');

    // Assess
    await expect(subscribing).rejects.toMatchObject({ errors: [{ errorType: 'ResourceNotFound' }] });
  });

  it('refuses subscriptions past the bound on one connection', async () => {
    // Prepare
    const subscriber = await connect();
    for (let i = 0; i < MAX_SUBSCRIPTIONS; i++) await subscriber.subscribe(freshChannel());

    // Act
    const onePast = subscriber.subscribe(freshChannel());

    // Assess
    await expect(onePast).rejects.toMatchObject({ errors: [{ errorType: 'MaxSubscriptionsReachedError' }] });
  });

  it.each([
    ['text that is not JSON', 'hello', 'BadRequestException'],
    ['JSON that is not an object', '[1,2]', 'BadRequestException'],
    ['an unknown type', '{"type":"start","id":"x"}', 'UnsupportedOperation'],
    ['a second connection_init', '{"type":"connection_init"}', 'BadRequestException'],
  ])('answers %s with an error frame and stays open', async (_case, frame, errorType) => {
    // Prepare
    const subscriber = await connect();
    const reply = subscriber.next((message) => message.type === 'error');

    // Act
    subscriber.send(frame);

    // Assess
    expect(await reply).toMatchObject({ type: 'error', errors: [{ errorType }] });
    await expect(subscriber.subscribe(freshChannel())).resolves.toEqual(expect.any(String));
  });

  it('refuses a publish over the socket: the key only subscribes', async () => {
    // Prepare
    const subscriber = await connect();
    const reply = subscriber.next((message) => message.type === 'publish_error');

    // Act
    subscriber.send({
      type: 'publish',
      id: 'p1',
      channel: freshChannel(),
      events: ['{}'],
      authorization: { 'x-api-key': apiKey },
    });

    // Assess
    expect(await reply).toMatchObject({ id: 'p1', errors: [{ errorType: 'UnauthorizedException' }] });
  });

  it("closes a connection that sends a frame past AppSync's event size", async () => {
    // Prepare
    const subscriber = await connect();

    // Act
    subscriber.send('x'.repeat(MAX_EVENT_BYTES + 1));

    // Assess: 1009, "message too big"
    expect(await subscriber.closeCode()).toBe(1009);
  });
});

describe('publishing over HTTP', () => {
  it('delivers each event, as published and in order, to every subscriber of the channel and no other', async () => {
    // Prepare
    const [first, second, elsewhere] = await Promise.all([connect(), connect(), connect()]);
    const channel = freshChannel();
    const other = freshChannel();
    const firstId = await first.subscribe(channel);
    const secondId = await second.subscribe(channel);
    await elsewhere.subscribe(other);
    const events = [storyEvent(1), storyEvent(2)];

    // Act
    const reply = await signedPublish({ channel, events });
    await Promise.all([first.waitForEvents(2), second.waitForEvents(2)]);
    await signedPublish({ channel: other, events: [storyEvent(9)] });
    await elsewhere.waitForEvents(1);

    // Assess
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      successful: [
        { identifier: expect.any(String), index: 0 },
        { identifier: expect.any(String), index: 1 },
      ],
      failed: [],
    });
    expect(dataFrames(first)).toEqual(events.map((event) => ({ type: 'data', id: firstId, event })));
    expect(dataFrames(second)).toEqual(events.map((event) => ({ type: 'data', id: secondId, event })));
    expect(elsewhere.events.map((received) => received.event)).toEqual([JSON.parse(storyEvent(9))]);
  });

  it('delivers to wildcard subscriptions at any depth below their prefix', async () => {
    // Prepare
    const subscriber = await connect();
    const channel = freshChannel();
    const everyStory = await subscriber.subscribe(`/${LIVE_NAMESPACE}/*`);
    const below = await subscriber.subscribe(`${channel}/*`);

    // Act
    await signedPublish({ channel, events: [storyEvent(1)] });
    await signedPublish({ channel: `${channel}/corrections`, events: [storyEvent(2)] });
    await subscriber.waitForEvents(3);

    // Assess
    const frames = dataFrames(subscriber);
    expect(frames).toHaveLength(3);
    expect(frames).toEqual(
      expect.arrayContaining([
        { type: 'data', id: everyStory, event: storyEvent(1) },
        { type: 'data', id: everyStory, event: storyEvent(2) },
        { type: 'data', id: below, event: storyEvent(2) },
      ]),
    );
  });

  it('takes a channel written without its leading slash, as AppSync does', async () => {
    // Prepare
    const subscriber = await connect();
    const channel = freshChannel();
    await subscriber.subscribe(channel);

    // Act
    const reply = await signedPublish({ channel: channel.slice(1), events: [storyEvent(1)] });

    // Assess
    expect(reply.status).toBe(200);
    expect((await subscriber.waitForEvents(1))[0]?.event).toEqual(JSON.parse(storyEvent(1)));
  });

  it('takes an event of exactly 240 KB', async () => {
    // Prepare
    const event = JSON.stringify('x'.repeat(MAX_EVENT_BYTES - 2));

    // Act
    const reply = await signedPublish({ channel: freshChannel(), events: [event] });

    // Assess
    expect(reply.status).toBe(200);
  });

  const otherSecret = { ...publisher, secretAccessKey: 'not-the-secret' };
  const changeEvents = (request: { body: string }) => {
    request.body = JSON.stringify({ ...JSON.parse(request.body), events: [storyEvent(666)] });
  };
  it.each<[string, Signing, (request: { headers: Record<string, string>; body: string }) => void, number, string]>([
    ['an API key alone', {}, (r) => replaceAuthorization(r, { 'x-api-key': apiKey }), 401, 'UnauthorizedException'],
    ['no authorization at all', {}, (r) => replaceAuthorization(r, {}), 401, 'UnauthorizedException'],
    ['a body changed after signing', {}, changeEvents, 400, 'BadRequestException'],
    [
      'a body changed after signing without a content hash',
      { applyChecksum: false },
      changeEvents,
      400,
      'BadRequestException',
    ],
    ['a signature made with another secret', { credentials: otherSecret }, () => undefined, 400, 'BadRequestException'],
    [
      'a date six minutes old',
      { signingDate: new Date(Date.now() - 6 * 60_000) },
      () => undefined,
      400,
      'BadRequestException',
    ],
    [
      'a date six minutes ahead',
      { signingDate: new Date(Date.now() + 6 * 60_000) },
      () => undefined,
      400,
      'BadRequestException',
    ],
    ['another region', { region: 'eu-west-1' }, () => undefined, 400, 'BadRequestException'],
    ['another service', { service: 'execute-api' }, () => undefined, 400, 'BadRequestException'],
    [
      'an unknown access key',
      { credentials: { ...publisher, accessKeyId: 'AKIAUNKNOWN' } },
      () => undefined,
      401,
      'UnauthorizedException',
    ],
    [
      "another function's session token",
      { credentials: { ...publisher, sessionToken: bystander.sessionToken } },
      () => undefined,
      401,
      'UnauthorizedException',
    ],
    ['a caller without the publish grant', { credentials: bystander }, () => undefined, 401, 'UnauthorizedException'],
  ])('refuses a publish with %s and delivers nothing', async (_case, signing, alter, status, errorType) => {
    // Prepare
    const subscriber = await connect();
    const channel = freshChannel();
    await subscriber.subscribe(channel);

    // Act
    const reply = await signedPublish({ channel, events: [storyEvent(1)] }, signing, alter);
    await signedPublish({ channel, events: [storyEvent(7)] });
    await subscriber.waitForEvents(1);

    // Assess
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ errors: [{ errorType, message: expect.any(String) }] });
    expect(subscriber.events.map((received) => received.event)).toEqual([JSON.parse(storyEvent(7))]);
  });

  it('names the caller and the missing grant when IAM refuses a publish', async () => {
    // Act
    const reply = await signedPublish({ channel: freshChannel(), events: [storyEvent(1)] }, { credentials: bystander });

    // Assess
    expect(reply.body.errors[0].message).toContain(
      `${bystander.principal} is not authorized to perform: appsync:EventPublish on resource: ${arns.liveUpdatesNamespace}`,
    );
  });

  it.each<[string, unknown, number, string]>([
    [
      'six events',
      { channel: '/stories/abc', events: Array.from({ length: 6 }, (_, n) => storyEvent(n)) },
      400,
      'BadRequestException',
    ],
    ['no events', { channel: '/stories/abc', events: [] }, 400, 'BadRequestException'],
    [
      'an event over 240 KB',
      { channel: '/stories/abc', events: [JSON.stringify('x'.repeat(MAX_EVENT_BYTES - 1))] },
      400,
      'BadRequestException',
    ],
    ['an event that is not JSON', { channel: '/stories/abc', events: ['{not json'] }, 400, 'BadRequestException'],
    [
      'an event that is not a string',
      { channel: '/stories/abc', events: [{ kind: 'poll' }] },
      400,
      'BadRequestException',
    ],
    ['a wildcard channel', { channel: '/stories/*', events: [storyEvent(1)] }, 400, 'BadRequestException'],
    ['a malformed channel', { channel: '/stories/a b', events: [storyEvent(1)] }, 400, 'BadRequestException'],
    [
      'a namespace the API does not have',
      { channel: '/default/abc', events: [storyEvent(1)] },
      404,
      'ResourceNotFound',
    ],
    ['a body that is not JSON', 'channel=/stories/abc', 400, 'BadRequestException'],
  ])('refuses a signed publish of %s', async (_case, body, status, errorType) => {
    // Act
    const reply = await signedPublish(body);

    // Assess
    expect(reply.status).toBe(status);
    expect(reply.body).toEqual({ errors: [{ errorType, message: expect.any(String) }] });
  });

  it('answers anything but a publish with 404 and a JSON error', async () => {
    // Act
    const reply = await http(server.httpUrl);

    // Assess
    expect(reply.status).toBe(404);
    expect(reply.body).toEqual({ errors: [{ errorType: 'NotFoundException', message: expect.any(String) }] });
  });
});

/** Drops the signature (and its headers) and sends `extra` instead. */
function replaceAuthorization(request: { headers: Record<string, string> }, extra: Record<string, string>): void {
  const { authorization: _a, 'x-amz-date': _d, 'x-amz-security-token': _t, ...rest } = request.headers;
  request.headers = { ...rest, ...extra };
}

describe('in the local stack', () => {
  const local = withLocalStack({ name: 'live-events' });

  it('writes the live endpoints to endpoints.json and serves them to the widget in config.json', async () => {
    // Act
    const written = JSON.parse(await readFile(join(local.dataDir, 'endpoints.json'), 'utf8'));
    const config = await http(`${local.api}${WIDGET_PATH}config.json`);
    const subscriber = await connect({
      realtimeUrl: config.body.live.realtimeUrl,
      host: config.body.live.host,
      apiKey: config.body.live.apiKey,
    });

    // Assess
    expect(written).toMatchObject({
      liveRealtimeUrl: expect.stringMatching(/^ws:\/\/127\.0\.0\.1:\d+\/event\/realtime$/),
      liveHttpUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/event$/),
      liveApiKey: expect.stringMatching(/^da2-[a-z0-9]{26}$/),
    });
    expect(config.body.live).toEqual({
      realtimeUrl: written.liveRealtimeUrl,
      host: new URL(written.liveHttpUrl).host,
      apiKey: written.liveApiKey,
    });
    await expect(subscriber.subscribe(`/${LIVE_NAMESPACE}/0123456789abcdef`)).resolves.toEqual(expect.any(String));
  });
});
