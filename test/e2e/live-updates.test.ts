/**
 * Live updates end to end, through the local stack: what readers do goes onto the bus, the
 * live-update publisher publishes it (signed, over HTTP) to the story's channel on the local Event
 * API, and readers subscribed with the public key receive it over WebSocket, as in AWS.
 * Latency is measured by `npm run bench -- live`, not asserted here.
 */
import { liveMessageSchema, type LiveMessage } from '../../shared/live/live-shapes';
import { storyChannel } from '../../shared/live/channels';
import { http } from '../support/http';
import { LiveSubscriber, type LiveEndpoint } from '../support/live-subscriber';
import { withLocalStack } from '../support/local-stack';
import { mintReader, type MintedReader } from '../support/reader-tokens';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

const local = withLocalStack({ name: 'live', env: { RATE_LIMITS: 'off' } });

let editor: string;
let story: string;
let otherStory: string;
/** Two readers with the story open, and one with another story open. */
let first: LiveSubscriber;
let second: LiveSubscriber;
let elsewhere: LiveSubscriber;
/** Every reader who wrote anything here, to look for their secrets in what was pushed. */
const writers: MintedReader[] = [];

const endpoint = (): LiveEndpoint => {
  const { liveRealtimeUrl, liveHttpUrl, liveApiKey } = local.stack.endpoints;
  return { realtimeUrl: liveRealtimeUrl, host: new URL(liveHttpUrl).host, apiKey: liveApiKey };
};

async function newStory(headline: string): Promise<string> {
  const created = await http(`${local.api}/articles`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
    body: SAMPLE_STORY_TEXT.replace('Harbor Town Votes to Rebuild Its Old Ferry Pier', headline),
  });
  expect(created.status).toBe(201);
  return created.body.id as string;
}

async function writer(): Promise<MintedReader> {
  const reader = await mintReader(local.api);
  writers.push(reader);
  return reader;
}

async function post(path: string, body: unknown, headers: Record<string, string>, method = 'POST') {
  return http(`${local.api}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/** The messages a subscriber has received so far, each checked against its published shape. */
const received = (subscriber: LiveSubscriber): LiveMessage[] =>
  subscriber.events.map(({ event }) => liveMessageSchema.parse(event));

/** Waits until the subscriber has a message that matches, and returns it. */
async function message<K extends LiveMessage['kind']>(
  subscriber: LiveSubscriber,
  kind: K,
  matches: (message: Extract<LiveMessage, { kind: K }>) => boolean = () => true,
): Promise<Extract<LiveMessage, { kind: K }>> {
  const find = () =>
    received(subscriber).find(
      (candidate): candidate is Extract<LiveMessage, { kind: K }> =>
        candidate.kind === kind && matches(candidate as Extract<LiveMessage, { kind: K }>),
    );
  for (const deadline = Date.now() + 15_000; Date.now() < deadline;) {
    const found = find();
    if (found) return found;
    await subscriber.next((frame) => frame.type === 'data', deadline - Date.now()).catch(() => undefined);
  }
  throw new Error(`No ${kind} message arrived; received: ${JSON.stringify(received(subscriber))}`);
}

beforeAll(async () => {
  editor = await local.token('editor');
  story = await newStory('Live Readers Watch the Ferry Pier Vote');
  otherStory = await newStory('A Quiet Story Nobody Touches');
  await local.stack.idle();
  [first, second, elsewhere] = await Promise.all([
    LiveSubscriber.connect(endpoint()),
    LiveSubscriber.connect(endpoint()),
    LiveSubscriber.connect(endpoint()),
  ]);
  await Promise.all([
    first.subscribe(storyChannel(story)),
    second.subscribe(storyChannel(story)),
    elsewhere.subscribe(storyChannel(otherStory)),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([first?.close(), second?.close(), elsewhere?.close()]);
});

describe('live updates on a story channel', () => {
  it("sends a third reader's vote to both readers with the story open, as whole results", async () => {
    const voter = await writer();
    const poll = await http(`${local.api}/articles/${story}/poll`);
    const option = poll.body.options[0].id as string;

    const vote = await post(`/articles/${story}/poll/votes`, { option }, voter.headers);
    const [toFirst, toSecond] = await Promise.all([
      message(first, 'poll', (update) => update.totalVotes === 1),
      message(second, 'poll', (update) => update.totalVotes === 1),
    ]);

    expect(vote.status).toBe(201);
    expect(toFirst).toEqual(toSecond);
    expect(toFirst).toMatchObject({ kind: 'poll', articleId: story, question: poll.body.question, totalVotes: 1 });
    expect(toFirst.options.find((candidate) => candidate.id === option)).toMatchObject({ votes: 1, percent: 100 });
    expect(toFirst.options.reduce((sum, candidate) => sum + candidate.percent, 0)).toBe(100);
  });

  it('sends an approved comment, and nothing for one held for review', async () => {
    const reader = await writer();
    const held = await post(
      `/articles/${story}/comments`,
      { author: 'Promoter', body: 'Cheap ferry tickets at www.example.com today' },
      reader.headers,
    );
    const posted = await post(
      `/articles/${story}/comments`,
      { author: 'Pier Watcher', body: 'I watched the vote from the harbour wall.' },
      reader.headers,
    );

    const pushed = await message(first, 'comment', (update) => update.comment.id === posted.body.id);
    await local.stack.idle();

    expect(held.body.status).toBe('pending');
    expect(pushed.comment).toMatchObject({
      id: posted.body.id,
      articleId: story,
      author: 'Pier Watcher',
      body: 'I watched the vote from the harbour wall.',
      status: 'approved',
    });
    expect(pushed.comment).not.toHaveProperty('readerId');
    const comments = received(first).filter((update) => update.kind === 'comment');
    expect(comments.map((update) => update.kind === 'comment' && update.comment.id)).not.toContain(held.body.id);
  });

  it('sends comment-removed when an editor hides a comment', async () => {
    const reader = await writer();
    const posted = await post(
      `/articles/${story}/comments`,
      { author: 'Short-lived', body: 'This one will not stay up for long.' },
      reader.headers,
    );
    const shown = await message(second, 'comment', (update) => update.comment.id === posted.body.id);

    const hidden = await post(
      `/comments/${posted.body.id}`,
      { status: 'hidden' },
      { authorization: `Bearer ${editor}` },
      'PATCH',
    );
    const removed = await message(second, 'comment-removed', (update) => update.commentId === posted.body.id);

    expect(hidden.status).toBe(200);
    expect(removed).toEqual({
      kind: 'comment-removed',
      articleId: story,
      commentId: posted.body.id,
      version: expect.any(Number),
    });
    expect(removed.version).toBeGreaterThan(shown.version);
  });

  it('sends the corrections when the editors publish one', async () => {
    const reader = await writer();
    const report = await post(
      `/articles/${story}/error-reports`,
      { category: 'factual', description: 'The pier is older than the story says.', contact: 'reader@example.com' },
      reader.headers,
    );
    const editorHeaders = { authorization: `Bearer ${editor}` };
    const closed = await post(
      `/error-reports/${report.body.reportId}`,
      { status: 'corrected', correction: 'An earlier version gave the wrong year for the pier.' },
      editorHeaders,
      'PATCH',
    );

    const corrections = await message(first, 'corrections');

    expect(closed.status).toBe(200);
    expect(corrections).toEqual({
      kind: 'corrections',
      articleId: story,
      corrections: [{ text: 'An earlier version gave the wrong year for the pier.', correctedAt: expect.any(String) }],
    });
  });

  it('sends nothing to a reader who has another story open', async () => {
    await local.stack.idle();

    expect(elsewhere.events).toEqual([]);
  });

  it('never pushes a reader secret: no reader id, token, address or contact', async () => {
    await local.stack.idle();
    const pushed = JSON.stringify([...first.events, ...second.events]);

    expect(first.events.length).toBeGreaterThan(0);
    for (const reader of writers) {
      expect(pushed).not.toContain(reader.readerId);
      expect(pushed).not.toContain(reader.token);
      expect(pushed).not.toContain(reader.headers['x-forwarded-for']);
    }
    expect(pushed).not.toContain('reader@example.com');
  });
});
