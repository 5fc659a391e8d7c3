// Issue 15 "Step-up with a passkey" and "Account" in the browser, with Chromium's virtual
// authenticator (CDP WebAuthn domain, user verification on): add a passkey on the Account page,
// approve a high-risk request with it, sign in with it; change the password and end another
// browser's session. Desktop and phone widths, real relay whose PUBLIC_URL is the page's origin.
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { freePort } from '../../../test-support/cli.js';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, DESKTOP, launchChromium, PHONE, signedInPage } from './support/browser.js';

/** A platform authenticator with a fingerprint reader that always says yes, on this tab. */
async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
}

describeWithService(
  'chromium',
  chromiumInstalled(),
  'passkeys, step-up and the Account page (issue 15)',
  () => {
    let relay: TestRelay;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let base: string;
    let apiKey: string;

    beforeAll(async () => {
      build = await buildDashboard();
      const port = await freePort();
      base = `http://localhost:${port}`;
      relay = await startTestRelay('sqlite', {
        env: { DASHBOARD_DIR: build.dir, PORT: String(port), PUBLIC_URL: base },
      });
      browser = await launchChromium();
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      build?.remove();
    });

    async function highRiskRequest(agentKey: string, resource: string): Promise<string> {
      const created = await call(relay.url, '/api/v1/permissions/request', {
        token: agentKey,
        json: { action: 'db.drop_table', resource },
      });
      expect(created.status).toBe(201);
      return created.body.id;
    }

    const statusOf = async (page: Page, id: string) =>
      ((await (await page.request.get(`${base}/api/v1/approvals/${id}`)).json()) as { status: string })
        .status;

    for (const [label, viewport] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`adds a passkey, approves a high-risk request with it and signs in with it (${label})`, async () => {
        const owner = { email: `passkey-${label}@example.com`, password: 'a long enough passphrase' };
        const { owner: created } = await createOwnerAccount(relay.ctx, { ...owner, channel: 'cli' });
        ({ apiKey } = await relay.createAgent({ name: `db-agent-${label}`, ownerId: created.id }));
        const page = await signedInPage(browser, base, owner, { viewport, timeoutMs: 20_000 });
        await addVirtualAuthenticator(page);

        // Without a passkey the high-risk card says so and links to Account; nothing is approved.
        const first = await highRiskRequest(apiKey, `postgres://prod/${label}-first`);
        const card = page.locator(`article[data-request-id="${first}"]`);
        await card.getByRole('button', { name: 'Approve with passkey' }).click();
        await card.getByRole('alert').filter({ hasText: 'you have none yet' }).waitFor();
        await card.getByRole('link', { name: 'Add a passkey in Account' }).click();
        await page.getByRole('heading', { name: 'Account', level: 1 }).waitFor();
        expect(await statusOf(page, first)).toBe('pending_approval');

        // Add one: the browser's WebAuthn prompt is answered by the virtual authenticator.
        await page.getByLabel('Name (optional)').fill(`Laptop ${label}`);
        await page.getByRole('button', { name: 'Add a passkey' }).click();
        await page
          .getByRole('status')
          .filter({ hasText: `Added Laptop ${label}.` })
          .waitFor();
        await page.getByRole('list', { name: 'Your passkeys' }).getByText(`Laptop ${label}`).waitFor();
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );

        // Approve with it: asked at the tap, held for the undo window, then approved.
        await page.getByRole('link', { name: 'Approvals' }).click();
        await card.getByRole('button', { name: 'Approve with passkey' }).click();
        await card.getByRole('button', { name: /Undo/ }).waitFor();
        expect(await statusOf(page, first)).toBe('pending_approval');
        await expect.poll(() => statusOf(page, first), { timeout: 15_000 }).toBe('approved');

        // Sign out, then sign in with the passkey alone (no email typed).
        await page.getByRole('button', { name: 'Sign out' }).first().click();
        await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
        await page.getByRole('button', { name: 'Use a passkey' }).click();
        await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
        await expect.poll(async () => page.locator('.account-email').first().textContent()).toBe(owner.email);
        await page.context().close();
      }, 120_000);

      it(`ends another browser's session and changes the password (${label})`, async () => {
        const owner = { email: `account-${label}@example.com`, password: 'the first long passphrase' };
        await createOwnerAccount(relay.ctx, { ...owner, channel: 'cli' });
        const other = await signedInPage(browser, base, owner, { timeoutMs: 20_000 });
        const page = await signedInPage(browser, base, owner, { viewport, timeoutMs: 20_000 });
        await page.getByRole('link', { name: 'Account' }).click();
        const sessions = page.getByRole('list', { name: 'Your sessions' });
        await sessions.getByText('This browser').waitFor();
        await expect.poll(() => sessions.getByRole('listitem').count()).toBe(2);
        const otherRow = sessions.getByRole('listitem').filter({ hasNotText: 'This browser' });
        await otherRow.getByRole('button', { name: 'End session' }).click();
        await otherRow.getByRole('button', { name: 'End it now' }).click();
        await expect.poll(() => sessions.getByRole('listitem').count()).toBe(1);
        expect((await other.request.get(`${base}/api/v1/session`)).status()).toBe(401);

        await page.getByLabel('Current password').fill('not the password at all');
        await page.getByLabel(/New password/).fill('the second long passphrase');
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByRole('alert').filter({ hasText: 'current password is wrong' }).waitFor();
        await page.getByLabel('Current password').fill(owner.password);
        await page.getByRole('button', { name: 'Change password' }).click();
        await page.getByRole('status').filter({ hasText: 'Password changed.' }).waitFor();
        expect((await page.request.get(`${base}/api/v1/session`)).status()).toBe(200);
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          viewport.width,
        );
        const again = await call(relay.url, '/api/v1/session', {
          json: { email: owner.email, password: 'the second long passphrase' },
        });
        expect(again.status).toBe(200);
        await other.context().close();
        await page.context().close();
      }, 120_000);
    }
  },
);
