// Issue 17 (a documentation site): the real guide (VitePress build of docs/, the README and
// the package READMEs), served by the real relay at /guide, opened in a real browser. Every
// page reachable from the sidebar and from the pages' own links renders, every internal link
// and `#anchor` resolves, and the local search finds a page by a word of its body.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const guideDir = join(repoRoot, 'docs', '.vitepress', 'dist');

/** When the guide's newest source (Markdown it shows, its config and theme) was changed. */
function newestGuideSource(): number {
  const sources = [join(repoRoot, 'README.md')];
  for (const path of readdirSync(join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })) {
    const inBuildOutput = path.split(/[\\/]/).some((part) => part === 'dist' || part === 'cache');
    if (!inBuildOutput && /\.(md|ts|mts|css)$/.test(path)) sources.push(join(repoRoot, 'docs', path));
  }
  for (const name of readdirSync(join(repoRoot, 'packages'))) {
    const readme = join(repoRoot, 'packages', name, 'README.md');
    if (existsSync(readme)) sources.push(readme);
  }
  return Math.max(...sources.map((path) => statSync(path).mtimeMs));
}

/**
 * `npm run docs:build`'s output, built here only when missing or older than its sources
 * (10 to 30 s on the shared 2-core machine), so the links checked are the docs' current ones.
 */
async function ensureGuideBuilt(): Promise<void> {
  const index = join(guideDir, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestGuideSource()) return;
  const vitepress = join(repoRoot, 'node_modules', 'vitepress', 'bin', 'vitepress.js');
  await promisify(execFile)(process.execPath, [vitepress, 'build', 'docs'], {
    cwd: repoRoot,
    timeout: 180_000,
  });
}

/** Debian's chromium, headless, with a throwaway profile and no background traffic. */
function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

interface FoundLink {
  /** The page the link is on. */
  from: string;
  /** What the page's HTML says. */
  href: string;
  /** Where the browser resolves it. */
  url: URL;
}

/** Every link of a page's sidebar, top bar and content, resolved by the browser. */
async function linksOn(page: Page, from: string): Promise<FoundLink[]> {
  const links = await page.evaluate(() =>
    [
      ...document.querySelectorAll<HTMLAnchorElement>('.VPSidebar a[href], .VPNav a[href], .vp-doc a[href]'),
    ].map((a) => ({ href: a.getAttribute('href') ?? '', resolved: a.href })),
  );
  return links.map((link) => ({ from, href: link.href, url: new URL(link.resolved) }));
}

describeWithService('chromium', chromiumInstalled(), 'the guide at /guide in a real browser', () => {
  let relay: TestRelay;
  let browser: Browser;
  let page: Page;
  /** Console errors and uncaught exceptions, each with the page it happened on. */
  let errors: string[] = [];

  beforeAll(async () => {
    await ensureGuideBuilt();
    relay = await startTestRelay('sqlite', { env: { GUIDE_DIR: guideDir } });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    // Fail a step with Playwright's own message well before the test's timeout.
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(`${page.url()}: ${message.text()}`);
    });
    page.on('pageerror', (error) => errors.push(`${page.url()}: ${error.message}`));
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
  });

  it('renders every page reachable from /guide/, and every internal link and anchor resolves', async () => {
    errors = [];
    const origin = new URL(relay.url).origin;
    /** Page path → the element ids on it (anchor targets). */
    const pages = new Map<string, Set<string>>();
    /** Path → status and type of a GET, for links that are not visited as pages. */
    const fetched = new Map<string, { status: number; type: string }>();
    const anchors: FoundLink[] = [];
    const broken: string[] = [];
    const queue = ['/guide/'];
    let sidebar: string[] = [];

    const head = async (path: string) => {
      let result = fetched.get(path);
      if (!result) {
        const res = await fetch(`${origin}${path}`, { redirect: 'manual' });
        await res.arrayBuffer();
        result = { status: res.status, type: res.headers.get('content-type') ?? '' };
        fetched.set(path, result);
      }
      return result;
    };

    for (let path = queue.shift(); path !== undefined; path = queue.shift()) {
      if (pages.has(path)) continue;
      const response = await page.goto(`${origin}${path}`);
      expect(response?.status(), path).toBe(200);
      const h1 = page.locator('.vp-doc h1').first();
      expect((await h1.innerText()).trim(), `${path}: its h1`).not.toBe('');
      expect(await page.title(), `${path}: its title`).toMatch(/\S.* \| Agent OTP$|^Agent OTP$/);
      expect(await page.locator('.NotFound').count(), `${path}: the not-found page`).toBe(0);
      const ids = await page.evaluate(() =>
        [...document.querySelectorAll('[id]')].map((element) => element.id),
      );
      pages.set(path, new Set(ids));
      if (path === '/guide/') {
        sidebar = await page.evaluate(() =>
          [...document.querySelectorAll<HTMLAnchorElement>('.VPSidebar a[href]')].map(
            (a) => new URL(a.href).pathname,
          ),
        );
      }

      for (const link of await linksOn(page, path)) {
        if (link.url.origin !== origin) continue; // another site (or the reader's own relay on :8787)
        const target = link.url.pathname;
        if (link.url.hash) anchors.push(link);
        if (pages.has(target) || queue.includes(target)) continue;
        const { status, type } = await head(target);
        if (status !== 200) broken.push(`${path}: ${link.href} answers ${status}`);
        else if (target.startsWith('/guide/') && type.startsWith('text/html')) queue.push(target);
      }
    }

    for (const anchor of anchors) {
      const ids = pages.get(anchor.url.pathname);
      const id = decodeURIComponent(anchor.url.hash.slice(1));
      // A link to a page that is not a guide page (`/docs#…`) was checked for its status only.
      if (ids && !ids.has(id)) broken.push(`${anchor.from}: ${anchor.href} names no #${id} there`);
    }
    expect(broken).toEqual([]);
    expect(sidebar.length).toBeGreaterThan(10);
    expect(sidebar.filter((path) => !pages.has(path))).toEqual([]);
    // The guide leads to the relay's API reference, and the committed file links resolve.
    expect(fetched.get('/docs')?.status).toBe(200);
    expect(fetched.get('/guide/LICENSE')?.type).toBe('text/plain; charset=utf-8');
    expect(errors).toEqual([]);
  }, 300_000);

  it('moves between pages in the browser through the sidebar', async () => {
    errors = [];
    await page.goto(`${relay.url}/guide/`);
    await page.locator('.VPSidebar').getByRole('link', { name: 'Signed webhooks', exact: true }).click();
    await page.waitForURL('**/guide/webhooks');
    await expect.poll(() => page.locator('.vp-doc h1').first().innerText()).toContain('Signed webhooks');
    expect(errors).toEqual([]);
  });

  it('finds a page by a word of its body in the search box', async () => {
    errors = [];
    await page.goto(`${relay.url}/guide/`);
    await page.locator('.VPNavBarSearch button').click();
    // `systemd-analyze` is in the body of operations.md only (no heading has it).
    await page.locator('.VPLocalSearchBox input').fill('systemd-analyze');
    const hit = page.locator('.VPLocalSearchBox .results a[href*="/guide/operations"]').first();
    await hit.waitFor();
    await hit.click();
    await page.waitForURL('**/guide/operations*');
    await expect.poll(() => page.locator('.vp-doc h1').first().innerText()).toContain('Operating a relay');
    expect(errors).toEqual([]);
  });

  it("leads from the API reference at /docs into the guide, and the guide's link leads back", async () => {
    errors = [];
    await page.goto(`${relay.url}/docs`);
    // The introduction's links are the OpenAPI document's (openapi-introduction.ts); Swagger UI
    // opens them in a new tab, so this follows the link's own address in this one.
    const guideLink = page.getByRole('link', { name: 'the API guide' });
    const href = await guideLink.evaluate((a) => (a as HTMLAnchorElement).href);
    expect(new URL(href).pathname).toBe('/guide/api');
    expect((await page.goto(href))?.status()).toBe(200);
    await expect.poll(() => page.locator('.vp-doc h1').first().innerText()).toContain('HTTP API');
    await page.locator('.VPNavBar .api-reference-link').click();
    await page.waitForURL('**/docs');
    expect(errors).toEqual([]);
  });

  it("answers a page that does not exist with the site's own 404 page", async () => {
    const response = await page.goto(`${relay.url}/guide/no-such-page`);
    expect(response?.status()).toBe(404);
    await expect.poll(() => page.locator('.NotFound').count()).toBe(1);
  });
});
