// Issue 15 "Risk at a glance" in the browser: the approval card shows the level as a badge
// (icon and words, not colour alone) with every reason, high risk styled as destructive;
// Settings › Risk rules changes a rule's level. Desktop and phone widths, real relay.
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
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
const DROP_REASONS = [
  "deletes data: the action `db.drop_table` contains the verb 'drop'",
  "touches production: the resource `postgres://prod/users` has the segment 'prod'",
];

describeWithService(
  'chromium',
  chromiumInstalled(),
  'risk at a glance on the approval card (issue 15)',
  () => {
    let relay: TestRelay;
    let build: { dir: string; remove(): void };
    let browser: Browser;
    let page: Page;

    beforeAll(async () => {
      build = await buildDashboard();
      relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
      await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
      const { apiKey } = await relay.createAgent({ name: 'ops-agent' });
      for (const [action, resource] of [
        ['db.drop_table', 'postgres://prod/users'],
        ['calendar.create', 'calendar:primary'],
      ]) {
        const created = await call(relay.url, '/api/v1/permissions/request', {
          token: apiKey,
          json: { action, resource, context: { reason: `please ${action}` } },
        });
        expect(created.status).toBe(201);
      }
      browser = await launchChromium();
      page = await signedInPage(browser, relay.url, OWNER);
    }, 180_000);
    afterAll(async () => {
      await browser?.close();
      await relay?.stop();
      build?.remove();
    });

    const card = (action: string): Locator =>
      page.getByRole('article', { name: new RegExp(action.replace('.', '\\.')) });

    for (const [label, size] of [
      ['desktop', DESKTOP],
      ['phone', PHONE],
    ] as const) {
      it(`shows "High risk" with both reasons for the drop, and low for the calendar (${label})`, async () => {
        await page.setViewportSize(size);
        const drop = card('db.drop_table');
        const badge = drop.locator('.risk-badge');
        await badge.waitFor();
        expect((await badge.textContent())?.trim()).toBe('High risk');
        expect(await badge.locator('svg.risk-icon').count()).toBe(1);
        const reasons = drop.getByRole('list', { name: 'Why: high risk' }).getByRole('listitem');
        expect(await reasons.allTextContents()).toEqual(DROP_REASONS);
        // Every reason fits the card: nothing is cut off or pushes the page sideways.
        const cardBox = await drop.boundingBox();
        for (const box of await Promise.all((await reasons.all()).map((r) => r.boundingBox()))) {
          expect(box && cardBox && box.x + box.width <= cardBox.x + cardBox.width).toBe(true);
        }
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.width,
        );

        const calendar = card('calendar.create');
        expect((await calendar.locator('.risk-badge').textContent())?.trim()).toBe('Low risk');
        expect(await calendar.getByRole('list', { name: /Why/ }).count()).toBe(0);

        // Destructive styling: a filled badge in the deny colour and a marked card edge, unlike low.
        const style = (locator: Locator, property: string) =>
          locator.evaluate((element, name) => getComputedStyle(element).getPropertyValue(name), property);
        const denyColour = await page.evaluate(() =>
          getComputedStyle(document.documentElement).getPropertyValue('--deny').trim(),
        );
        expect(denyColour).not.toBe('');
        const highBackground = await style(badge, 'background-color');
        expect(highBackground).not.toBe(await style(calendar.locator('.risk-badge'), 'background-color'));
        expect(await style(drop, 'border-left-width')).toBe('6px');
        expect(await style(calendar, 'border-left-width')).not.toBe('6px');
      });
    }

    it('screenshots both cards at both widths', async () => {
      await card('db.drop_table').locator('.risk-badge').waitFor();
      await screenshotBothWidths(page, 'approvals-risk');
    });

    it('changes a built-in rule’s level in Settings, for new requests', async () => {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
      await page.getByRole('heading', { name: 'Risk rules', level: 2 }).waitFor();
      const select = page.getByLabel('production-resource');
      expect(await select.inputValue()).toBe('elevated');
      const saved = page.waitForResponse(
        (response) =>
          response.url().endsWith('/api/v1/risk-rules/production-resource') && response.status() === 200,
      );
      await select.selectOption('off');
      await saved;
      // The select is disabled while its save is in flight; once enabled again it shows what the
      // relay answered (the response above can arrive before the page has applied it).
      await page.locator('#risk-rule-production-resource:not([disabled])').waitFor();
      expect(await select.inputValue()).toBe('off');
      const rules = await (await relay.ownerFetch('/api/v1/risk-rules')).json();
      expect(rules.rules).toContainEqual(
        expect.objectContaining({ id: 'production-resource', level: 'off' }),
      );
      await page.reload();
      expect(await page.getByLabel('production-resource').inputValue()).toBe('off');
      await screenshotBothWidths(page, 'settings-risk-rules');
    });
  },
);
