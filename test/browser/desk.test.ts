/**
 * Signing in to the editor desk in a real Chromium against the local stack, by keyboard alone:
 * `/desk/` sends the editor to the sign-in page (the local imitation of the user pool's managed
 * login), the editor signs in and comes back signed in, the desk's token opens editor routes, and
 * signing out ends it. A wrong password is shown on the sign-in page; a user outside the editors
 * group is told so. axe-core checks each page. Chromium: see test/support/browser.ts.
 */
import type { Page } from 'playwright-core';
import { LOCAL_DESK_CLIENT_ID } from '../../infra/local/auth';
import { DEFAULT_LOCAL_EDITOR } from '../../infra/local/oauth';
import { screenshot, seriousViolations, withBrowser } from '../support/browser';
import { withLocalStack } from '../support/local-stack';
import { nowSeconds, signWithLocalKey } from '../support/tokens';

const local = withLocalStack({
  name: 'desk',
  env: { LOCAL_EDITOR_EMAIL: undefined, LOCAL_EDITOR_PASSWORD: undefined },
});
const tabs = withBrowser();
let page: Page;
beforeEach(() => ({ page } = tabs));

const deskUrl = () => `${local.api}/desk/`;
// Run in the page, as strings: this project's type check has no DOM.
const session = () => page.evaluate<string | null>(`sessionStorage.getItem('newsroom-desk:session')`);
/** What an editor route answers the page when it calls with the desk's access token. */
const editorRouteStatus = () =>
  page.evaluate<number>(`(async () => {
    const { accessToken } = JSON.parse(sessionStorage.getItem('newsroom-desk:session') ?? '{}');
    const reply = await fetch('/error-reports', { headers: { authorization: 'Bearer ' + accessToken } });
    return reply.status;
  })()`);
/** The label of the focused field, by its id. */
const focusedLabel = () =>
  page.evaluate<string | null>(
    `document.querySelector('label[for="' + document.activeElement?.id + '"]')?.textContent ?? null`,
  );

async function openSignInPage(): Promise<void> {
  await page.goto(deskUrl());
  await page.waitForURL(/\/oauth2\/authorize\?/);
  await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
}

/** Types into the focused field, tabs to the password, and submits with Enter: no mouse. */
async function signInByKeyboard(email: string, password: string): Promise<void> {
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await page.keyboard.press('Enter');
}

describe('the editor desk’s sign-in', () => {
  it('sends the editor to sign in, brings them back signed in, and signs them out', async () => {
    // Act: open the desk, sign in by keyboard.
    await openSignInPage();
    const signInUrl = new URL(page.url());
    const focusedFirst = await focusedLabel();
    await screenshot(page, 'desk-sign-in');
    const signInViolations = await seriousViolations(page);
    await signInByKeyboard(DEFAULT_LOCAL_EDITOR.email, DEFAULT_LOCAL_EDITOR.password);
    await page.getByRole('heading', { name: 'Pending comments', level: 1 }).waitFor();
    const signedInUrl = page.url();
    const greeting = await page.locator('#account').getByText(DEFAULT_LOCAL_EDITOR.email, { exact: true }).count();
    await screenshot(page, 'desk-signed-in');
    const deskViolations = await seriousViolations(page);
    const editorRoute = await editorRouteStatus();
    const kept = await session();

    // Act: sign out, by keyboard.
    await page.getByRole('button', { name: 'Sign out' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Signed out', level: 1 }).waitFor();
    await screenshot(page, 'desk-signed-out');
    const signedOutViolations = await seriousViolations(page);

    // Assess
    expect(Object.fromEntries(signInUrl.searchParams)).toMatchObject({
      response_type: 'code',
      client_id: LOCAL_DESK_CLIENT_ID,
      redirect_uri: deskUrl(),
      code_challenge_method: 'S256',
      scope: 'openid email profile',
    });
    expect(focusedFirst).toBe('Email');
    expect(signedInUrl).toBe(deskUrl());
    expect(greeting).toBe(1);
    expect(editorRoute).toBe(200);
    expect(JSON.parse(kept ?? 'null')).toEqual({
      accessToken: expect.any(String),
      idToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresAt: expect.any(Number),
    });
    expect(await page.evaluate<number>('localStorage.length')).toBe(0);
    expect(await session()).toBeNull();
    expect(page.url()).toBe(deskUrl());
    expect([signInViolations, deskViolations, signedOutViolations]).toEqual([[], [], []]);

    // And a new sign-in goes through the sign-in page again.
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(/\/oauth2\/authorize\?/);
  });

  it('shows a wrong password on the sign-in page and lets the editor try again', async () => {
    // Act
    await openSignInPage();
    await signInByKeyboard(DEFAULT_LOCAL_EDITOR.email, 'not-the-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    const message = await alert.textContent();
    const focusedAfterError = await focusedLabel();
    await screenshot(page, 'desk-sign-in-failed');
    const violations = await seriousViolations(page);
    await page.keyboard.type(DEFAULT_LOCAL_EDITOR.password);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Pending comments', level: 1 }).waitFor();

    // Assess
    expect(message).toBe('Incorrect email or password.');
    expect(focusedAfterError).toBe('Password');
    expect(violations).toEqual([]);
  });

  it('tells a signed-in user outside the editors group that the desk is not for them', async () => {
    // Prepare: a Cognito user in no group, signed in to the desk in this tab.
    const iat = nowSeconds();
    const claims = { iat, exp: iat + 3600, sub: 'reader-1', 'cognito:groups': [] };
    const accessToken = await signWithLocalKey(local.stack.signingKey, {
      ...claims,
      aud: undefined,
      client_id: LOCAL_DESK_CLIENT_ID,
      username: 'reader-1',
    });
    const idToken = await signWithLocalKey(local.stack.signingKey, {
      ...claims,
      aud: LOCAL_DESK_CLIENT_ID,
      token_use: 'id',
      email: 'reader@newsroom.local',
    });
    await page.goto(`${local.api}/desk/config.json`);
    const stored = JSON.stringify({ accessToken, idToken, refreshToken: 'unused', expiresAt: (iat + 3600) * 1000 });
    await page.evaluate(`sessionStorage.setItem('newsroom-desk:session', ${JSON.stringify(stored)})`);

    // Act
    await page.goto(deskUrl());
    await page.getByRole('heading', { name: 'Not an editor', level: 1 }).waitFor();
    const message = await page.getByRole('alert').textContent();
    await screenshot(page, 'desk-not-an-editor');
    const violations = await seriousViolations(page);
    const editorRoute = await editorRouteStatus();

    // Assess
    expect(message).toContain('You are signed in as reader@newsroom.local, who is not in the editors group');
    expect(editorRoute).toBe(403);
    expect(violations).toEqual([]);
  });
});
