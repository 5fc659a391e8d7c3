import { createHmac, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, launchChromium, screenshotBothWidths, signedInPage } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

/** A loopback port nobody holds now, so PUBLIC_URL (and with it the webhook URL) can name it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

/**
 * What SMS Gateway for Android posts for `sms:received` (its documented envelope), signed as
 * the app signs: X-Signature = hex HMAC-SHA256(signing key, raw body + X-Timestamp).
 */
function smsGatewayDelivery(signingKey: string, message: string) {
  const body = JSON.stringify({
    deviceId: 'ffffffffceb0b1db0000018e937c815b',
    event: 'sms:received',
    id: randomBytes(10).toString('base64url'),
    payload: {
      messageId: randomBytes(6).toString('hex'),
      message,
      phoneNumber: '+15555550100',
      simNumber: 1,
      receivedAt: new Date().toISOString(),
    },
    webhookId: 'agent-otp',
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', signingKey)
    .update(body + timestamp)
    .digest('hex');
  return { body, timestamp, signature };
}

const post = (url: string, delivery: ReturnType<typeof smsGatewayDelivery>) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-timestamp': delivery.timestamp,
      'x-signature': delivery.signature,
    },
    body: delivery.body,
  });

// One browser flow on SQLite; the provider webhooks themselves are tested on both dialects.
describeWithService(
  'chromium',
  chromiumInstalled(),
  'connecting a phone on the Sources page (issue 12)',
  () => {
    let relay: TestRelay;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;
    let signingSecret = '';

    beforeAll(async () => {
      build = await buildDashboard();
      const port = await freePort();
      relay = await startTestRelay('sqlite', {
        env: { DASHBOARD_DIR: build.dir, PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}` },
      });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      browser = await launchChromium();
      page = await signedInPage(browser, relay.url, OWNER);
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      build?.remove();
    });

    const sourceCard = () => page.locator('li[data-source-id]').filter({ hasText: 'Pixel 8' });

    it('creates an SMS Gateway source, and a signed sms:received turns the test check green', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
      await page.getByRole('heading', { name: 'Connect a phone or SMS number' }).waitFor();
      expect(await page.getByLabel('SMS Gateway for Android (recommended)').isChecked()).toBe(true);
      await page.getByLabel('Name').fill('Pixel 8');
      await page.getByRole('button', { name: 'Create source' }).click();

      const webhookUrl = (await page.getByTestId('webhook-url').first().textContent()) ?? '';
      signingSecret = (await page.getByTestId('signing-secret').first().textContent()) ?? '';
      const sourceId = (await sourceCard().getAttribute('data-source-id')) ?? '';
      expect(webhookUrl).toBe(`${relay.url}/api/v1/sms/sms-gateway/${sourceId}`);
      expect(signingSecret.length).toBeGreaterThanOrEqual(16);
      // SMS Gateway authenticates by signature alone: no token to paste, so none is shown.
      expect(await page.getByTestId('secret-value').count()).toBe(0);
      await page.getByText('Waiting for a message').waitFor();

      // A wrong key is refused, and the page says why while it keeps waiting.
      const forged = await post(webhookUrl, smsGatewayDelivery('not the signing key', 'Your code is 111111'));
      expect(forged.status).toBe(401);
      await page.getByText(/The relay refused a delivery: .*signature/i).waitFor();

      const signed = await post(webhookUrl, smsGatewayDelivery(signingSecret, 'Your Acme code is 482913'));
      expect(signed.ok).toBe(true);
      await page
        .locator('.test-check.ok')
        .getByText(/Received: the first message arrived/)
        .waitFor();
      // The list below updates as soon as the check turns green.
      await sourceCard().getByText('1, last just now').waitFor();
      await screenshotBothWidths(page, 'sources-sms-gateway-setup');
    });

    it('after a reload the list shows the source’s figures and no secret', async () => {
      await page.reload();
      await sourceCard().waitFor();
      const html = await page.content();
      expect(html).not.toContain(signingSecret);
      expect(html).not.toMatch(/cs_[A-Za-z0-9]{12,}/);
      const text = (await sourceCard().textContent()) ?? '';
      // The signed test message matched no request: the last error says so (it is held, not lost).
      for (const shown of [
        'SMS Gateway for Android',
        'Messages received',
        'Last error',
        'no matching request',
      ])
        expect(text).toContain(shown);
      expect(text).toMatch(/Messages received1, last just now/);
      await screenshotBothWidths(page, 'sources-list');
    });

    it('rotate shows a new signing secret once; the old one is refused', async () => {
      await sourceCard().getByRole('button', { name: 'Rotate secret' }).click();
      await sourceCard().getByRole('button', { name: 'Confirm rotate' }).click();
      await page.getByRole('heading', { name: 'New secrets for Pixel 8' }).waitFor();
      const rotated = (await page.getByTestId('signing-secret').first().textContent()) ?? '';
      expect(rotated).not.toBe(signingSecret);
      const webhookUrl = (await page.getByTestId('webhook-url').first().textContent()) ?? '';
      expect((await post(webhookUrl, smsGatewayDelivery(signingSecret, 'Your code is 222222'))).status).toBe(
        401,
      );
      expect((await post(webhookUrl, smsGatewayDelivery(rotated, 'Your code is 333333'))).ok).toBe(true);
      await page.locator('.test-check.ok').waitFor();
      await page.getByRole('button', { name: 'I have stored it' }).click();
      await sourceCard().getByRole('button', { name: 'Revoke' }).click();
      await sourceCard().getByRole('button', { name: 'Confirm revoke' }).click();
      await sourceCard()
        .getByText(/^Revoked /)
        .waitFor();
    });

    it('a Twilio number asks for the Auth Token and shows the URL to paste in the console', async () => {
      await page.getByLabel('Twilio number').check();
      await page.getByLabel('Name').fill('Support line');
      await page.getByRole('button', { name: 'Create source' }).click();
      // The browser refuses the form without the token: nothing is created.
      expect(
        await page
          .getByLabel('Twilio Auth Token')
          .evaluate((input: HTMLInputElement) => input.validity.valueMissing),
      ).toBe(true);
      expect(await page.locator('li[data-source-id]').filter({ hasText: 'Support line' }).count()).toBe(0);
      await page.getByLabel('Twilio Auth Token').fill('not a token!');
      await page.getByRole('button', { name: 'Create source' }).click();
      await page
        .getByRole('alert')
        .getByText(/twilioAuthToken/)
        .waitFor();
      await page.getByLabel('Twilio Auth Token').fill(randomBytes(16).toString('hex'));
      await page.getByRole('button', { name: 'Create source' }).click();
      await page.getByRole('heading', { name: 'Connect Support line' }).waitFor();
      expect(await page.getByTestId('webhook-url').first().textContent()).toMatch(
        new RegExp(`^${relay.url}/api/v1/sms/twilio/`),
      );
      await page.getByText('Under Messaging Configuration', { exact: false }).waitFor();
      await page.getByText('Nothing here is secret', { exact: false }).waitFor();
      // The URL is no secret: the list keeps it for when the console needs it again.
      const twilioUrl = (await page.getByTestId('webhook-url').first().textContent()) ?? '';
      await page
        .locator('li[data-source-id]')
        .filter({ hasText: 'Support line' })
        .getByText(twilioUrl)
        .waitFor();
      await page.getByRole('button', { name: 'I have stored it' }).click();
    });

    it('an iPhone (iOS Shortcuts) recipe works as shown: its URL and Authorization header deliver', async () => {
      await page.getByLabel('iPhone (iOS Shortcuts)').check();
      await page.getByLabel('Name').fill('iPhone 15');
      await page.getByRole('button', { name: 'Create source' }).click();
      await page.getByRole('heading', { name: 'Connect iPhone 15' }).waitFor();
      const value = (label: string) =>
        page.locator('.copyable').filter({ hasText: label }).locator('code').first().textContent();
      const url = (await value('URL')) ?? '';
      const authorization = (await value('Header Authorization')) ?? '';
      expect(authorization).toMatch(/^Bearer cs_/);
      // Long values reach the phone by its camera: each one can be shown as a QR code.
      const urlRow = page.locator('.copyable').filter({ hasText: 'URL' }).first();
      await urlRow.getByRole('button', { name: 'QR' }).click();
      expect(await urlRow.getByRole('img', { name: /URL, to scan/ }).getAttribute('src')).toMatch(
        /^data:image\/png;base64,/,
      );
      await page.getByText('Waiting for a message').waitFor();
      await screenshotBothWidths(page, 'sources-iphone-setup');
      // What the Shortcut's "Get Contents of URL" sends: JSON with the sender and the message.
      const delivered = await fetch(url, {
        method: 'POST',
        headers: { authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ from: 'Acme', text: 'Your Acme code is 604211' }),
      });
      expect(delivered.ok).toBe(true);
      await page.locator('.test-check.ok').waitFor();
      await page.reload();
      await page.locator('li[data-source-id]').filter({ hasText: 'iPhone 15' }).waitFor();
      expect(await page.content()).not.toContain(authorization.slice('Bearer '.length));
    });
  },
);
