import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/**
 * Chromium for the browser tests, without downloading one: CHROMIUM_PATH when set, else the
 * browser Playwright installed (if any), else Debian's `chromium` package. Without any, the tests
 * fail saying how to get one, as the DynamoDB Local tests do for Java.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, safely(() => chromium.executablePath()), '/usr/bin/chromium'];
  const found = candidates.find((path): path is string => typeof path === 'string' && path !== '' && existsSync(path));
  if (!found) {
    throw new Error(
      "No Chromium for the browser tests. Install Debian's package (apt-get update && apt-get install -y chromium) " +
        'or set CHROMIUM_PATH to a Chromium or Chrome executable.',
    );
  }
  return found;
}

function safely(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}

export async function launchChromium(): Promise<Browser> {
  // --no-sandbox: CI and this machine run as root, where Chromium's sandbox cannot start.
  return chromium.launch({ executablePath: chromiumPath(), args: ['--no-sandbox'] });
}

/** The calling test file's browser, and a fresh context and page for each of its tests. */
export interface BrowserSession {
  browser: Browser;
  context: BrowserContext;
  page: Page;
}

/**
 * Registers the browser of the calling test file: Chromium for the file, and for each test a
 * context of its own (a new reader or editor: its storage starts empty) with one page whose steps
 * fail within 8 s, naming what they waited for, rather than at the test's timeout.
 */
export function withBrowser(contextOptions: BrowserContextOptions = {}): BrowserSession {
  const session = {} as BrowserSession;
  beforeAll(async () => {
    session.browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await session.browser?.close();
  });
  beforeEach(async () => {
    session.context = await session.browser.newContext(contextOptions);
    session.page = await session.context.newPage();
    session.page.setDefaultTimeout(8_000);
  });
  afterEach(async () => {
    await session.context?.close();
  });
  return session;
}

/**
 * Serious and critical accessibility violations on the page, as `rule: target` lines.
 *
 * Legacy mode runs axe in the page itself: the default mode gathers each frame's partial results
 * and finishes them in a new blank page, which only matters for iframes (the widget has none: it
 * is custom elements with shadow roots, which both modes audit). With only violations reported in
 * detail, a page of 60 comments is audited in about 1 s instead of 11 s.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .setLegacyMode(true)
    .options({ resultTypes: ['violations'] })
    .analyze();
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .flatMap((violation) => violation.nodes.map((node) => `${violation.id}: ${node.target.join(' ')}`));
}

/** Where the browser tests write their screenshots (test output: never committed). */
export const SCREENSHOT_DIR = join(__dirname, '..', '..', '.local', 'screenshots');

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
