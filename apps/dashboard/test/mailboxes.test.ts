import { createServer } from 'node:net';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { openEmailRequest, waitForCode } from '../../../packages/email/test/support/agent.js';
import {
  buildMessage,
  type DovecotServer,
  dovecotAvailable,
  startDovecot,
} from '../../../packages/email/test/support/dovecot.js';
import { type FakeGoogle, startFakeGoogle } from '../../../packages/email/test/support/fake-google.js';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, launchChromium, screenshotBothWidths, signedInPage } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

/** A loopback port nobody holds now, so PUBLIC_URL (and with it Google's redirect URI) can name it. */
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

// Issue 16: an owner connects a mailbox from the Sources page, against a real dovecot on
// loopback: the test button names what fails, then passes; the saved mailbox's connector
// starts without a relay restart and a matching mail reaches a waiting agent. "Connect Gmail"
// goes through a loopback Google speaking its OAuth and Gmail wire formats.
describeWithService(
  'chromium and dovecot',
  chromiumInstalled() && dovecotAvailable(),
  'mailboxes on the Sources page (issue 16)',
  () => {
    let relay: TestRelay;
    let dovecot: DovecotServer;
    let google: FakeGoogle;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;
    let apiKey: string;

    beforeAll(async () => {
      [build, dovecot, google] = await Promise.all([buildDashboard(), startDovecot(), startFakeGoogle()]);
      const port = await freePort();
      relay = await startTestRelay('sqlite', {
        env: {
          DASHBOARD_DIR: build.dir,
          // dovecot runs on loopback, which owners' mailboxes may reach only when allowed.
          MAILBOX_ALLOW_PRIVATE: 'true',
          PORT: String(port),
          PUBLIC_URL: `http://127.0.0.1:${port}`,
          GMAIL_CLIENT_ID: google.clientId,
          GMAIL_CLIENT_SECRET: google.clientSecret,
          GOOGLE_AUTH_URL: google.authUrl,
          GOOGLE_TOKEN_URL: google.tokenUrl,
          GMAIL_API_ROOT: google.gmailUrl,
          GMAIL_POLL_SECONDS: '0.2',
        },
      });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      ({ apiKey } = await relay.createAgent({ name: 'mail-agent' }));
      browser = await launchChromium();
      page = await signedInPage(browser, relay.url, OWNER, { timeoutMs: 20_000 });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      await dovecot?.close();
      await google?.close();
      build?.remove();
    });

    const form = () => page.getByRole('form', { name: 'Add mailbox' });
    const mailboxCard = () => page.locator('li[data-mailbox-id]').filter({ hasText: 'Dovecot here' });

    it('a preset fills the server and shows the provider’s app-password hint', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
      await page.getByRole('heading', { name: 'Mailboxes' }).waitFor();
      await page.getByText('No mailboxes yet.').waitFor();
      await form().getByLabel('Provider').selectOption({ label: 'iCloud Mail' });
      expect(await form().getByLabel('IMAP server').inputValue()).toBe('imap.mail.me.com');
      expect(await form().getByLabel('Port').inputValue()).toBe('993');
      expect(await form().getByLabel('Security').inputValue()).toBe('implicit');
      await form()
        .getByTestId('preset-hint')
        .getByText(/iCloud needs an app-specific password/)
        .waitFor();
      await form().getByRole('link', { name: 'https://support.apple.com/102654' }).waitFor();
    });

    it('the test button names a wrong password, then passes every step with the right one', async () => {
      await form().getByLabel('Provider').selectOption({ label: 'Other (enter the server)' });
      await form().getByLabel('Mailbox label').fill('Dovecot here');
      await form().getByLabel('IMAP server').fill(dovecot.host);
      await form().getByLabel('Port').fill(String(dovecot.port));
      await form().getByLabel('Security').selectOption('none');
      await form().getByLabel('Login').fill(dovecot.user);
      await form().getByLabel('Password or app password').fill(`not-${dovecot.password}`);
      await form().getByRole('button', { name: 'Test connection' }).click();
      await form().getByText('Connection failed.').waitFor();
      const failedStep = form().locator('li[data-step="login"][data-ok="false"]');
      await failedStep
        .getByText(`The server refused the login for ${dovecot.user}`, { exact: false })
        .waitFor();
      expect(await form().locator('li[data-step][data-ok="true"]').count()).toBe(3);

      await form().getByLabel('Password or app password').fill(dovecot.password);
      await form().getByRole('button', { name: 'Test connection' }).click();
      await form().getByText('Connection works.').waitFor();
      expect(await form().locator('li[data-step][data-ok="true"]').count()).toBe(5);
      await form()
        .locator('li[data-step="folder"]')
        .getByText(/The folder "INBOX" holds/)
        .waitFor();
      await screenshotBothWidths(page, 'sources-mailbox-test');
    });

    it('adding it starts its connector at once: a matching mail reaches a waiting agent', async () => {
      await form().getByRole('button', { name: 'Add mailbox' }).click();
      await mailboxCard().waitFor();
      // The form is cleared and the page never shows the password again.
      expect(await form().getByLabel('Password or app password').inputValue()).toBe('');
      expect(await page.content()).not.toContain(dovecot.password);
      await mailboxCard().getByText('saved', { exact: true }).waitFor();

      const request = await openEmailRequest(relay, apiKey, '*@acme-mailbox.test');
      const waiting = waitForCode(relay, request, 60_000);
      await dovecot.appendMessage(
        buildMessage({
          from: 'Acme <no-reply@acme-mailbox.test>',
          subject: 'Your sign-in code',
          text: 'Your verification code is 73915046. It expires in 10 minutes.',
        }),
      );
      expect(await waiting).toBe('73915046');
      // Neither the password nor the code is readable in any table or log line.
      const dump = await relay.dumpDatabase();
      const logs = relay.logs.join('\n');
      for (const secret of [dovecot.password, '73915046']) {
        expect(dump).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
      // The list refreshes on its own: the connector reports that it watches the mailbox.
      await mailboxCard().getByTestId('mailbox-state').getByText('Watching').waitFor();
      await screenshotBothWidths(page, 'sources-mailboxes');
    });

    it('editing keeps the saved password unless a new one is typed; a wrong one shows as failing', async () => {
      const edit = () => mailboxCard().getByRole('form', { name: 'Edit Dovecot here' });
      await mailboxCard().getByRole('button', { name: 'Edit' }).click();
      expect(await edit().getByLabel('Password or app password').inputValue()).toBe('');
      expect(await edit().getByLabel('Password or app password').getAttribute('placeholder')).toBe(
        'saved (type a new one to replace it)',
      );
      // Unchanged settings and no password typed: the test runs with the saved password.
      await edit().getByRole('button', { name: 'Test connection' }).click();
      await edit().getByText('Connection works.').waitFor();
      await edit().getByLabel('Password or app password').fill(`wrong-${dovecot.password}`);
      await edit().getByRole('button', { name: 'Save changes' }).click();
      await mailboxCard().getByTestId('mailbox-state').getByText('Failing').waitFor();
      expect(await mailboxCard().getByTestId('mailbox-last-error').textContent()).not.toBe('none');

      await mailboxCard().getByRole('button', { name: 'Edit' }).click();
      await edit().getByLabel('Password or app password').fill(dovecot.password);
      await edit().getByRole('button', { name: 'Save changes' }).click();
      await mailboxCard().getByTestId('mailbox-state').getByText('Watching').waitFor();
      expect(await mailboxCard().getByTestId('mailbox-last-error').textContent()).toBe('none');
    });

    it('the saved mailbox passes its own test; removing it asks first, then stops it', async () => {
      await mailboxCard().getByRole('button', { name: 'Test connection' }).click();
      await mailboxCard().getByText('Connection works.').waitFor();

      await mailboxCard().getByRole('button', { name: 'Remove' }).click();
      await mailboxCard().getByText('erases its saved password', { exact: false }).waitFor();
      await mailboxCard().getByRole('button', { name: 'Confirm remove' }).click();
      await page.getByText('No mailboxes yet.').waitFor();
      const listed = await relay.ownerFetch('/api/v1/mailboxes');
      expect((await listed.json()).mailboxes).toEqual([]);
      await eventually(async () => {
        const sources = await relay.ownerFetch('/api/v1/sources');
        const { sources: list } = await sources.json();
        return list.every((source: { revokedAt: string | null }) => source.revokedAt !== null);
      }, 20_000);
    });

    it('Connect Gmail goes through Google’s consent and comes back with the mailbox watching', async () => {
      await page.getByRole('button', { name: 'Connect Gmail' }).click();
      await page.waitForURL(`${relay.url}/sources`);
      const gmailCard = page
        .locator('li[data-mailbox-id]')
        .filter({ hasText: `Gmail ${google.emailAddress}` });
      await gmailCard.getByText(`Gmail (${google.emailAddress})`).waitFor();
      await gmailCard.getByTestId('mailbox-state').getByText('Watching').waitFor();
      // A Gmail mailbox has no password to edit or test: only its access, shown as saved.
      expect(await gmailCard.getByRole('button', { name: 'Test connection' }).count()).toBe(0);
      await gmailCard.getByText('saved', { exact: true }).waitFor();
      await screenshotBothWidths(page, 'sources-mailboxes-gmail');
    });
  },
);
