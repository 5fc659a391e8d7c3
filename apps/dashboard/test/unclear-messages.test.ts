import { createOwnerAccount } from '@agent-otp/core';
import { DEFAULT_DELIVERY_CONFIDENCE, extractOTP } from '@agent-otp/extract';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, launchChromium, screenshotBothWidths, signedInPage } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };
/** Labelled only by "Login:": the extractor is unsure of it (checked, not assumed). */
const UNCLEAR_TEXT = 'Acme account. Login: 48213907';

// One browser flow on SQLite; the notes themselves are tested on both dialects in the server's tests.
describeWithService(
  'chromium',
  chromiumInstalled(),
  'the owner sees a message that held no clear code (issue 14)',
  () => {
    let relay: TestRelay;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      build = await buildDashboard();
      relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      browser = await launchChromium();
      page = await signedInPage(browser, relay.url, OWNER);
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      build?.remove();
    });

    it('on the request history and on the request’s own page, with sender and time but no code', async () => {
      expect(extractOTP({ source: 'email', text: UNCLEAR_TEXT })?.confidence).toBeLessThan(
        DEFAULT_DELIVERY_CONFIDENCE,
      );
      const { apiKey } = await relay.createAgent({ name: 'shopping-assistant' });
      const keys = await agentKeyPair();
      const created = await call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: { reason: 'Sign in to Acme', filter: { sources: ['email'] }, publicKey: keys.publicKey },
      });
      await relay.ownerFetch(`/api/v1/requests/${created.body.id}/approve`, { method: 'POST' });
      const captured = await relay.ownerFetch('/api/v1/owner/capture', {
        method: 'POST',
        body: JSON.stringify({ source: 'email', from: 'Acme <codes@acme.example>', text: UNCLEAR_TEXT }),
      });
      expect(await captured.json()).toMatchObject({ matched: false, reason: 'no_code_found' });

      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Requests' }).click();
      const row = page.getByRole('row').filter({ hasText: 'Sign in to Acme' });
      const note = row.getByRole('list', { name: 'Messages without a clear code' });
      await note.waitFor();
      const text = (await note.textContent()) ?? '';
      expect(text).toMatch(/A message from codes@acme\.example arrived at .+ but held no clear code/);
      expect(text).toMatch(/best guess \d+% sure/);
      expect(text).not.toContain('48213907');
      await screenshotBothWidths(page, 'requests-unclear-message');

      await row.getByRole('link').first().click();
      await page.getByRole('heading', { name: 'Request', level: 1 }).waitFor();
      await page
        .getByRole('list', { name: 'Messages without a clear code' })
        .getByText(/A message from codes@acme\.example arrived at/)
        .waitFor();
      expect(await page.content()).not.toContain('48213907');
    });
  },
);
