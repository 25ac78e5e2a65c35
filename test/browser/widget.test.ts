/**
 * The reader widget in a real Chromium against the local stack: the demo story page embeds it by
 * its snippet, and a reader votes, posts, reports an error and sees a correction, as a person
 * would (by role and name, never by CSS selectors into the widget). axe-core checks each state.
 * Chromium: see test/support/browser.ts (CHROMIUM_PATH, or Debian's `chromium`).
 */
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { issueSiteReaderToken } from '../../infra/local/auth';
import { SITE_TOKEN_SECRET_FILE } from '../../infra/local/data-dir';
import { LOCAL_SITE_SIGN_IN } from '../../infra/local/function-environment';
import { http } from '../support/http';
import { mintReader } from '../support/reader-tokens';
import { screenshot, seriousViolations, withBrowser } from '../support/browser';
import { withLocalStack } from '../support/local-stack';
import { postStory, SAMPLE_STORY_TEXT } from '../support/sample-story';

/**
 * A news site on another origin that embeds the widget by its snippet; the stack is told to allow
 * it (LOCAL_CORS_ORIGINS) before it starts, as a site's origins are in AWS.
 */
let otherSite: Server;
let otherOrigin: string;
let embedOn: { api: string; storyId: string; readerToken?: string } | null = null;
const previousCorsOrigins = process.env.LOCAL_CORS_ORIGINS;
beforeAll(async () => {
  otherSite = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      embedOn
        ? `<!doctype html><html lang="en"><head><title>Elsewhere</title>` +
            `<script type="module" src="${embedOn.api}/widget/v1/newsroom.js"></script></head>` +
            `<body><main><h1>A story on another site</h1><newsroom-poll article-id="${embedOn.storyId}"${embedOn.readerToken ? ` reader-token="${embedOn.readerToken}"` : ''}></newsroom-poll></main></body></html>`
        : 'not ready',
    );
  });
  await new Promise<void>((resolve) => otherSite.listen(0, '127.0.0.1', resolve));
  const address = otherSite.address();
  otherOrigin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  process.env.LOCAL_CORS_ORIGINS = otherOrigin;
});
afterAll(async () => {
  if (previousCorsOrigins === undefined) delete process.env.LOCAL_CORS_ORIGINS;
  else process.env.LOCAL_CORS_ORIGINS = previousCorsOrigins;
  await new Promise((resolve) => otherSite?.close(resolve));
});

const local = withLocalStack({ name: 'widget', env: { RATE_LIMITS: 'off' } });
// A context per test: a new reader each time (their token and vote live in the context's storage).
const tabs = withBrowser();
let page: Page;
let storyId: string;
let editor: string;
beforeEach(() => ({ page } = tabs));

beforeAll(async () => {
  editor = await local.token('editor');
  storyId = await postStory(local.api, editor);
}, 60_000);

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
    // The tally is counted from the table's stream, a moment after the vote is stored.
    await local.stack.idle();
    const results = await http(`${local.api}/articles/${storyId}/poll`);
    expect(results.body.totalVotes).toBe(1);
  });

  it('moves the bars on a page that shows the results when another reader votes, without a reload', async () => {
    const created = await http(`${local.api}/articles`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
      body: SAMPLE_STORY_TEXT.replace('Harbor Town Votes to Rebuild Its Old Ferry Pier', 'Two Readers, One Ferry Pier'),
    });
    const liveStory = created.body.id as string;
    const watcherContext = await tabs.browser.newContext();
    try {
      const watcher = await watcherContext.newPage();
      watcher.setDefaultTimeout(8_000);
      await watcher.goto(`${local.api}/stories/${liveStory}`);
      const watched = watcher.getByRole('group', { name: 'My Take on This Story' });
      await watched.getByRole('button', { name: 'Show results without voting' }).click();
      await watched.getByText('0 votes').waitFor();

      await page.goto(`${local.api}/stories/${liveStory}`);
      const poll = page.getByRole('group', { name: 'My Take on This Story' });
      const choice = poll.getByRole('button').first();
      const label = await choice.textContent();
      await choice.click();
      await page.getByText('Thanks, your vote is counted.').waitFor();
      await watched.getByText('1 vote', { exact: true }).waitFor({ timeout: 15_000 });
      await screenshot(watcher, 'poll-live');

      expect(await watched.getByText(`${label}: 100%`).count()).toBe(1);
      expect(await seriousViolations(watcher)).toEqual([]);
    } finally {
      await watcherContext.close();
    }
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

  it('shows a published correction with its date', async () => {
    const reader = await mintReader(local.api);
    const report = await http(`${local.api}/articles/${storyId}/error-reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...reader.headers },
      body: JSON.stringify({ category: 'factual', description: 'The vote count in the first paragraph is wrong.' }),
    });
    const corrected = await http(`${local.api}/error-reports/${report.body.reportId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` },
      body: JSON.stringify({ status: 'corrected', correction: 'An earlier version misstated the council vote.' }),
    });
    expect(corrected.status).toBe(200);
    await local.stack.idle();

    await openStory();
    const aside = page.getByRole('complementary', { name: 'Corrections' });
    await aside.getByText('An earlier version misstated the council vote.').waitFor();
    await screenshot(page, 'correction');

    expect(await aside.getByRole('heading').textContent()).toBe('Correction');
    expect(await aside.locator('time').getAttribute('datetime')).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('pages through 60 comments with "Show more" to "Showing 60 of 60", and votes and flags one', async () => {
    // A story of its own that arrives with its 60 comments (a JSON article carries the comments its
    // page showed, stored as approved imports): what is tested here is the listing, not posting,
    // which sixty requests through the comment pipeline and the live publisher would only slow.
    const created = await http(`${local.api}/articles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        headline: 'Sixty Readers Weigh In on the Ferry Pier',
        byline: 'By Dana Whitlock',
        publishedAt: '2026-11-02T09:30:00-05:00',
        body: ['Harbor Town met to talk about its ferry pier.', 'Sixty readers had something to say about it.'],
        comments: Array.from({ length: 60 }, (_, i) => ({
          author: `Reader ${i}`,
          body: `Comment number ${i}`,
          postedAt: new Date(Date.UTC(2026, 10, 2, 15, i)).toISOString(),
        })),
      }),
    });
    expect(created.status).toBe(201);
    const busyStory = created.body.id as string;
    await local.stack.idle();

    await page.goto(`${local.api}/stories/${busyStory}`);
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByText('Showing 10 of 60 comments').waitFor();
    let clicks = 0;
    while (await comments.getByRole('button', { name: 'Show more comments' }).isVisible()) {
      await comments.getByRole('button', { name: 'Show more comments' }).click();
      clicks++;
      await comments.getByText(`Showing ${10 * (clicks + 1)} of 60 comments`).waitFor();
    }
    const first = comments.getByRole('article').first();
    await first.getByRole('button', { name: 'Vote up' }).click();
    await first.getByText('1', { exact: true }).waitFor();
    await first.getByText('Flag', { exact: true }).click();
    await first.getByLabel('Why should editors look at this?').selectOption('spam');
    await first.getByRole('button', { name: 'Send flag' }).click();
    await first.getByText('Thanks, the editors will look at it.').waitFor();
    await screenshot(page, 'comments-paged');

    expect(clicks).toBe(5);
    expect(await comments.getByText('Showing 60 of 60 comments').count()).toBe(1);
    expect(await comments.getByRole('article').count()).toBe(60);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('shows the first replies of a thread, and the rest with "Show N more replies"', async () => {
    const created = await http(`${local.api}/articles`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
      body: SAMPLE_STORY_TEXT.replace(
        'Harbor Town Votes to Rebuild Its Old Ferry Pier',
        'A Long Thread on the Ferry Pier',
      ),
    });
    const threadStory = created.body.id as string;
    const writer = await mintReader(local.api);
    const post = (body: Record<string, unknown>) =>
      http(`${local.api}/articles/${threadStory}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...writer.headers },
        body: JSON.stringify(body),
      });
    const top = await post({ author: 'Opening', body: 'Who remembers the old ferry?' });
    for (let i = 1; i <= 5; i++) {
      await post({ author: `Neighbour ${i}`, body: `Reply number ${i}`, parentId: top.body.id });
    }
    await local.stack.idle();

    await page.goto(`${local.api}/stories/${threadStory}`);
    const comments = page.getByRole('region', { name: 'Comments' });
    const replies = comments.getByRole('list', { name: 'Replies' });
    await replies.getByText('Reply number 3').waitFor();
    const shownFirst = await replies.getByRole('article').count();
    await comments.getByRole('button', { name: 'Show 2 more replies' }).click();
    await replies.getByText('Reply number 5').waitFor();

    expect(shownFirst).toBe(3);
    expect(await replies.getByRole('article').count()).toBe(5);
    expect(await comments.getByRole('button', { name: /more repl/ }).count()).toBe(0);
    expect(await comments.getByText('Showing 6 of 6 comments').count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('says when to retry on a 429 and keeps what the reader typed, also when the network fails', async () => {
    await openStory();
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Your name').first().fill('Jo');
    await comments.getByLabel('Your comment').fill('Typed with care, not to be lost.');
    const limited = async (route: import('playwright-core').Route) =>
      route.request().method() === 'POST'
        ? route.fulfill({
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '30', 'access-control-allow-origin': '*' },
            body: JSON.stringify({ error: { code: 'rate_limited', message: 'Too many comments from here' } }),
          })
        : route.fallback();
    await page.route('**/comments', limited);
    await comments.getByRole('button', { name: 'Post comment' }).click();
    const retry = await comments.getByRole('alert').filter({ hasText: 'Try again in 30 seconds' }).textContent();
    await page.unroute('**/comments', limited);
    await page.route('**/comments', (route) =>
      route.request().method() === 'POST' ? route.abort('internetdisconnected') : route.fallback(),
    );
    await comments.getByRole('button', { name: 'Post comment' }).click();
    const offline = await comments.getByRole('alert').filter({ hasText: 'What you typed is kept' }).textContent();

    expect(retry).toBe('Too many tries from here. Try again in 30 seconds.');
    expect(offline).toMatch(/could not be reached/);
    expect(await comments.getByLabel('Your comment').inputValue()).toBe('Typed with care, not to be lost.');
  });

  it('lets the author change their own comment in place', async () => {
    await openStory();
    const comments = page.getByRole('region', { name: 'Comments' });
    await comments.getByLabel('Your name').first().fill('Kai');
    await comments.getByLabel('Your comment').fill('Frist thoughts.');
    await comments.getByRole('button', { name: 'Post comment' }).click();
    await comments.getByText('Your comment is posted.').waitFor();
    const mine = comments.getByRole('article', { name: 'Comment by Kai' });
    await mine.getByRole('button', { name: 'Edit' }).click();
    await mine.getByLabel('Change your comment').fill('First thoughts.');
    await mine.getByRole('button', { name: 'Save' }).click();
    await comments.getByText('Your comment is changed.').waitFor();

    expect(await mine.getByText('First thoughts.', { exact: true }).count()).toBe(1);
    const listed = await http(`${local.api}/articles/${storyId}/comments?limit=50`);
    expect(listed.body.items).toContainEqual(expect.objectContaining({ body: 'First thoughts.', edited: true }));
  });

  it('works embedded in a page on another origin (CORS), keyboard only: a vote by Tab and Enter', async () => {
    embedOn = { api: local.api, storyId };
    await page.goto(otherOrigin);
    await page.getByRole('button', { name: 'Show results without voting' }).waitFor();

    const focused = await tabTo(page, /^Interesting$/);
    await page.keyboard.press('Enter');
    await page.getByText('Thanks, your vote is counted.').waitFor();

    expect(focused).toBe(true);
    expect(await page.getByText(/^Interesting: \d+% \(your vote\)$/).count()).toBe(1);
  });
  it('votes as the site’s signed-in reader (reader-token), and on a second device shows the vote that stands', async () => {
    const secret = (await readFile(join(local.dataDir, SITE_TOKEN_SECRET_FILE), 'utf8')).trim();
    const token = await issueSiteReaderToken(secret, LOCAL_SITE_SIGN_IN, { subject: 'lena', name: 'Lena' });
    embedOn = { api: local.api, storyId, readerToken: token };
    await page.goto(otherOrigin);
    await page.getByRole('button', { name: 'Sad' }).click();
    await page.getByText('Thanks, your vote is counted.').waitFor();
    const otherDevice = await (await tabs.browser.newContext()).newPage();
    otherDevice.setDefaultTimeout(8_000);
    await otherDevice.goto(otherOrigin);
    await otherDevice.getByRole('button', { name: 'Scary' }).click();
    await otherDevice.getByText('You had already voted; your earlier vote stands.').waitFor();

    expect(await otherDevice.getByText(/^Sad: \d+% \(your vote\)$/).count()).toBe(1);
    await otherDevice.context().close();
  });

  it('takes the host page’s theme: its custom properties, and its ::part() rules through <newsroom-story>', async () => {
    await openStory();
    const poll = page.getByRole('group', { name: 'My Take on This Story' });
    await poll.waitFor();
    await page.addStyleTag({
      content: 'newsroom-story{--newsroom-accent:rgb(1, 2, 3)} newsroom-story::part(poll){border-color:rgb(4, 5, 6)}',
    });

    const showResults = poll.getByRole('button', { name: 'Show results without voting' });

    expect(await computedStyle(poll, 'border-top-color')).toBe('rgb(4, 5, 6)');
    expect(await computedStyle(showResults, 'color')).toBe('rgb(1, 2, 3)');
  });

  it('speaks Spanish when the page says lang="es-MX": the poll, a vote and the comments', async () => {
    // A story of its own: no votes or comments yet, so the counts below are known.
    const created = await http(`${local.api}/articles`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${editor}` },
      body: SAMPLE_STORY_TEXT.replace('Harbor Town Votes to Rebuild Its Old Ferry Pier', 'A Story Read in Spanish'),
    });
    await page.goto(`${local.api}/stories/${created.body.id}?lang=es-MX`);
    const poll = page.getByRole('group', { name: 'Mi opinión sobre esta noticia' });
    await poll.getByRole('button', { name: 'Mostrar resultados sin votar' }).waitFor();
    const firstOption = poll.getByRole('button').first();
    const label = await firstOption.textContent();
    await firstOption.click();
    await poll.getByText('Gracias, hemos registrado tu voto.').waitFor();
    const comments = page.getByRole('region', { name: 'Comentarios' });
    await comments.getByText('Comentarios mostrados: 0 de 0').waitFor();
    await screenshot(page, 'spanish');

    expect(
      await poll
        .getByRole('list', { name: 'Resultados' })
        .getByText(/\(tu voto\)$/)
        .textContent(),
    ).toBe(`${label}: 100% (tu voto)`);
    expect(await poll.getByText('1 voto', { exact: true }).count()).toBe(1);
    expect(await comments.getByRole('heading', { name: 'Comentarios' }).count()).toBe(1);
    expect(await comments.getByLabel('Tu comentario').count()).toBe(1);
    expect(await comments.getByRole('button', { name: 'Publicar comentario' }).count()).toBe(1);
    expect(
      await page
        .getByRole('button', { name: 'Para comunicar un error en esta noticia, avisa a nuestros editores' })
        .count(),
    ).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
  });
});

/** A computed style of what `locator` finds, read in the page (the tests' own types know no DOM). */
function computedStyle(locator: Locator, property: string): Promise<string> {
  type Styles = { getComputedStyle(element: unknown): { getPropertyValue(name: string): string } };
  return locator.evaluate(
    (element, name) => (globalThis as unknown as Styles).getComputedStyle(element).getPropertyValue(name),
    property,
  );
}

/** Presses Tab until the focused element (inside shadow roots too) is named `name`; false if never. */
async function tabTo(page: Page, name: RegExp): Promise<boolean> {
  for (let presses = 0; presses < 40; presses++) {
    await page.keyboard.press('Tab');
    // Evaluated in the page (a string: the tests' own types know no DOM).
    const text = await page.evaluate<string>(`(() => {
      let active = document.activeElement;
      while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
      return active ? active.textContent : '';
    })()`);
    if (name.test(text.trim())) return true;
  }
  return false;
}

describe('the accessibility check the tests above rely on', () => {
  it('reports serious violations inside a shadow root, as the widget renders everything', async () => {
    await page.setContent(
      '<!doctype html><html lang="en"><head><title>Check</title></head><body><main><h1>Check</h1>' +
        '<div id="host"></div></main><script>' +
        "document.getElementById('host').attachShadow({ mode: 'open' }).innerHTML =" +
        ' \'<button></button><p style="color:#bbb;background:#fff">Faint text</p>\';' +
        '</script></body></html>',
    );

    const violations = await seriousViolations(page);

    expect(violations.map((line) => line.split(':')[0])).toEqual(['button-name', 'color-contrast']);
  });
});
