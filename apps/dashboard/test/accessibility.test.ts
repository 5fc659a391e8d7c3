// Issue 15 "What must be true": an automated accessibility check (axe-core) over every page
// in light and dark mode reports 0 violations at WCAG 2.1 AA. Real relay, real data on
// every page (pending and decided requests of both kinds, a high-risk one, a held message,
// sources, a policy, audit rows), real Chromium at desktop and phone width. Each page is
// checked as it opens, again with every disclosure on it open, and in the states an owner
// brings about (a failed sign-in, a decision waiting for undo, a new agent's key shown once).
import { readFileSync } from 'node:fs';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { buildDashboard, DESKTOP, launchChromium, PHONE, signedInPage } from './support/browser.js';
import { type RealisticData, seedRealisticData } from './support/realistic-data.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };
const APP_SOURCE = new URL('../src/app.tsx', import.meta.url);

/** A page (or a state of one) to check: where it is, which routes of app.tsx it stands for, how to know it has loaded. */
interface CheckedPage {
  name: string;
  path: (data: RealisticData) => string | Promise<string>;
  routes?: string[];
  heading: string;
  signedIn: boolean;
  /** Text that shows the page's real content is there, not only its frame. */
  content?: string;
  /** Brings the opened page into the state to check (a form open, an error shown). */
  act?: (page: Page) => Promise<void>;
  /** Only this part of the page, for a state that lasts seconds (the whole page is checked elsewhere). */
  within?: string;
  /** Puts things back after the check (so a state is checked without deciding anything). */
  after?: (page: Page) => Promise<void>;
  /** Tries again on a fresh request when a timed state ended before its check did (a loaded machine). */
  retry?: number;
}

/** Every route app.tsx knows: `path === '/x'`, `matchPath('/x/:id', …)` and the public paths. */
function routesOfApp(): string[] {
  const source = readFileSync(APP_SOURCE, 'utf8');
  const found = [
    ...source.matchAll(/path === '([^']+)'/g),
    ...source.matchAll(/matchPath\('([^']+)'/g),
    ...(source.match(/PUBLIC_PATHS = new Set\(\[([^\]]*)\]\)/)?.[1]?.matchAll(/'([^']+)'/g) ?? []),
  ].map((match) => match[1] ?? '');
  return [...new Set(found)].sort();
}

/**
 * Opens what is folded on the page (every visible `aria-expanded="false"` button and every
 * `<details>`), so the check also sees what an owner unfolds; returns how many it opened.
 */
async function unfoldEverything(page: Page): Promise<number> {
  const opened = await page.evaluate(() => {
    const details = [...document.querySelectorAll('details:not([open])')];
    for (const element of details) element.setAttribute('open', '');
    const toggles = [...document.querySelectorAll<HTMLButtonElement>('button[aria-expanded="false"]')].filter(
      (button) => button.checkVisibility() && !button.disabled,
    );
    for (const toggle of toggles) toggle.click();
    return details.length + toggles.length;
  });
  // Let React render what the clicks opened.
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined))));
  return opened;
}

const PAGES: CheckedPage[] = [
  {
    name: 'sign-in',
    path: () => '/sign-in',
    routes: ['/sign-in'],
    heading: 'Sign in to Agent OTP',
    signedIn: false,
  },
  {
    name: 'sign-in, wrong password',
    path: () => '/sign-in',
    heading: 'Sign in to Agent OTP',
    signedIn: false,
    act: async (page) => {
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill('not the password at all');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('alert').waitFor();
    },
  },
  {
    name: 'setup (already set up)',
    path: () => '/setup',
    routes: ['/setup'],
    heading: 'Already set up',
    signedIn: false,
  },
  {
    name: 'approvals',
    path: () => '/',
    routes: ['/', '/approvals'],
    heading: 'Approvals',
    signedIn: true,
    content: 'Held messages (1)',
  },
  {
    name: 'approval detail (high risk)',
    path: (data) => `/approvals/${data.highRisk}`,
    routes: ['/approvals/:id'],
    heading: 'Request',
    signedIn: true,
    content: 'High risk',
  },
  {
    name: 'approval detail (denied, with the reason)',
    path: (data) => `/approvals/${data.denied}`,
    heading: 'Request',
    signedIn: true,
    content: 'Refunds go through support',
  },
  {
    name: 'approval detail, always-allow form',
    path: (data) => `/approvals/${data.lowRisk}`,
    heading: 'Request',
    signedIn: true,
    act: async (page) => {
      await page.getByRole('button', { name: 'Always allow like this…' }).click();
      await page.getByRole('form', { name: 'Always allow like this' }).getByRole('textbox').first().waitFor();
    },
  },
  {
    name: 'approval detail, a denial waiting for undo',
    path: async (data) => `/approvals/${await data.newPendingPermission()}`,
    heading: 'Request',
    signedIn: true,
    // The undo window is 5 s: only the card is checked (quick), and Undo then releases nothing.
    within: 'article.card.decision',
    act: async (page) => {
      await page.getByRole('button', { name: 'Deny', exact: true }).click();
      await page.getByRole('button', { name: /^Undo/ }).waitFor();
    },
    // Undo still there after the check proves the card stayed in this state throughout.
    after: (page) => page.getByRole('button', { name: /^Undo/ }).click({ timeout: 1_000 }),
    retry: 2,
  },
  {
    name: 'requests',
    path: () => '/requests',
    routes: ['/requests'],
    heading: 'Requests',
    signedIn: true,
    content: 'held no clear code',
  },
  {
    name: 'request timeline',
    path: (data) => `/requests/${data.decided}`,
    routes: ['/requests/:id'],
    heading: 'Request',
    signedIn: true,
    content: 'Token handed to the agent',
  },
  { name: 'activity', path: () => '/activity', routes: ['/activity'], heading: 'Activity', signedIn: true },
  {
    name: 'agents',
    path: () => '/agents',
    routes: ['/agents'],
    heading: 'Agents',
    signedIn: true,
    content: 'ops-agent',
  },
  {
    name: 'agents, a new agent’s key shown once',
    path: () => '/agents',
    heading: 'Agents',
    signedIn: true,
    content: 'ops-agent',
    act: async (page) => {
      await page.getByLabel('Name').fill('calendar-helper');
      await page.getByRole('button', { name: 'Create agent' }).click();
      await page.getByText('Webhook signing secret').waitFor();
    },
  },
  {
    name: 'sources',
    path: () => '/sources',
    routes: ['/sources'],
    heading: 'Sources',
    signedIn: true,
    content: 'sms-source',
  },
  {
    name: 'sources, a new source’s setup shown once',
    path: () => '/sources',
    heading: 'Sources',
    signedIn: true,
    content: 'sms-source',
    act: async (page) => {
      await page.getByLabel('Name', { exact: true }).fill('work phone');
      await page.getByRole('button', { name: 'Create source' }).click();
      await page.getByRole('heading', { name: /how to connect it$/ }).waitFor();
    },
  },
  {
    name: 'policies',
    path: () => '/policies',
    routes: ['/policies'],
    heading: 'Policies',
    signedIn: true,
    content: 'Calendar invites need me',
  },
  {
    name: 'policies, a new policy’s form and a tested request',
    path: () => '/policies',
    heading: 'Policies',
    signedIn: true,
    content: 'Calendar invites need me',
    act: async (page) => {
      await page.getByRole('button', { name: 'New policy' }).click();
      await page.getByRole('form', { name: 'New policy' }).waitFor();
      const test = page.getByRole('form', { name: 'Test a request' });
      await test.getByLabel('Action').fill('calendar.create');
      await test.getByLabel('Resource').fill('calendar:primary');
      await test.getByRole('button', { name: 'Test' }).click();
      await page.getByText('Decided by “Calendar invites need me”').waitFor();
    },
  },
  {
    name: 'audit',
    path: () => '/audit',
    routes: ['/audit'],
    heading: 'Audit',
    signedIn: true,
    content: 'permission.approved',
  },
  { name: 'settings', path: () => '/settings', routes: ['/settings'], heading: 'Settings', signedIn: true },
  { name: 'account', path: () => '/account', routes: ['/account'], heading: 'Account', signedIn: true },
  { name: 'not found', path: () => '/no-such-page', heading: 'Page not found', signedIn: true },
];

describeWithService(
  'chromium',
  chromiumInstalled(),
  'accessibility: axe-core on every page (issue 15)',
  () => {
    let relay: TestRelay;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let signedIn: Page;
    let signedOut: Page;
    let data: RealisticData;

    beforeAll(async () => {
      build = await buildDashboard();
      relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      data = await seedRealisticData(relay);
      browser = await launchChromium();
      // axe-core goes in as an inline script, which the relay's Content-Security-Policy refuses.
      signedIn = await signedInPage(browser, relay.url, OWNER, { timeoutMs: 15_000, bypassCSP: true });
      const outside = await browser.newContext({ viewport: DESKTOP, bypassCSP: true });
      outside.setDefaultTimeout(15_000);
      signedOut = await outside.newPage();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      build?.remove();
    });

    it('checks every route app.tsx has', () => {
      const checked = PAGES.flatMap((page) => page.routes ?? []);
      expect(routesOfApp().filter((route) => !checked.includes(route))).toEqual([]);
    });

    /** Opens the page and waits for its heading, its content and the end of every loading notice. */
    const open = async (page: Page, checked: CheckedPage) => {
      await page.goto(`${relay.url}${await checked.path(data)}`);
      await page.getByRole('heading', { name: checked.heading, level: 1, exact: true }).waitFor();
      if (checked.content) await page.getByText(checked.content).first().waitFor();
      await page.waitForFunction(() => document.querySelector('.state-loading') === null);
    };

    for (const [width, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        describe(`${width} ${viewport.width}×${viewport.height}, ${colorScheme}`, () => {
          for (const checked of PAGES) {
            it(`${checked.name}: 0 violations`, { retry: checked.retry ?? 0 }, async () => {
              const page = checked.signedIn ? signedIn : signedOut;
              await page.setViewportSize(viewport);
              await page.emulateMedia({ colorScheme });
              await open(page, checked);
              // The scheme the page was checked in is the one asked for (a guard on the emulation).
              expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
                colorScheme === 'dark',
              );
              const where = `${checked.name} (${width}, ${colorScheme})`;
              await checked.act?.(page);
              const violations = await axeViolations(page, checked.within);
              expect(violations, describeViolations(where, violations)).toEqual([]);
              await checked.after?.(page);
              if (checked.within || (await unfoldEverything(page)) === 0) return;
              const unfolded = await axeViolations(page);
              expect(unfolded, describeViolations(`${where}, everything unfolded`, unfolded)).toEqual([]);
            });
          }
        });
      }
    }
  },
);
