/**
 * The reader widget in a real Chromium against the local stack: the demo story page embeds it by
 * its snippet, and a reader votes, posts, reports an error and sees a correction, as a person
 * would (by role and name, never by CSS selectors into the widget). axe-core checks each state.
 * Chromium: see test/support/browser.ts (CHROMIUM_PATH, or Debian's `chromium`).
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { http } from '../support/http';
import { launchChromium, screenshot, seriousViolations } from '../support/browser';
import { withLocalStack } from '../support/local-stack';
import { SAMPLE_STORY_TEXT } from '../support/sample-story';

const local = withLocalStack({ name: 'widget', env: { RATE_LIMITS: 'off' } });
let browser: Browser;
let context: BrowserContext;
let page: Page;
let storyId: string;
let editor: string;

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

// A context per test: a new reader each time (their token and vote live in the context's storage).
beforeEach(async () => {
  context = await browser.newContext();
  page = await context.newPage();
  // A step that cannot happen fails on its own, naming what it waited for, within the test's time.
  page.setDefaultTimeout(8_000);
});
afterEach(async () => {
  await context.close();
});

const openStory = async () => {
  await page.goto(`${local.api}/stories/${storyId}`);
  await page.getByRole('heading', { level: 1 }).waitFor();
};

describe('the reader widget on a story page', () => {
  it('lets a reader see results without voting, then vote, and shows the recorded vote on a second visit', async () => {
    await openStory();
    const poll = page.getByRole('group', { name: 'My Take on This Story' });
    await poll.waitFor();
    await screenshot(page, 'poll-choices');
    const violationsBefore = await seriousViolations(page);

    await poll.getByRole('button', { name: 'Show results without voting' }).click();
    await poll.getByRole('list', { name: 'Results' }).waitFor();
    await openStory();
    const firstOption = page.getByRole('group', { name: 'My Take on This Story' }).getByRole('button').first();
    const label = await firstOption.textContent();
    await firstOption.click();
    await page.getByText('Thanks, your vote is counted.').waitFor();
    const marked = await page.getByText(/\(your vote\)$/).textContent();
    await screenshot(page, 'poll-voted');
    const violationsAfter = await seriousViolations(page);
    await openStory();
    const mine = page.getByText(`${label}:`, { exact: false });
    await mine.waitFor();

    expect(violationsBefore).toEqual([]);
    expect(violationsAfter).toEqual([]);
    expect(marked).toBe(`${label}: 100% (your vote)`);
    expect(await mine.textContent()).toMatch(/\(your vote\)$/);
    const results = await http(`${local.api}/articles/${storyId}/poll`);
    expect(results.body.totalVotes).toBe(1);
  });

  it('posts a comment and a reply, with the API’s validation message in place for an empty one', async () => {
    await openStory();
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByText(/^Showing \d+ of \d+ comments$/).waitFor();
    await comments.getByLabel('Your name').first().fill('Hana');
    await comments.getByRole('button', { name: 'Post comment' }).click();
    await comments.getByRole('alert').filter({ hasText: /body/ }).waitFor();
    await comments.getByLabel('Your comment').fill('A plain-text comment with <b>markup</b> shown as written.');
    await comments.getByRole('button', { name: 'Post comment' }).click();
    await comments.getByText('Your comment is posted.').waitFor();
    await comments.getByRole('button', { name: 'Reply' }).first().click();
    await comments.getByLabel('Your reply').fill('And a reply to it.');
    await comments.getByLabel('Your name').nth(1).fill('Ivo');
    await comments.getByRole('button', { name: 'Reply', exact: true }).last().click();
    await comments.getByText('Your comment is posted.').waitFor();
    await local.stack.idle();
    await openStory();
    const listed = page.getByRole('region', { name: 'Comments' });
    await listed.getByText('A plain-text comment with <b>markup</b> shown as written.').waitFor();
    await screenshot(page, 'comments');

    expect(await listed.getByText('And a reply to it.').count()).toBe(1);
    expect(await listed.getByText(/^Showing 2 of 2 comments$/).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('reports an error with a quote from the page, and the editors see it through the API', async () => {
    await openStory();
    await page.getByRole('button', { name: 'To report an error on this story, notify our editors' }).click();
    const form = page.getByRole('form', { name: 'Report an error' });
    await form.getByLabel('What is wrong?').selectOption('typo');
    await form.getByLabel('Describe the error').fill('The second paragraph misspells the town’s name.');
    await form.getByLabel('The words in question (optional)').fill('Tidal');
    await screenshot(page, 'report-form');
    const violations = await seriousViolations(page);
    await form.getByRole('button', { name: 'Send to the editors' }).click();
    const thanks = page.getByText(/^Thank you\. The editors have your report/);
    await thanks.waitFor();

    expect(violations).toEqual([]);
    const reports = await http(`${local.api}/error-reports?articleId=${storyId}`, {
      headers: { authorization: `Bearer ${editor}` },
    });
    expect(reports.body.items).toEqual([expect.objectContaining({ category: 'typo', quote: 'Tidal' })]);
  });
});
