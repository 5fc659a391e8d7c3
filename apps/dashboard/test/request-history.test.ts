// Issue 15 "One history": the dashboard lists code and permission requests together with
// labels right for each kind, keeps its filters in the URL (reload, back and forward), shows
// a request's timeline, and revokes a live permission token. Real relay, real Chromium.
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import {
  buildDashboard,
  DESKTOP,
  launchChromium,
  PHONE,
  screenshotBothWidths,
  signedInPage,
} from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

describeWithService(
  'chromium',
  chromiumInstalled(),
  'one history of both kinds, a timeline, revoke (issue 15)',
  () => {
    let relay: TestRelay;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;
    let apiKey: string;
    let otpId: string;
    let permission: { id: string; token: string };

    beforeAll(async () => {
      build = await buildDashboard();
      relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      ({ apiKey } = await relay.createAgent({ name: 'invoice-bot' }));
      const keys = await agentKeyPair();
      const otp = await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: { reason: 'Sign in to Acme', filter: { sources: ['email'] }, publicKey: keys.publicKey },
      });
      otpId = otp.body.id;
      await relay.ownerFetch(`/api/v1/requests/${otpId}/approve`, { method: 'POST' });
      const requested = await call(relay.url, '/api/v1/permissions/request', {
        token: apiKey,
        json: {
          action: 'gmail.send',
          resource: 'email:client@example.com',
          scope: { max_uses: 3 },
          context: { reason: 'November invoice' },
        },
      });
      await relay.ownerFetch(`/api/v1/approvals/${requested.body.id}/approve`, { method: 'POST' });
      const read = await call(relay.url, `/api/v1/permissions/${requested.body.id}`, { token: apiKey });
      permission = { id: requested.body.id, token: read.body.token };
      expect(permission.token).toMatch(/^otp_/);

      browser = await launchChromium();
      page = await signedInPage(browser, relay.url, OWNER, { timeoutMs: 15_000 });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      build?.remove();
    });

    const rowOf = (text: string) => page.getByRole('row').filter({ hasText: text });
    /**
     * Nothing sticks out sideways: the elements past the window's edge, named (none expected).
     * A wide table may scroll inside its own box on a desktop; on a phone it must not scroll at all.
     */
    const noSideways = async () =>
      expect(
        await page.evaluate(() => {
          const phone = window.innerWidth < 640;
          const outside = [...document.querySelectorAll('body *')]
            .filter(
              (el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > window.innerWidth + 1,
            )
            .map((el) => `${el.tagName}.${el.className}: ${(el.textContent ?? '').slice(0, 40)}`);
          const scrolling = [...document.querySelectorAll('.table-wrap')]
            .filter((wrap) => phone && wrap.scrollWidth > wrap.clientWidth + 1)
            .map(() => 'a table scrolls sideways on a phone');
          return [...outside, ...scrolling];
        }),
      ).toEqual([]);

    it('shows both kinds, each with its own words for approved', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
      const permissionRow = rowOf('gmail.send on email:client@example.com (November invoice)');
      await permissionRow.getByText('Approved: token issued, 3 uses left').waitFor();
      expect(await permissionRow.getByRole('cell', { name: 'Permission' }).count()).toBe(1);
      const otpRow = rowOf('Sign in to Acme');
      await otpRow.getByText('Approved, waiting for the code').waitFor();
      expect(await permissionRow.getByText('waiting for the code').count()).toBe(0);
      for (const size of [DESKTOP, PHONE]) {
        await page.setViewportSize(size);
        await permissionRow.getByText('Approved: token issued, 3 uses left').waitFor();
        await noSideways();
      }
      await page.setViewportSize(DESKTOP);
      await screenshotBothWidths(page, 'requests-history');
    });

    it('keeps the filters in the URL: reload, back and forward restore them', async () => {
      await page.getByLabel('Kind').selectOption('permission');
      await page.waitForURL(/\/requests\?kind=permission$/);
      await eventually(async () => (await rowOf('Sign in to Acme').count()) === 0);
      await page.getByLabel('Status').selectOption('approved');
      await page.waitForURL(/kind=permission&status=approved/);
      await page.reload();
      expect(await page.getByLabel('Kind').inputValue()).toBe('permission');
      expect(await page.getByLabel('Status').inputValue()).toBe('approved');
      await rowOf('November invoice').waitFor();
      expect(await rowOf('Sign in to Acme').count()).toBe(0);

      await page.goBack();
      await page.waitForURL(/\/requests\?kind=permission$/);
      expect(await page.getByLabel('Status').inputValue()).toBe('');
      await page.goBack();
      await page.waitForURL(/\/requests$/);
      expect(await page.getByLabel('Kind').inputValue()).toBe('all');
      await rowOf('Sign in to Acme').waitFor();
      await page.goForward();
      expect(await page.getByLabel('Kind').inputValue()).toBe('permission');
      await eventually(async () => (await rowOf('Sign in to Acme').count()) === 0);

      // Risk, as assessed at creation: sending one email is not high risk.
      await page.getByLabel('Risk').selectOption('high');
      await page.waitForURL(/risk=high/);
      await page.getByText('No requests match.').waitFor();
      await page.getByLabel('Risk').selectOption('');
      await rowOf('November invoice').waitFor();

      // A date range that ends before today leaves nothing; today brings the rows back.
      await page.getByLabel('To').fill('2020-01-01');
      await page.getByText('No requests match.').waitFor();
      await page.waitForURL(/to=2020-01-01/);
      await page.reload();
      await page.getByText('No requests match.').waitFor();
      await page.getByLabel('To').fill('');
      await rowOf('November invoice').waitFor();
    });

    it('shows the timeline of a permission and revokes its token from there', async () => {
      await rowOf('November invoice').getByRole('link').first().click();
      await page.getByRole('heading', { name: 'Request', level: 1 }).waitFor();
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await timeline.getByText('Requested by invoice-bot').waitFor();
      await timeline.getByText(`Approved by ${OWNER.email}`).waitFor();
      await timeline.getByText('Token handed to the agent').waitFor();
      expect(
        await timeline.getByText('gmail.send on email:client@example.com; scope {"max_uses":3}').count(),
      ).toBe(1);
      expect(await page.content()).not.toContain(permission.token);
      // Instants in the steps' words are in the reader's time, like the rest of the page.
      expect(await timeline.textContent()).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      await timeline.getByText(/3 uses granted; valid until /).waitFor();
      await screenshotBothWidths(page, 'request-timeline');
      for (const size of [PHONE, DESKTOP]) {
        await page.setViewportSize(size);
        await noSideways();
      }

      await page.getByRole('button', { name: 'Revoke token' }).click();
      await page.getByText('The agent’s token stops working at once (3 uses left).').waitFor();
      await page.getByRole('button', { name: 'Yes, revoke' }).click();
      await page.getByText('Revoked: the token no longer works').waitFor();
      await timeline.getByText(`Token revoked by ${OWNER.email}`).waitFor();
      expect(await page.getByRole('button', { name: 'Revoke token' }).count()).toBe(0);

      const refused = await call(relay.url, `/api/v1/permissions/${permission.id}/use`, {
        token: apiKey,
        json: { token: permission.token },
      });
      expect(refused.status).toBe(410);
      expect(refused.body.error.code).toBe('TOKEN_REVOKED');
    });

    it('cancels a code request from its page at phone width', async () => {
      await page.setViewportSize(PHONE);
      // From the approval card (the page an approvalUrl opens) to what happened since.
      await page.goto(`${relay.url}/approvals/${otpId}`);
      await page.getByRole('link', { name: 'What happened to it: the timeline' }).click();
      await page.waitForURL(new RegExp(`/requests/${otpId}$`));
      const timeline = page.getByRole('list', { name: 'Timeline' });
      await timeline.getByText(`Approved by ${OWNER.email}`).waitFor();
      await page.getByRole('button', { name: 'Cancel request' }).click();
      await page.getByRole('button', { name: 'Yes, cancel' }).click();
      await timeline.getByText(`Cancelled by ${OWNER.email}`).waitFor();
      await noSideways();
      const read = await call(relay.url, `/api/v1/otp/${otpId}`, { token: apiKey });
      expect(read.body.status).toBe('cancelled');
      await page.setViewportSize(DESKTOP);
    });
  },
);
