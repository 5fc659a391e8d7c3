// Issue 15 "Audit page": readable at phone width (no sideways scroll, one card per event),
// target IDs as links, filters by action, agent and dates kept in the URL, CSV and JSON
// export of what the filters show, and failed sign-ins listed. Real relay, real Chromium,
// at 1280×800 and 390×844.
import { readFileSync } from 'node:fs';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { signIn } from '../../../test-support/session.js';
import {
  buildDashboard,
  DESKTOP,
  launchChromium,
  PHONE,
  screenshotBothWidths,
  signedInPage,
} from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

describeWithService('chromium', chromiumInstalled(), 'the audit page (issue 15)', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;
  let page: Page;
  let alpha: { id: string; apiKey: string };
  let beta: { id: string; apiKey: string };
  let alphaRequest: string;

  async function requestCode(apiKey: string, reason: string): Promise<string> {
    const keys = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason, publicKey: keys.publicKey },
    });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir, TRUST_PROXY: 'true' } });
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    alpha = await relay.createAgent({ name: 'invoice-bot' });
    beta = await relay.createAgent({ name: 'deploy-bot' });
    alphaRequest = await requestCode(alpha.apiKey, 'Sign in to Acme, "billing" portal');
    await relay.ownerFetch(`/api/v1/requests/${alphaRequest}/approve`, { method: 'POST' });
    await requestCode(beta.apiKey, 'Sign in to the cloud console');
    const failed = await signIn(relay.url, OWNER.email, 'not the password at all', {
      'x-forwarded-for': '198.51.100.23',
    });
    expect(failed.res.status).toBe(401);

    browser = await launchChromium();
    page = await signedInPage(browser, relay.url, OWNER, { timeoutMs: 15_000 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  const rows = () => page.locator('table.audit-table tbody tr');
  const rowOf = (text: string) => rows().filter({ hasText: text });
  const actionsShown = async () =>
    (await page.locator('table.audit-table tbody td[data-label="Action"]').allTextContents()).map((t) =>
      t.trim(),
    );

  /** The page fits the window (the brief's own measure), and no table scrolls inside its box either. */
  async function noSidewaysScroll() {
    const measured = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      innerWidth: window.innerWidth,
      tableScrolls: [...document.querySelectorAll('.table-wrap')].some(
        (wrap) => wrap.scrollWidth > wrap.clientWidth + 1,
      ),
    }));
    expect(measured.scrollWidth).toBeLessThanOrEqual(measured.innerWidth);
    expect(measured.tableScrolls).toBe(false);
  }

  async function downloadText(name: string): Promise<{ download: Download; text: string }> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name }).click(),
    ]);
    const path = await download.path();
    return { download, text: readFileSync(path, 'utf8') };
  }

  it('lists every event, failed sign-ins included, and fits both widths', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    const failedRow = rowOf('owner.sign_in_failed');
    await failedRow.waitFor();
    expect(await failedRow.textContent()).toContain('someone at 198.51.100.23');
    expect(await failedRow.textContent()).not.toContain('not the password at all');
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      await failedRow.waitFor();
      await noSidewaysScroll();
    }
    // On a phone each event is a card: the column headings are hidden and each cell is labelled.
    expect(
      await page
        .locator('table.audit-table td')
        .first()
        .evaluate((td) => getComputedStyle(td).display),
    ).toBe('grid');
    await page.setViewportSize(DESKTOP);
    expect(
      await page
        .locator('table.audit-table td')
        .first()
        .evaluate((td) => getComputedStyle(td).display),
    ).toBe('table-cell');
    await screenshotBothWidths(page, 'audit');
  });

  it('links a request ID to its timeline and an agent ID to the agents', async () => {
    await rowOf('otp.approved').getByRole('link', { name: alphaRequest }).click();
    await page.waitForURL(new RegExp(`/requests/${alphaRequest}$`));
    await page.getByRole('list', { name: 'Timeline' }).waitFor();
    await page.goBack();
    await page.waitForURL(/\/audit$/);
    const created = rowOf('agent.created').filter({ hasText: alpha.id });
    await created.getByRole('link', { name: alpha.id }).click();
    await page.waitForURL(/\/agents$/);
    await page.goBack();
    await page.waitForURL(/\/audit$/);
  });

  it('keeps the filters in the URL: reload, back and forward restore them', async () => {
    await page.getByLabel('Action').fill('otp');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/\/audit\?action=otp$/);
    await eventually(async () => (await actionsShown()).every((a) => a.startsWith('otp.')));
    await page.getByLabel('Agent').selectOption(alpha.id);
    await page.waitForURL(new RegExp(`action=otp&agentId=${alpha.id}$`));
    await eventually(async () => (await actionsShown()).join() === 'otp.approved,otp.requested');

    await page.reload();
    expect(await page.getByLabel('Action').inputValue()).toBe('otp');
    // The agent's name arrives with the list of agents, after the page itself.
    await eventually(async () => (await page.getByLabel('Agent').inputValue()) === alpha.id);
    await eventually(async () => (await actionsShown()).join() === 'otp.approved,otp.requested');

    await page.goBack();
    await page.waitForURL(/\/audit\?action=otp$/);
    expect(await page.getByLabel('Agent').inputValue()).toBe('');
    await eventually(async () => (await actionsShown()).filter((a) => a === 'otp.requested').length === 2);
    await page.goForward();
    await page.waitForURL(new RegExp(`agentId=${alpha.id}$`));
    await eventually(async () => (await actionsShown()).join() === 'otp.approved,otp.requested');

    // A range that ends before today leaves nothing, across a reload too; clearing it brings the rows back.
    await page.getByLabel('To').fill('2020-01-01');
    await page.waitForURL(/to=2020-01-01/);
    await page.getByText('No events match.').waitFor();
    await page.reload();
    await page.getByText('No events match.').waitFor();
    await page.getByLabel('To').fill('');
    await eventually(async () => (await actionsShown()).join() === 'otp.approved,otp.requested');
  });

  it('exports the filtered events as CSV and JSON files', async () => {
    const csv = await downloadText('Export CSV');
    expect(csv.download.suggestedFilename()).toMatch(/^agent-otp-audit-\d{8}T\d{6}Z\.csv$/);
    const lines = csv.text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('seq,at,action,actor_type,actor_id,actor,channel,target_id,details,hash');
    expect(lines.slice(1).map((line) => line.split(',')[2])).toEqual(['otp.approved', 'otp.requested']);
    // The reason's comma and quotes stay inside the details cell (JSON, its quotes doubled).
    expect(csv.text).toContain('Sign in to Acme, \\""billing\\"" portal');
    expect(csv.text).not.toContain('deploy-bot');

    const json = await downloadText('Export JSON');
    expect(json.download.suggestedFilename()).toMatch(/^agent-otp-audit-\d{8}T\d{6}Z\.json$/);
    const body = JSON.parse(json.text);
    expect(body).toMatchObject({ rowCap: 10000, truncated: false, nextCursor: null });
    expect(body.events.map((e: { action: string }) => e.action)).toEqual(['otp.approved', 'otp.requested']);
  });

  it('filters and exports at phone width without sideways scroll', async () => {
    await page.setViewportSize(PHONE);
    await page.goto(`${relay.url}/audit?action=owner.sign_in_failed`);
    await rowOf('someone at 198.51.100.23').waitFor();
    expect(await page.getByLabel('Action').inputValue()).toBe('owner.sign_in_failed');
    await noSidewaysScroll();
    const csv = await downloadText('Export CSV');
    expect(csv.text).toContain('owner.sign_in_failed');
    expect(csv.text).not.toContain('otp.requested');
    await page.setViewportSize(DESKTOP);
  });
});
