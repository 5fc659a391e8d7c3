import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type DovecotServer,
  dovecotAvailable,
  startDovecot,
} from '../../../packages/email/test/support/dovecot.js';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, launchChromium, signedInPage } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

// Issue 16: a mailbox failing for longer than MAILBOX_FAILING_NOTICE_MINUTES shows a banner on
// the approvals page, with its last error and a link to Sources; it goes once the mailbox
// recovers. Real dovecot refuses the wrong password.
describeWithService(
  'chromium and dovecot',
  chromiumInstalled() && dovecotAvailable(),
  'the failing-mailbox banner on the approvals page (issue 16)',
  () => {
    let relay: TestRelay;
    let dovecot: DovecotServer;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;
    let token: string;

    beforeAll(async () => {
      [build, dovecot] = await Promise.all([buildDashboard(), startDovecot()]);
      relay = await startTestRelay('sqlite', {
        env: {
          DASHBOARD_DIR: build.dir,
          // dovecot runs on loopback, which owners' mailboxes may reach only when allowed.
          MAILBOX_ALLOW_PRIVATE: 'true',
          // 0.6 s, so the test crosses the threshold.
          MAILBOX_FAILING_NOTICE_MINUTES: '0.01',
        },
      });
      const { owner } = await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      token = await createOwnerToken(relay.ctx, owner.id, 3600);
      browser = await launchChromium();
      page = await signedInPage(browser, relay.url, OWNER, { timeoutMs: 20_000 });
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      await dovecot?.close();
      build?.remove();
    });

    it('shows the failing mailbox with its error and a link to Sources, and drops it on recovery', async () => {
      const added = await call(relay.url, '/api/v1/mailboxes', {
        token,
        json: {
          kind: 'imap',
          name: 'Work mail',
          settings: { host: dovecot.host, port: dovecot.port, tls: 'none', login: dovecot.user },
          password: `wrong-${dovecot.password}`,
        },
      });
      expect(added.status).toBe(201);
      await eventually(async () => {
        const res = await call(relay.url, '/api/v1/mailboxes/notices', { token });
        return res.body.notices.length === 1;
      }, 15_000);

      await page.reload();
      const banner = page.locator(`p[role="alert"][data-mailbox-id="${added.body.id}"]`);
      await banner.waitFor();
      expect(await banner.textContent()).toMatch(
        /^Mailbox Work mail has been failing since .+: IMAP login failed \(check the user and password\)\. Fix it on Sources$/,
      );
      await banner.getByRole('link', { name: 'Fix it on Sources' }).click();
      await page.getByRole('heading', { name: 'Mailboxes' }).waitFor();

      const fixed = await call(relay.url, `/api/v1/mailboxes/${added.body.id}`, {
        method: 'PATCH',
        token,
        json: { password: dovecot.password },
      });
      expect(fixed.status).toBe(200);
      await eventually(async () => {
        const res = await call(relay.url, '/api/v1/mailboxes/notices', { token });
        return res.body.notices.length === 0;
      }, 15_000);
      // The banner's own request, answered after the recovery: the page has its answer to show.
      const noticesLoaded = page.waitForResponse((res) => res.url().endsWith('/api/v1/mailboxes/notices'));
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Approvals' }).click();
      expect(await (await noticesLoaded).json()).toEqual({ notices: [] });
      await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
      await page.getByText('Nothing is waiting for your approval.').waitFor();
      expect(await page.locator('.mailbox-notices').count()).toBe(0);
    });
  },
);
