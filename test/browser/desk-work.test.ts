/**
 * The editor desk at work in a real Chromium against the local stack, signed in through the real
 * sign-in page: an editor clears a pending queue with the keyboard alone (moving, approving,
 * hiding, undoing, deleting after the confirmation), hides a flagged comment and takes it back,
 * bans a reader from their comment (whose next post is refused), closes an error report as
 * corrected and sees the correction on the story page's widget, and reads the alerts. axe-core
 * checks every view and panel. The desk's routes refuse a reader's token. Chromium: see
 * test/support/browser.ts; screenshots go to .local/screenshots.
 */
import type { BrowserContext, Page } from 'playwright-core';
import { localSubjectOf } from '../../infra/local/auth';
import { DEFAULT_LOCAL_EDITOR } from '../../infra/local/oauth';
import { screenshot, seriousViolations, withBrowser } from '../support/browser';
import { http } from '../support/http';
import { withLocalStack } from '../support/local-stack';
import { mintReader, type MintedReader } from '../support/reader-tokens';
import { postStory } from '../support/sample-story';
import { waitFor } from '../support/wait-for';

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
const tabs = withBrowser({ viewport: { width: 1280, height: 900 } });
let context: BrowserContext;
let page: Page;
let editor: string;
let storyId: string;
const HEADLINE = 'Harbor Town Votes to Rebuild Its Old Ferry Pier';

beforeAll(async () => {
  editor = await local.token('editor');
  storyId = await postStory(local.api, editor);
}, 60_000);

/** What the page logged as errors: a script or style the CSP refused, an uncaught exception. */
let pageErrors: string[];

beforeEach(() => {
  ({ page, context } = tabs);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource/.test(message.text())) pageErrors.push(message.text());
  });
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
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
  it('hides a flagged comment and takes the hide back', async () => {
    // Prepare: a visible comment that three readers flag past the threshold.
    const author = await mintReader(local.api);
    const posted = await post(author, 'The council should have asked the ferry riders first.', 'Jo Lin');
    expect(posted.body.status).toBe('approved');
    const commentId: string = posted.body.id;
    const flaggers = await Promise.all([1, 2, 3].map(() => mintReader(local.api)));
    for (const [i, flagger] of flaggers.entries()) {
      const flag = await http(`${local.api}/comments/${commentId}/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...flagger.headers },
        body: JSON.stringify({ reason: i === 2 ? 'spam' : 'offensive' }),
      });
      expect(flag.status).toBe(201);
    }
    await local.stack.idle();
    expect(await statusOf(commentId, author.readerId)).toBe('flagged');

    // Act: open the flagged queue, hide the comment, then undo the hide.
    await signIn();
    const flaggedLink = nav().getByRole('link', { name: /^Flagged/ });
    await flaggedLink.click();
    await page.getByRole('heading', { name: 'Flagged comments', level: 1 }).waitFor();
    const item = queueList().getByRole('listitem').filter({ hasText: 'Jo Lin' });
    await item.waitFor();
    const shown = await item.textContent();
    const countBefore = await flaggedLink.textContent();
    await screenshot(page, 'desk-flagged');
    const violations = await seriousViolations(page);
    await item.getByRole('button', { name: 'Hide', exact: true }).click();
    await announced().getByText('Hid comment by Jo Lin.').waitFor();
    const countHidden = await flaggedLink.textContent();
    await local.stack.idle();
    const whileHidden = await statusOf(commentId, author.readerId);
    await page.getByRole('button', { name: 'Undo hide of comment by Jo Lin', exact: true }).click();
    await announced().getByText('Undone: the comment by Jo Lin is flagged again.').waitFor();
    await item.waitFor();
    const countRestored = await flaggedLink.textContent();
    await local.stack.idle();

    // Assess
    expect(shown).toContain('Flagged 3 times: offensive 2, spam 1.');
    expect(shown).toContain('3 since the last review, from 3 sources.');
    expect([countBefore, countHidden, countRestored]).toEqual(['Flagged 1', 'Flagged 0', 'Flagged 1']);
    expect(whileHidden).toBe('hidden');
    expect(await statusOf(commentId, author.readerId)).toBe('flagged');
    expect(violations).toEqual([]);
  }, 90_000);

  it('bans a reader from their comment, whose next post is refused, and lifts the ban', async () => {
    // Prepare: a reader whose comment the rules held.
    const reader = await mintReader(local.api);
    await postHeld(reader, 'Win big tonight at https://casino.example/pier', 'Lucky Deals');
    await local.stack.idle();

    // Act: open the reader from the comment and ban them for 7 days, with a reason.
    await signIn();
    const item = queueList().getByRole('listitem').filter({ hasText: 'Lucky Deals' });
    await item.getByRole('button', { name: 'Reader', exact: true }).click();
    const panel = page.getByRole('dialog', { name: 'Reader Lucky Deals' });
    await panel.getByText('Not banned.').waitFor();
    await panel.getByLabel('Ban for').selectOption('7d');
    await panel.getByLabel('Reason (for editors; the reader is not told)').fill('Casino spam');
    const panelViolations = await seriousViolations(page);
    const bannedAt = Date.now();
    await panel.getByRole('button', { name: 'Ban reader' }).click();
    await panel.getByText(/^Banned until .+\.$/).waitFor();
    await screenshot(page, 'desk-reader-banned');
    const history = await panel.getByRole('list').first().textContent();
    const bannedViolations = await seriousViolations(page);
    const record = await asEditor(`/moderation/readers/${reader.readerId}`);
    // Each function reads the bans at most once a second: the refusal comes within that.
    const refused = await waitFor(
      async () => {
        const reply = await post(reader, `One more try ${Date.now()}`, 'Lucky Deals');
        return reply.status === 403 ? reply : null;
      },
      { description: "the banned reader's post refused" },
    );
    await panel.getByRole('button', { name: 'Lift the ban' }).click();
    await panel.getByText('Not banned.').waitFor();
    const lifted = await panel.getByRole('status').textContent();

    // Assess
    const until = Date.parse(record.body.ban.until);
    expect(until).toBeGreaterThan(bannedAt + 7 * 86_400_000 - 60_000);
    expect(until).toBeLessThan(Date.now() + 7 * 86_400_000 + 60_000);
    expect(history).toContain('Casino spam');
    expect(refused.body.error.code).toBe('reader_banned');
    expect(lifted).toBe('The ban on Lucky Deals is lifted.');
    expect((await asEditor(`/moderation/readers/${reader.readerId}`)).body.ban).toBeNull();
    expect([panelViolations, bannedViolations]).toEqual([[], []]);
  }, 90_000);

  it('sees a new error report in the alerts, closes it as corrected, and the story page shows the correction', async () => {
    // Prepare: a reader reports an error, leaving a contact.
    const reader = await mintReader(local.api);
    const submitted = await http(`${local.api}/articles/${storyId}/error-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...reader.headers },
      body: JSON.stringify({
        category: 'factual',
        description: 'The council vote was 5-2, but the caption says 4-3.',
        quote: 'voted 5-2',
        contact: 'reader@example.org',
      }),
    });
    expect(submitted.status).toBe(202);
    await local.stack.idle();
    const correction = 'An earlier version of the caption gave the council vote as 4-3; it was 5-2.';

    // Act: the alerts list names the report; mark it seen.
    await signIn();
    const alertsLink = nav().getByRole('link', { name: /^Alerts/ });
    await alertsLink.getByText('1', { exact: true }).waitFor();
    await alertsLink.click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    const alert = page.getByRole('list', { name: 'New alerts' }).getByRole('listitem').first();
    const alertText = await alert.textContent();
    await screenshot(page, 'desk-alerts');
    const alertsViolations = await seriousViolations(page);
    await page.getByRole('button', { name: 'Mark as seen' }).click();
    await page.getByText('Nothing new.').waitFor();
    const alertsCountAfter = await alertsLink.textContent();

    // The triage list: open the report, close it as corrected (the correction is required).
    await nav().getByRole('link', { name: 'Error reports' }).click();
    await page.getByRole('heading', { name: 'Error reports', level: 1 }).waitFor();
    const listed = page.getByRole('list', { name: 'Reports' }).getByRole('listitem').first();
    await listed.getByText(HEADLINE).waitFor();
    await screenshot(page, 'desk-reports');
    const reportsViolations = await seriousViolations(page);
    await listed.getByRole('button', { name: 'Open report' }).click();
    const panel = page.getByRole('dialog', { name: 'Factual error report' });
    await panel.getByText('reader@example.org').waitFor();
    const offered = await panel
      .getByRole('radio')
      .evaluateAll((radios) => radios.map((radio) => (radio as unknown as { value: string }).value));
    await panel.getByLabel('Corrected: publish a correction').check();
    await panel.getByRole('button', { name: 'Move report' }).click();
    const required = await panel.getByRole('alert').textContent();
    await panel.getByLabel('Correction (published on the story)').fill(correction);
    await panel.getByRole('button', { name: 'Move report' }).click();
    await panel.getByText('The report is now corrected.').waitFor();
    const published = await panel.getByRole('status').textContent();
    await screenshot(page, 'desk-report-corrected');
    const reportViolations = await seriousViolations(page);

    // The story panel: its reports and corrections; close comments, then open them again.
    await panel.getByRole('button', { name: 'Story', exact: true }).click();
    const story = page.getByRole('dialog', { name: HEADLINE });
    await story.getByRole('switch', { name: 'Comments open' }).waitFor();
    const storyText = await story.textContent();
    const storyViolations = await seriousViolations(page);
    await story.getByRole('switch', { name: 'Comments open' }).uncheck();
    await story.getByText('Comments are closed on this story.').waitFor();
    const whileClosed = (await http(`${local.api}/articles/${storyId}/comments?limit=1`)).body.commentsOpen;
    await screenshot(page, 'desk-story');
    await story.getByRole('switch', { name: 'Comments open' }).check();
    await story.getByText('Comments are open on this story.').waitFor();
    await local.stack.idle();

    // The story page's widget shows the correction.
    const storyPage = await context.newPage();
    await storyPage.goto(`${local.api}/stories/${storyId}`);
    const corrections = storyPage.getByRole('complementary', { name: 'Corrections' });
    await corrections.getByText(correction).waitFor();

    // Assess
    expect(alertText).toContain('Error report: Factual error');
    expect(alertText).toContain(HEADLINE);
    expect(alertText).not.toContain('reader@example.org');
    expect(alertsCountAfter).toBe('Alerts ');
    expect(
      await page.evaluate<string | null>(
        `localStorage.getItem('newsroom-desk:alerts-seen:${localSubjectOf(DEFAULT_LOCAL_EDITOR.email)}')`,
      ),
    ).toBeTruthy();
    expect(offered).toEqual(['reviewing', 'corrected', 'rejected']);
    expect(required).toBe('Write the correction readers will see.');
    expect(published).toContain('The correction is published on the story:');
    expect(published).toContain(correction);
    expect(storyText).toContain(correction);
    expect(storyText).toContain('Corrected');
    expect(whileClosed).toBe(false);
    expect((await http(`${local.api}/articles/${storyId}/comments?limit=1`)).body.commentsOpen).toBe(true);
    expect([alertsViolations, reportsViolations, reportViolations, storyViolations]).toEqual([[], [], [], []]);
  }, 90_000);
});

describe("the desk's data", () => {
  it("is refused to a reader's token on every route the desk calls", async () => {
    const reader = await mintReader(local.api);
    const signedInReader = await local.token('reader');
    const routes: Array<[string, string, unknown?]> = [
      ['GET', '/moderation/comments?status=pending'],
      ['GET', `/moderation/readers/${reader.readerId}`],
      ['PATCH', `/comments/${storyId}.000000000000000000000000`, { status: 'approved' }],
      ['PUT', `/readers/${reader.readerId}/ban`, { reason: 'no' }],
      ['DELETE', `/readers/${reader.readerId}/ban`],
      ['GET', '/error-reports?status=received'],
      ['GET', '/editor/alerts'],
      ['PATCH', `/articles/${storyId}/comment-settings`, { commentsOpen: false }],
    ];
    const answers: string[] = [];
    for (const token of [reader.token, signedInReader]) {
      for (const [method, path, body] of routes) {
        const reply = await http(`${local.api}${path}`, {
          method,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        answers.push(`${method} ${path}: ${reply.status === 401 || reply.status === 403 ? 'refused' : reply.status}`);
      }
    }

    expect(answers).toEqual(answers.map((answer) => answer.replace(/: .*$/, ': refused')));
  });
});
