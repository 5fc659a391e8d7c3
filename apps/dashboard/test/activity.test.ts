// Issue 15 "Activity charts": the Activity page draws one stacked bar per UTC day, gives the
// same numbers in its table, narrows everything to one agent, and fits a phone and a desktop
// without the page scrolling sideways. Real relay, real Chromium; the requests go through the
// real lifecycle, yesterday's with the core clock set a day back.
import type { Clock } from '@agent-otp/core';
import { createOwnerAccount, systemClock } from '@agent-otp/core';
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
const DAY_MS = 86_400_000;
const OUTCOMES = ['approved', 'denied', 'expired', 'cancelled', 'pending'] as const;
type Counts = Record<(typeof OUTCOMES)[number] | 'total', number>;

describeWithService('chromium', chromiumInstalled(), 'the Activity page (issue 15)', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;
  let page: Page;
  const today = new Date().toISOString().slice(0, 10);
  const yesterday = new Date(Date.now() - DAY_MS).toISOString().slice(0, 10);

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    const a = await relay.createAgent({ name: 'invoice-bot' });
    const b = await relay.createAgent({ name: 'other-bot' });
    const keys = await agentKeyPair();
    const owner = (path: string) => relay.ownerFetch(path, { method: 'POST' });
    const requestOtp = async (apiKey: string) =>
      (
        await call(relay.url, '/api/v1/otp', {
          token: apiKey,
          json: {
            reason: 'Sign in to Acme',
            expectedSender: 'noreply@acme.test',
            filter: { sources: ['email'] },
            publicKey: keys.publicKey,
          },
        })
      ).body.id as string;
    const requestPermission = async (apiKey: string) =>
      (
        await call(relay.url, '/api/v1/permissions/request', {
          token: apiKey,
          json: {
            action: 'gmail.send',
            resource: 'email:client@example.com',
            scope: { max_uses: 1 },
            context: { reason: 'Invoice' },
          },
        })
      ).body.id as string;

    // Yesterday, invoice-bot: a permission approved and its token used up, an OTP request denied.
    const dayBack: Clock = { now: () => new Date(Date.now() - DAY_MS) };
    relay.ctx.clock = dayBack;
    const used = await requestPermission(a.apiKey);
    expect((await owner(`/api/v1/approvals/${used}/approve`)).status).toBe(200);
    const read = await call(relay.url, `/api/v1/permissions/${used}`, { token: a.apiKey });
    const spent = await call(relay.url, `/api/v1/permissions/${used}/use`, {
      token: a.apiKey,
      json: { token: read.body.token },
    });
    expect(spent.body.status).toBe('used');
    const denied = await requestOtp(a.apiKey);
    expect((await owner(`/api/v1/approvals/${denied}/deny`)).status).toBe(200);

    // Today, other-bot: a permission denied and an OTP request still pending.
    relay.ctx.clock = systemClock;
    const deniedPermission = await requestPermission(b.apiKey);
    expect((await owner(`/api/v1/approvals/${deniedPermission}/deny`)).status).toBe(200);
    await requestOtp(b.apiKey);

    browser = await launchChromium();
    page = await signedInPage(browser, relay.url, OWNER, { timeoutMs: 15_000 });
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  /** The numbers of the page's table, by UTC day, found by the table's accessible name. */
  const tableCounts = async (): Promise<Record<string, Counts>> => {
    const table = page.getByRole('table', { name: 'Requests per day (UTC) by outcome' });
    await table.waitFor();
    const rows = await table.evaluate((element) =>
      [...element.querySelectorAll('tbody tr')].map((row) => [
        row.querySelector('time')?.getAttribute('datetime') ?? '',
        ...[...row.querySelectorAll('td')].map((cell) => Number(cell.textContent)),
      ]),
    );
    return Object.fromEntries(
      rows.map(([date, ...numbers]) => [
        date,
        Object.fromEntries([...OUTCOMES, 'total'].map((name, i) => [name, numbers[i]])) as Counts,
      ]),
    );
  };
  /** What each day's bar draws: its total and the count of each segment. */
  const barCounts = () =>
    page.evaluate(() =>
      Object.fromEntries(
        [...document.querySelectorAll('g.activity-bar')].map((bar) => [
          bar.getAttribute('data-date'),
          {
            total: Number(bar.getAttribute('data-total')),
            segments: Object.fromEntries(
              [...bar.querySelectorAll('rect.activity-segment')].map((segment) => [
                segment.getAttribute('data-outcome'),
                Number(segment.getAttribute('data-count')),
              ]),
            ),
            height: [...bar.querySelectorAll('rect.activity-segment')].reduce(
              (sum, segment) => sum + Number(segment.getAttribute('height')),
              0,
            ),
          },
        ]),
      ),
    );
  const none: Counts = { approved: 0, denied: 0, expired: 0, cancelled: 0, pending: 0, total: 0 };
  /** Neither the page nor the table scrolls sideways: every number is on screen at once. */
  const noSidewaysScroll = async () =>
    expect(
      await page.evaluate(() => {
        const wrap = document.querySelector('.activity-table-wrap');
        return [
          document.documentElement.scrollWidth - document.documentElement.clientWidth,
          wrap ? wrap.scrollWidth - wrap.clientWidth : 0,
        ];
      }),
    ).toEqual([0, 0]);

  it('draws a bar per day whose segments match the table, at both widths', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    await page.getByRole('img', { name: /Requests per day by outcome/ }).waitFor();
    for (const size of [DESKTOP, PHONE]) {
      await page.setViewportSize(size);
      const counts = await tableCounts();
      expect(Object.keys(counts)).toHaveLength(14);
      expect(counts[yesterday]).toEqual({ ...none, approved: 1, denied: 1, total: 2 });
      expect(counts[today]).toEqual({ ...none, denied: 1, pending: 1, total: 2 });
      const quiet = Object.entries(counts).filter(([date]) => date !== today && date !== yesterday);
      expect(quiet.every(([, day]) => day.total === 0)).toBe(true);

      const bars = await barCounts();
      expect(Object.keys(bars).sort()).toEqual(Object.keys(counts).sort());
      expect(bars[yesterday]?.segments).toEqual({ approved: 1, denied: 1 });
      expect(bars[today]?.segments).toEqual({ denied: 1, pending: 1 });
      expect(bars[yesterday]?.height).toBeGreaterThan(0);
      expect(bars[today]?.height).toBeCloseTo(bars[yesterday]?.height ?? -1, 5);
      expect(quiet.every(([date]) => bars[date]?.height === 0)).toBe(true);

      const denial = page.getByRole('definition').filter({ hasText: '2 of 3 ended requests' });
      await denial.getByText('67%').waitFor();
      await noSidewaysScroll();
    }
    await page.setViewportSize(DESKTOP);
    await screenshotBothWidths(page, 'activity');
  });

  it('narrows the bars, the table and the figures to the agent chosen, kept in the URL', async () => {
    await page.getByLabel('Agent').selectOption({ label: 'other-bot' });
    await page.waitForURL(/\/activity\?agentId=agt_/);
    await eventually(async () => (await tableCounts())[yesterday]?.total === 0);
    const counts = await tableCounts();
    expect(counts[today]).toEqual({ ...none, denied: 1, pending: 1, total: 2 });
    expect((await barCounts())[yesterday]?.segments).toEqual({});
    await page
      .getByRole('definition')
      .filter({ hasText: '1 of 1 ended requests' })
      .getByText('100%')
      .waitFor();

    await page.reload();
    await page.getByLabel('Agent').selectOption({ label: 'invoice-bot' });
    await eventually(async () => (await tableCounts())[today]?.total === 0);
    expect((await tableCounts())[yesterday]).toEqual({ ...none, approved: 1, denied: 1, total: 2 });

    for (const size of [PHONE, DESKTOP]) {
      await page.setViewportSize(size);
      await noSidewaysScroll();
    }
  });
});
