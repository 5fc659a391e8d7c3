// Issue 17, "The HTTP contract": `/docs` (Swagger UI, served locally under the strict CSP)
// opens with the document's Markdown introduction and authentication guide, rendered, in a
// real browser, with the link into the guide and every operation listed.
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';

describeWithService('chromium', chromiumInstalled(), 'the API reference at /docs in a real browser', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
      ],
    });
    page = await browser.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('renders the introduction, the authentication table and the link to the guide', async () => {
    await page.goto(`${relay.url}/docs`);
    const info = page.locator('.information-container .info');
    await info.locator('h2', { hasText: 'Authentication' }).waitFor({ timeout: 30_000 });
    const title = await info.locator('h1.title').innerText();
    expect(title).toContain('Agent OTP');
    expect(title).toContain('0.1.0');
    // The Markdown became HTML: a table of the credentials, code spans, a heading per section.
    for (const heading of ['Authentication', 'Errors', 'Rate limits'])
      expect(await info.locator('h2', { hasText: heading }).count(), heading).toBe(1);
    const credentials = await info.locator('table td').allInnerTexts();
    expect(credentials.join(' ')).toContain('Agent API key');
    expect(credentials.join(' ')).toContain('Capture-source token');
    expect(credentials.join(' ')).toContain('x-csrf-token');
    expect(await info.locator('a[href="/guide/api"]').count()).toBe(1);
    expect(await info.locator('a[href="/guide/"]').count()).toBe(1);
  }, 60_000);

  it('lists every operation of the document, and the servers and authorize controls', async () => {
    const document = (await (await fetch(`${relay.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const operations = Object.values(document.paths).reduce(
      (n, methods) => n + Object.keys(methods).length,
      0,
    );
    await page.locator('.opblock').first().waitFor({ timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.servers select option').allInnerTexts()).toEqual([
      expect.stringContaining('/'),
    ]);
    expect(await page.locator('button.authorize').count()).toBe(1);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
