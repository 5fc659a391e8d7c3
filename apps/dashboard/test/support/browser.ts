import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';

const dashboardRoot = fileURLToPath(new URL('../..', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../..', import.meta.url));
export const SCREENSHOT_DIR = join(repoRoot, 'test-output', 'screenshots');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

/**
 * Builds the dashboard from source into a fresh directory, so the browser tests never run
 * against a stale `dist/` and never race another build writing it.
 */
export async function buildDashboard(): Promise<{ dir: string; remove(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-otp-dashboard-build-'));
  const vite = join(repoRoot, 'node_modules', 'vite', 'bin', 'vite.js');
  await promisify(execFile)(
    process.execPath,
    [vite, 'build', '--outDir', dir, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: dashboardRoot,
      timeout: 120_000,
    },
  );
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Debian's chromium, headless, with a throwaway profile and no background traffic. */
export function launchChromium(): Promise<Browser> {
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
      '--disable-quic',
      '--no-first-run',
    ],
  });
}

/** Saves `name-desktop.png` and `name-phone.png` of the page as it is now. */
export async function screenshotBothWidths(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    await page.setViewportSize(size);
    // Let layout settle after the resize (fonts, wrapping) before capturing.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));
    await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(DESKTOP);
}

/**
 * A page of a fresh context (desktop size and a 10 s step timeout unless `options` say otherwise), signed in to the dashboard at `relayUrl` as `owner`
 * through the sign-in form, waiting on the Approvals page. `bypassCSP` lets a test inject a
 * script of its own (axe-core) that the relay's Content-Security-Policy rightly refuses.
 */
export async function signedInPage(
  browser: Browser,
  relayUrl: string,
  owner: { email: string; password: string },
  options: { viewport?: { width: number; height: number }; timeoutMs?: number; bypassCSP?: boolean } = {},
): Promise<Page> {
  const context = await browser.newContext({
    viewport: options.viewport ?? DESKTOP,
    bypassCSP: options.bypassCSP ?? false,
  });
  context.setDefaultTimeout(options.timeoutMs ?? 10_000);
  const page = await context.newPage();
  await page.goto(`${relayUrl}/sign-in`);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  return page;
}
