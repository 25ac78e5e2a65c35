/**
 * The API reference (`/docs/api/`) in a real Chromium against the local stack: the page renders
 * the OpenAPI document the API serves, every operation of it, from the stack's own origin alone
 * (no font, script or validator from elsewhere) under its Content-Security-Policy (no violation
 * in the console); "Try it out" calls the local API; axe-core finds nothing serious. Chromium:
 * see test/support/browser.ts.
 */
import type { Page, Request } from 'playwright-core';
import { API_REFERENCE_PATH, apiReferenceContentSecurityPolicy } from '../../infra/api-reference/api-reference';
import { screenshot, seriousViolations, withBrowser } from '../support/browser';
import { withLocalStack } from '../support/local-stack';

const local = withLocalStack({ name: 'api-reference' });
const tabs = withBrowser({ viewport: { width: 1280, height: 900 } });
let page: Page;
/** Every request the page made, and every message it logged as an error (CSP violations among them). */
let requests: Request[];
let consoleErrors: string[];
beforeEach(() => {
  ({ page } = tabs);
  requests = [];
  consoleErrors = [];
  page.on('request', (request) => requests.push(request));
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('response', (response) => {
    if (response.status() >= 400) consoleErrors.push(`${response.status()} ${response.url()}`);
  });
});

/**
 * axe's findings in Swagger UI's own markup, which the page's stylesheet cannot fix: its servers
 * list and an enumerated parameter's values are <select>s without a label (critical
 * `select-name`). Listed one by one, so any other finding, or these anywhere else, still fails.
 */
const SWAGGER_UI_FINDINGS = ['select-name: #servers', 'select-name: .parameters-col_description > select'];
const ours = (violations: string[]) => violations.filter((violation) => !SWAGGER_UI_FINDINGS.includes(violation));

interface OpenApiDocument {
  info: { title: string; version: string };
  paths: Record<string, Record<string, { summary: string }>>;
}

/** The document as the API serves it: what the page must show. */
async function servedDocument(): Promise<OpenApiDocument> {
  const response = await fetch(`${local.api}/openapi.json`);
  expect(response.status).toBe(200);
  return (await response.json()) as OpenApiDocument;
}

/** Each operation the page lists, as `METHOD /path: summary`, in the page's order. */
const listedOperations = () =>
  page.evaluate<string[]>(`[...document.querySelectorAll('.opblock-summary')].map((summary) =>
    summary.querySelector('.opblock-summary-method').textContent + ' ' +
    summary.querySelector('.opblock-summary-path').getAttribute('data-path') + ': ' +
    summary.querySelector('.opblock-summary-description').textContent)`);

/** Opens `/docs/api` (which redirects to `/docs/api/`) once Swagger UI has rendered; the page's headers. */
async function openReference(): Promise<Record<string, string>> {
  const response = await page.goto(`${local.api}${API_REFERENCE_PATH.slice(0, -1)}`);
  await page.getByRole('heading', { name: /newsroom-serverless/ }).waitFor();
  return response!.headers();
}

describe('the API reference', () => {
  it('renders every operation of the document the API serves, from the stack’s origin alone, and passes axe', async () => {
    const described = await servedDocument();

    // Act
    const headers = await openReference();
    const pageUrl = page.url();
    const operations = await listedOperations();
    const title = await page.getByRole('heading', { name: /newsroom-serverless/ }).textContent();
    await screenshot(page, 'api-reference');
    const violations = await seriousViolations(page);

    // Assess
    expect(pageUrl).toBe(`${local.api}${API_REFERENCE_PATH}`);
    // The CSP the CDN sends too (test/infra/api-reference.test.ts), which the console shows Swagger UI keeps to.
    expect(headers['content-security-policy']).toBe(apiReferenceContentSecurityPolicy(local.api));
    expect(title).toContain(described.info.version);
    const documented = Object.entries(described.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, { summary }]) => `${method.toUpperCase()} ${path}: ${summary}`),
    );
    expect([...operations].sort()).toEqual([...documented].sort());
    expect(operations).toEqual(
      expect.arrayContaining(['GET /articles: List stories', 'POST /readers/anonymous: Become an anonymous reader']),
    );
    const elsewhere = requests.map((request) => request.url()).filter((url) => new URL(url).origin !== local.api);
    expect(elsewhere).toEqual([]);
    expect(requests.filter((request) => new URL(request.url()).pathname === '/openapi.json')).toHaveLength(1);
    expect(consoleErrors).toEqual([]);
    expect(ours(violations)).toEqual([]);
  });

  it('sends “Try it out” to the local API and shows its answer', async () => {
    await openReference();
    const operation = page.locator('#operations-articles-list-articles');

    // Act
    await operation.getByRole('button', { name: 'GET /articles List stories' }).click();
    await operation.getByRole('button', { name: 'Try it out' }).click();
    const answered = page.waitForResponse((response) => new URL(response.url()).pathname === '/articles');
    await operation.getByRole('button', { name: 'Execute' }).click();
    const response = await answered;
    const shown = operation.locator('.live-responses-table tbody .response-col_status');
    await shown.waitFor();
    const shownStatus = await shown.textContent();
    await screenshot(page, 'api-reference-try-it-out');
    const violations = await seriousViolations(page);

    // Assess
    expect(new URL(response.url()).origin).toBe(local.api);
    expect(response.status()).toBe(200);
    expect(shownStatus?.trim()).toBe('200');
    expect(consoleErrors).toEqual([]);
    expect(ours(violations)).toEqual([]);
  });
});
