import { PutEventsCommand, EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { mockClient } from 'aws-sdk-client-mock';
import { createEventPublisher } from '../../../shared/adapters/aws/event-publisher';
import { httpHandler } from '../../../shared/http/http-handler';
import { json } from '../../../shared/http/responses';
import { NotFoundError } from '../../../shared/errors';
import {
  CORRELATION_RESOURCE_PREFIX,
  correlationIdOfBusEvent,
  correlationIdOfEvent,
} from '../../../shared/observability/correlation';
import { eventHandler } from '../../../shared/observability/event-handler';
import { logger } from '../../../shared/observability/logger';
import { apiEvent, lambdaContext, setHandlerEnv } from '../../support/api-events';

setHandlerEnv();
const eventBridge = mockClient(EventBridgeClient);
beforeEach(() => {
  eventBridge.reset();
  eventBridge.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
});

/** The keys of a log line written inside the invocation (the logger's own output, parsed). */
function loggedKeys(): Record<string, unknown> {
  let line = '';
  const write = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    line += String(chunk);
    return true;
  });
  try {
    logger.info('probe');
  } finally {
    write.mockRestore();
  }
  return JSON.parse(line) as Record<string, unknown>;
}
beforeAll(() => logger.setLogLevel('INFO'));

const seenKeys: Array<Record<string, unknown>> = [];
const ok = httpHandler(async () => {
  seenKeys.push(loggedKeys());
  return json(200, { ok: true });
});
const missing = httpHandler(async () => {
  throw new NotFoundError('No such story');
});

describe('HTTP correlation id', () => {
  beforeEach(() => (seenKeys.length = 0));

  it('adopts a valid x-correlation-id, logs it as correlation_id and echoes it', async () => {
    const reply = await ok(apiEvent({ headers: { 'X-Correlation-Id': 'client-chosen-0042' } }), lambdaContext());

    expect(reply.headers['x-correlation-id']).toBe('client-chosen-0042');
    expect(seenKeys[0]).toMatchObject({ correlation_id: 'client-chosen-0042' });
  });

  it('falls back to the gateway request id for a missing or forged header', async () => {
    const forged = await ok(apiEvent({ headers: { 'x-correlation-id': 'a"b\nlevel=ERROR' } }), lambdaContext());
    const short = await ok(apiEvent({ headers: { 'x-correlation-id': 'abc' } }), lambdaContext());
    const none = await ok(apiEvent({}), lambdaContext());

    expect([forged, short, none].map((r) => r.headers['x-correlation-id'])).toEqual([
      'request-1',
      'request-1',
      'request-1',
    ]);
    expect(seenKeys.map((keys) => keys.correlation_id)).toEqual(['request-1', 'request-1', 'request-1']);
  });

  it('echoes the id on error responses too', async () => {
    const reply = await missing(apiEvent({ headers: { 'x-correlation-id': 'client-chosen-0043' } }), lambdaContext());

    expect(reply.statusCode).toBe(404);
    expect(reply.headers['x-correlation-id']).toBe('client-chosen-0043');
  });
});

describe('event correlation id', () => {
  it('derives the id from a bus event (attached id first), a stream batch and an S3 notification', () => {
    const attached = { 'detail-type': 'X', id: 'evt-1', resources: [`${CORRELATION_RESOURCE_PREFIX}batch-000000042`] };
    expect(correlationIdOfEvent(attached)).toBe('batch-000000042');
    expect(correlationIdOfEvent({ 'detail-type': 'X', id: 'evt-1', resources: ['arn:aws:s3:::b'] })).toBe('evt-1');
    expect(correlationIdOfBusEvent({ id: 'evt-2', resources: [`${CORRELATION_RESOURCE_PREFIX}bad id!`] })).toBe(
      'evt-2',
    );
    expect(correlationIdOfEvent({ Records: [{ eventID: 'stream-1' }, { eventID: 'stream-2' }] })).toBe('stream-1');
    expect(correlationIdOfEvent({ Records: [{ responseElements: { 'x-amz-request-id': 'S3REQ1' } }] })).toBe('S3REQ1');
    expect(correlationIdOfEvent(undefined)).toBeUndefined();
  });

  it('events published while handling a stream batch carry its id, which their consumer adopts', async () => {
    const publisher = createEventPublisher();
    const streamConsumer = eventHandler(async () => {
      await publisher.publish([{ detailType: 'ArticleIngested', detail: { articleId: '0123456789abcdef' } } as never]);
    });
    await streamConsumer({ Records: [{ eventID: 'b1f0c0de-stream-record' }] }, lambdaContext());

    const entry = eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]!;
    expect(entry.Resources).toEqual([`${CORRELATION_RESOURCE_PREFIX}b1f0c0de-stream-record`]);
    expect(JSON.parse(entry.Detail!)).toEqual({ articleId: '0123456789abcdef' });

    let adopted: unknown;
    const busConsumer = eventHandler(async () => {
      adopted = loggedKeys().correlation_id;
    });
    await busConsumer({ 'detail-type': entry.DetailType, id: 'evt-9', resources: entry.Resources }, lambdaContext());
    expect(adopted).toBe('b1f0c0de-stream-record');
  });

  it('publishes without resources outside an invocation', async () => {
    await createEventPublisher().publish([{ detailType: 'ArticleIngested', detail: {} } as never]);

    expect(eventBridge.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries![0]).not.toHaveProperty('Resources');
  });
});
