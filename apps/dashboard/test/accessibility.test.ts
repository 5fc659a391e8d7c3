// Issue 15 "What must be true": an automated accessibility check (axe-core) over every page
// in light and dark mode reports 0 violations at WCAG 2.1 AA. Real relay, real data on
// every page (pending and decided requests of both kinds, a high-risk one, a held message,
// sources, a policy, audit rows), real Chromium at desktop and phone width.
import { readFileSync } from 'node:fs';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { axeViolations, describeViolations } from './support/axe.js';
import { buildDashboard, DESKTOP, launchChromium, PHONE, signedInPage } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };
const APP_SOURCE = new URL('../src/app.tsx', import.meta.url);

/** A page to check: where it is, which routes of app.tsx it stands for, how to know it has loaded. */
interface CheckedPage {
  name: string;
  path: () => string;
  routes: string[];
  heading: string;
  signedIn: boolean;
  /** Text that shows the page's real content is there, not only its frame. */
  content?: string;
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
    const ids = { highRisk: '', decided: '' };

    const pages: CheckedPage[] = [
      {
        name: 'sign-in',
        path: () => '/sign-in',
        routes: ['/sign-in'],
        heading: 'Sign in to Agent OTP',
        signedIn: false,
      },
      { name: 'setup', path: () => '/setup', routes: ['/setup'], heading: 'Already set up', signedIn: false },
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
        path: () => `/approvals/${ids.highRisk}`,
        routes: ['/approvals/:id'],
        heading: 'Request',
        signedIn: true,
        content: 'High risk',
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
        path: () => `/requests/${ids.decided}`,
        routes: ['/requests/:id'],
        heading: 'Request',
        signedIn: true,
        content: 'Token handed to the agent',
      },
      {
        name: 'activity',
        path: () => '/activity',
        routes: ['/activity'],
        heading: 'Activity',
        signedIn: true,
      },
      {
        name: 'agents',
        path: () => '/agents',
        routes: ['/agents'],
        heading: 'Agents',
        signedIn: true,
        content: 'ops-agent',
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
        name: 'audit',
        path: () => '/audit',
        routes: ['/audit'],
        heading: 'Audit',
        signedIn: true,
        content: 'permission.approved',
      },
      {
        name: 'settings',
        path: () => '/settings',
        routes: ['/settings'],
        heading: 'Settings',
        signedIn: true,
      },
      { name: 'account', path: () => '/account', routes: ['/account'], heading: 'Account', signedIn: true },
      {
        name: 'not found',
        path: () => '/no-such-page',
        routes: [],
        heading: 'Page not found',
        signedIn: true,
      },
    ];

    beforeAll(async () => {
      build = await buildDashboard();
      relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      const shopping = await relay.createAgent({ name: 'shopping-assistant' });
      const travel = await relay.createAgent({ name: 'travel-assistant' });
      const ops = await relay.createAgent({ name: 'ops-agent' });
      await relay.createSource('sms');
      await relay.createSource('email');
      const keys = await agentKeyPair();

      // Pending: a code request and a low- and a high-risk permission.
      const pendingOtp = await call(relay.url, '/api/v1/otp', {
        token: shopping.apiKey,
        json: { reason: 'Sign in to Acme', filter: { sources: ['sms'] }, publicKey: keys.publicKey },
      });
      expect(pendingOtp.status).toBe(201);
      const lowRisk = await call(relay.url, '/api/v1/permissions/request', {
        token: ops.apiKey,
        json: { action: 'calendar.create', resource: 'calendar:primary', context: { reason: 'Team sync' } },
      });
      expect(lowRisk.body.status).toBe('pending_approval');
      const highRisk = await call(relay.url, '/api/v1/permissions/request', {
        token: ops.apiKey,
        json: { action: 'db.drop_table', resource: 'postgres://prod/users', context: { reason: 'Clean up' } },
      });
      expect(highRisk.body.status).toBe('pending_approval');
      ids.highRisk = highRisk.body.id;

      // Decided: an approved permission whose token the agent has read, and a denied one.
      const approved = await call(relay.url, '/api/v1/permissions/request', {
        token: shopping.apiKey,
        json: {
          action: 'gmail.send',
          resource: 'email:client@example.com',
          scope: { max_uses: 3 },
          context: { reason: 'November invoice' },
        },
      });
      ids.decided = approved.body.id;
      expect(
        (await relay.ownerFetch(`/api/v1/approvals/${ids.decided}/approve`, { method: 'POST' })).ok,
      ).toBe(true);
      const read = await call(relay.url, `/api/v1/permissions/${ids.decided}`, { token: shopping.apiKey });
      expect(read.body.token).toMatch(/^otp_/);
      const denied = await call(relay.url, '/api/v1/permissions/request', {
        token: travel.apiKey,
        json: { action: 'payments.refund', resource: 'order:1042', context: { reason: 'Customer asked' } },
      });
      const deny = await relay.ownerFetch(`/api/v1/approvals/${denied.body.id}/deny`, {
        method: 'POST',
        body: JSON.stringify({ reason: 'Refunds go through support' }),
      });
      expect(deny.ok).toBe(true);

      // A message two approved code requests tie for is held for the owner; another held no clear code.
      for (const agent of [shopping, travel]) {
        const asked = await call(relay.url, '/api/v1/otp', {
          token: agent.apiKey,
          json: {
            reason: 'Sign in to the airline',
            filter: { sources: ['email'], senderPattern: '*@tie.example' },
            publicKey: keys.publicKey,
          },
        });
        expect(
          (await relay.ownerFetch(`/api/v1/requests/${asked.body.id}/approve`, { method: 'POST' })).ok,
        ).toBe(true);
      }
      const held = await relay.ownerFetch('/api/v1/owner/capture', {
        method: 'POST',
        body: JSON.stringify({ source: 'email', from: 'codes@tie.example', text: 'Your code is 604211.' }),
      });
      expect((await held.json()).heldMessageId).toMatch(/^hld_/);
      const acme = await call(relay.url, '/api/v1/otp', {
        token: ops.apiKey,
        json: {
          reason: 'Sign in to Acme billing',
          filter: { sources: ['email'], senderPattern: '*@acme.example' },
          publicKey: keys.publicKey,
        },
      });
      expect(
        (await relay.ownerFetch(`/api/v1/requests/${acme.body.id}/approve`, { method: 'POST' })).ok,
      ).toBe(true);
      const unclear = await relay.ownerFetch('/api/v1/owner/capture', {
        method: 'POST',
        body: JSON.stringify({
          source: 'email',
          from: 'codes@acme.example',
          text: 'Acme account. Login: 48213907',
        }),
      });
      expect(await unclear.json()).toMatchObject({ matched: false, reason: 'no_code_found' });

      const policy = await relay.ownerFetch('/api/v1/policies', {
        method: 'POST',
        body: JSON.stringify({
          name: 'Calendar invites need me',
          action: 'require_approval',
          conditions: { action: { equals: 'calendar.create' } },
        }),
      });
      expect(policy.status).toBe(201);

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
      const checked = pages.flatMap((page) => page.routes).sort();
      expect(routesOfApp().filter((route) => !checked.includes(route))).toEqual([]);
    });

    /** Opens the page and waits for its heading, its content and the end of every loading notice. */
    const open = async (page: Page, checked: CheckedPage) => {
      await page.goto(`${relay.url}${checked.path()}`);
      await page.getByRole('heading', { name: checked.heading, level: 1, exact: true }).waitFor();
      if (checked.content) await page.getByText(checked.content, { exact: false }).first().waitFor();
      await page.waitForFunction(() => document.querySelector('.state-loading') === null);
    };

    for (const [width, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      for (const colorScheme of ['light', 'dark'] as const) {
        describe(`${width} ${viewport.width}×${viewport.height}, ${colorScheme}`, () => {
          for (const checked of pages) {
            it(`${checked.name}: 0 violations`, async () => {
              const page = checked.signedIn ? signedIn : signedOut;
              await page.setViewportSize(viewport);
              await page.emulateMedia({ colorScheme });
              await open(page, checked);
              // The scheme the page was checked in is the one asked for (a guard on the emulation).
              expect(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches)).toBe(
                colorScheme === 'dark',
              );
              const violations = await axeViolations(page);
              expect(
                violations,
                describeViolations(`${checked.name} (${width}, ${colorScheme})`, violations),
              ).toEqual([]);
            });
          }
        });
      }
    }
  },
);
