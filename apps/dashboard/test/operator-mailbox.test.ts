import { createOwnerAccount } from '@agent-otp/core';
import { OPERATOR_MAILBOX_ID } from '@agent-otp/shared';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DovecotServer,
  dovecotAvailable,
  startDovecot,
} from '../../../packages/email/test/support/dovecot.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, DESKTOP, launchChromium } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

// Issue 16: the mailbox the operator configured (IMAP_HOST) is listed on the Sources page of
// the default owner, read-only: where it connects and its state, and no test, edit or remove.
describeWithService(
  'chromium and dovecot',
  chromiumInstalled() && dovecotAvailable(),
  'the operator’s mailbox on the Sources page (issue 16)',
  () => {
    let relay: TestRelay;
    let dovecot: DovecotServer;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      [build, dovecot] = await Promise.all([buildDashboard(), startDovecot()]);
      relay = await startTestRelay('sqlite', {
        env: {
          DASHBOARD_DIR: build.dir,
          IMAP_HOST: dovecot.host,
          IMAP_PORT: String(dovecot.port),
          IMAP_USER: dovecot.user,
          IMAP_PASSWORD: dovecot.password,
          IMAP_TLS: 'false',
        },
      });
      browser = await launchChromium();
      const context = await browser.newContext({ viewport: DESKTOP });
      context.setDefaultTimeout(20_000);
      page = await context.newPage();
      // The first account claims the default owner, whom the operator's mailbox serves.
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      await dovecot?.close();
      build?.remove();
    });

    it('lists it read-only with its server and state', async () => {
      await page.goto(`${relay.url}/sign-in`);
      await page.getByLabel('Email').fill(OWNER.email);
      await page.getByLabel('Password').fill(OWNER.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Sources' }).click();
      const row = page.locator(`li[data-mailbox-id="${OPERATOR_MAILBOX_ID}"]`);
      await row.getByTestId('operator-mailbox').waitFor();
      expect(await row.getByRole('heading', { level: 3 }).textContent()).toBe('Configured by the operator');
      expect(await row.textContent()).toContain(`${dovecot.host}:${dovecot.port}, no TLS`);
      await row.getByTestId('mailbox-state').getByText('Watching').waitFor();
      expect(await row.getByRole('button').count()).toBe(0);
    });
  },
);
