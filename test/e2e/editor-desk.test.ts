/**
 * What the editors' desk calls, through the local stack (the same handlers, topology, stream and
 * bus as AWS), driven over HTTP as the desk would: queue counts that follow the decisions, an undo
 * that puts a hidden comment back where readers see it, and the alerts list that every editor
 * reads, which names a new error report and a refused ingest and carries no reader's contact.
 */
import { type RunningLocalStack } from '../../infra/local/local-stack';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';
import { waitFor } from '../support/wait-for';

const local = withLocalStack({ name: 'editor-desk', env: { RATE_LIMITS: 'off' } });
let stack: RunningLocalStack;
let api: string;
let editor: string;
/** A second editor: the desk's lists are the same for every editor. */
let otherEditor: string;
let asReader: Record<string, string>;
let storyId: string;
let headline: string;
const EDITOR_SUBJECT = 'desk-editor-1';
const CONTACT = 'private.reader@example.org';

beforeAll(async () => {
  ({ stack, api } = local);
  editor = await local.token('editor', EDITOR_SUBJECT);
  otherEditor = await local.token('editor', 'desk-editor-2');
  asReader = (await local.reader()).headers;
  const created = await send('POST', '/articles', SAMPLE_STORY_TEXT, editor, 'text/plain');
  expect(created.status).toBe(201);
  storyId = created.body.id;
  headline = (await http(`${api}/articles/${storyId}`)).body.headline;
  expect(headline).toBe('Harbor Town Votes to Rebuild Its Old Ferry Pier');
}, 60_000);

function send(method: string, path: string, body: unknown, token?: string, contentType = 'application/json') {
  return http(`${api}${path}`, {
    method,
    headers: {
      'content-type': contentType,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const asEditor = (path: string, token = editor) =>
  http(`${api}${path}`, { headers: { authorization: `Bearer ${token}` } });

async function postComment(body: string, parentId?: string): Promise<{ id: string; status: string }> {
  const posted = await http(`${api}/articles/${storyId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...asReader },
    body: JSON.stringify({ author: 'Reader', body, ...(parentId ? { parentId } : {}) }),
  });
  expect(posted.status).toBe(201);
  return posted.body;
}

const queue = (status: 'pending' | 'flagged') => asEditor(`/moderation/comments?status=${status}`);

async function listed(): Promise<{ ids: string[]; total: number }> {
  const listing = await http(`${api}/articles/${storyId}/comments?limit=100`);
  return {
    ids: listing.body.items.flatMap((thread: { id: string; replies: { id: string }[] }) => [
      thread.id,
      ...thread.replies.map((reply) => reply.id),
    ]),
    total: listing.body.total,
  };
}

describe('the moderation queue as the desk works it', () => {
  it('counts each queue exactly, and the counts follow every decision and undo', async () => {
    const parent = await postComment('A thread readers can answer.');
    const held = [];
    for (const n of [1, 2, 3]) held.push(await postComment(`See https://example.com/${n} for more`, parent.id));
    expect(held.map((comment) => comment.status)).toEqual(['pending', 'pending', 'pending']);
    await stack.idle();

    const first = await queue('pending');
    expect(first.status).toBe(200);
    expect(first.body.counts).toEqual({ pending: 3, flagged: 0 });
    expect(first.body.items.map((item: { id: string }) => item.id)).toEqual(held.map((comment) => comment.id));
    expect(first.body.items[0]).toMatchObject({
      story: { headline, canonicalUrl: null },
      parent: { id: parent.id, body: 'A thread readers can answer.', status: 'approved' },
      undoTo: null,
    });

    const approved = await send('PATCH', `/comments/${held[0]!.id}`, { status: 'approved' }, editor);
    const rejected = await send('PATCH', `/comments/${held[1]!.id}`, { status: 'rejected' }, editor);
    await stack.idle();
    expect([approved.body.undoTo, rejected.body.undoTo]).toEqual(['pending', 'pending']);
    expect((await queue('pending')).body.counts).toEqual({ pending: 1, flagged: 0 });
    expect((await listed()).ids).toContain(held[0]!.id);

    const undone = await send(
      'PATCH',
      `/comments/${held[1]!.id}`,
      { undo: { status: 'rejected', moderatedAt: rejected.body.moderatedAt } },
      editor,
    );
    await stack.idle();
    expect(undone.status).toBe(200);
    expect(undone.body).toMatchObject({ status: 'pending', moderatedBy: EDITOR_SUBJECT, undoTo: null });
    // Back in its place: the queue is oldest first by when each comment was held.
    const after = await queue('pending');
    expect(after.body.counts).toEqual({ pending: 2, flagged: 0 });
    expect(after.body.items.map((item: { id: string }) => item.id)).toEqual([held[1]!.id, held[2]!.id]);
    // Another editor's desk sees the same counts.
    expect((await asEditor('/moderation/comments?status=pending', otherEditor)).body.counts).toEqual({
      pending: 2,
      flagged: 0,
    });

    const again = await send(
      'PATCH',
      `/comments/${held[1]!.id}`,
      { undo: { status: 'rejected', moderatedAt: rejected.body.moderatedAt } },
      editor,
    );
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('nothing_to_undo');
  });

  it('puts a hidden comment back in the public listing when the hide is undone, and tells open pages', async () => {
    const comment = await postComment('A perfectly fine remark.');
    await stack.idle();
    const before = await listed();
    expect(before.ids).toContain(comment.id);

    const hidden = await send('PATCH', `/comments/${comment.id}`, { status: 'hidden' }, editor);
    await stack.idle();
    const whileHidden = await listed();
    expect(whileHidden.ids).not.toContain(comment.id);
    expect(whileHidden.total).toBe(before.total - 1);

    const restored = await send(
      'PATCH',
      `/comments/${comment.id}`,
      { undo: { status: 'hidden', moderatedAt: hidden.body.moderatedAt } },
      editor,
    );
    await stack.idle();

    expect(restored.status).toBe(200);
    expect(restored.body).toMatchObject({ status: 'approved', undoTo: null });
    const after = await listed();
    expect(after.ids).toContain(comment.id);
    expect(after.total).toBe(before.total);
    const moderated = (await local.events())
      .filter((event) => event['detail-type'] === 'CommentModerated' && event.detail.commentId === comment.id)
      .map((event) => [event.detail.previousStatus, event.detail.status, event.detail.by]);
    expect(moderated).toEqual([
      ['approved', 'hidden', EDITOR_SUBJECT],
      ['hidden', 'approved', EDITOR_SUBJECT],
    ]);
  });

  it('keeps a delete final: it cannot be undone', async () => {
    const comment = await postComment('Gone for good.');
    const deleted = await send('PATCH', `/comments/${comment.id}`, { status: 'deleted' }, editor);

    const undo = await send(
      'PATCH',
      `/comments/${comment.id}`,
      { undo: { status: 'deleted', moderatedAt: deleted.body.moderatedAt } },
      editor,
    );

    expect(undo.status).toBe(400);
    expect(undo.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['body.undo.status']);
  });
});

describe("the editors' alerts list", () => {
  const alertsSince = async (since: string, token = editor) => {
    const page = await asEditor(`/editor/alerts?since=${encodeURIComponent(since)}`, token);
    expect(page.status).toBe(200);
    return page.body.items as Array<Record<string, any>>;
  };

  it('lists a new error report and a refused ingest for every editor, with no reader contact', async () => {
    const since = new Date().toISOString();
    const reported = await http(`${api}/articles/${storyId}/error-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...asReader },
      body: JSON.stringify({
        category: 'factual',
        description: `The pier vote was 4-3, not 5-2; write to me at ${CONTACT}.`,
        contact: CONTACT,
      }),
    });
    expect(reported.status).toBe(202);
    const refused = await send('POST', '/articles', 'just a line, no story', editor, 'text/plain');
    expect(refused.status).toBe(422);

    const alerts = await waitFor(
      async () => {
        const items = await alertsSince(since);
        return items.length >= 2 ? items : null;
      },
      { description: 'both alerts in the list' },
    );

    // Newest first; the two were recorded in whichever order their events were delivered.
    expect(alerts.map((alert) => alert.recordedAt)).toEqual(
      alerts
        .map((alert) => alert.recordedAt)
        .sort()
        .reverse(),
    );
    expect(alerts).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'ingest-rejected',
          reason: expect.objectContaining({ code: expect.any(String) }),
        }),
        expect.objectContaining({
          kind: 'error-report',
          articleId: storyId,
          headline,
          reportId: reported.body.reportId,
          category: 'factual',
          excerpt: expect.stringContaining('[e-mail]'),
        }),
      ]),
    );
    expect(alerts).toHaveLength(2);
    expect(JSON.stringify(alerts)).not.toContain(CONTACT);
    expect(await alertsSince(since, otherEditor)).toEqual(alerts);
    // Since the newest seen: that one again (inclusive), and nothing older.
    expect((await alertsSince(alerts[0]!.recordedAt)).map((alert) => alert.id)).toEqual([alerts[0]!.id]);
  });

  it('is for editors only, and answers bad input with a 400 naming the field', async () => {
    // A signed-in user outside the editors group (an anonymous reader's token is no editor JWT at all: 401).
    const reader = await asEditor('/editor/alerts', await local.token('reader'));
    const badSince = await asEditor('/editor/alerts?since=last-tuesday');

    expect((await http(`${api}/editor/alerts`)).status).toBe(401);
    expect(reader.status).toBe(403);
    expect(badSince.status).toBe(400);
    expect(badSince.body.error.details.map((detail: { path: string }) => detail.path)).toEqual(['query.since']);
  });
});
