// Issue 15 "Policies page": the dashboard lists every policy in decision order (POLICY_FILE's
// read-only), creates, edits, disables, reorders and deletes database policies, and its
// "test a request" box asks the relay's engine which policy decides. Real relay, real
// Chromium, at desktop and phone widths, driven by keyboard where a person would.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
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
const FILE_POLICY = 'Banking needs me';

function policyFile(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'agent-otp-policies-page-')), 'policies.yaml');
  writeFileSync(
    file,
    `- name: ${FILE_POLICY}\n  priority: 100\n  conditions:\n    action: { startsWith: "bank." }\n  action: require_approval\n`,
  );
  return file;
}

describeWithService('chromium', chromiumInstalled(), 'the Policies page (issue 15)', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir, POLICY_FILE: policyFile() } });
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    await relay.createAgent({ name: 'reader' });
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  const card = (page: Page, name: string): Locator =>
    page
      .getByRole('list', { name: 'Policies in decision order' })
      .getByRole('listitem', { name, exact: true });
  const noSidewaysScroll = async (page: Page, width: number) =>
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

  /** Runs the test box for an action and returns what it says. */
  async function testRequest(page: Page, action: string): Promise<string> {
    const box = page.getByRole('form', { name: 'Test a request' });
    await box.getByLabel('Action').fill(action);
    await box.getByLabel('Resource').fill('docs:/handbook');
    const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/policies/test'));
    await box.getByRole('button', { name: 'Test' }).click();
    expect((await answered).status()).toBe(200);
    const result = page.locator('.policy-test-result');
    await result.locator('.decision-line').waitFor();
    return (await result.innerText()).replace(/\s+/g, ' ');
  }

  /** Fills the create/edit form's first condition and submits it. */
  async function createPolicy(page: Page, name: string, decision: string, action: string) {
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.getByRole('form', { name: 'New policy' });
    await form.getByLabel('Name').fill(name);
    await form.getByLabel('Decision').selectOption({ label: decision });
    await form.getByLabel('Condition 1: field').fill('action');
    await form.getByLabel('Condition 1: test').selectOption('equals');
    await form.getByLabel('Condition 1: value').fill(action);
    await noSidewaysScroll(page, page.viewportSize()?.width ?? 0);
    await form.getByRole('button', { name: 'Create policy' }).click();
    await card(page, name).waitFor();
  }

  /** Mutations through the page wait for the relay's answer and the reloaded list. */
  async function changing(page: Page, act: () => Promise<void>) {
    const listed = page.waitForResponse(
      (r) => r.url().endsWith('/api/v1/policies') && r.request().method() === 'GET',
    );
    await act();
    expect((await listed).status()).toBe(200);
  }

  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`creates, edits, disables, reorders and deletes, and the test box follows (${label})`, async () => {
      const page = await signedInPage(browser, relay.url, OWNER, { viewport: size });
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Policies' }).click();
      await page.getByRole('heading', { name: 'Policies', level: 1 }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/policies');

      // The file's policy: shown, marked read-only, with none of the controls.
      const filePolicy = card(page, FILE_POLICY);
      await filePolicy.waitFor();
      expect(await filePolicy.innerText()).toContain('Policy file (read-only)');
      expect(await filePolicy.innerText()).toContain('action starts with bank.');
      expect(await filePolicy.getByRole('switch').count()).toBe(0);
      expect(await filePolicy.getByRole('button').count()).toBe(0);

      const allow = `Allow docs (${label})`;
      const deny = `Deny docs (${label})`;
      await createPolicy(page, allow, 'Approve automatically', 'docs.read');
      expect(await testRequest(page, 'docs.read')).toContain(`Decision: Approve automatically`);
      expect(await testRequest(page, 'docs.read')).toContain(`Decided by “${allow}” (database, priority 0)`);

      // Edit: rename and narrow to a resource prefix; the card says it in words.
      const renamed = `Allow handbook (${label})`;
      await card(page, allow)
        .getByRole('button', { name: `Edit “${allow}”` })
        .click();
      const form = page.getByRole('form', { name: `Edit “${allow}”` });
      // The Edit button is replaced by the form: the keyboard lands in its first field.
      expect(await form.getByLabel('Name').evaluate((input) => input === document.activeElement)).toBe(true);
      await form.getByLabel('Name').fill(renamed);
      await form.getByRole('button', { name: 'Add condition' }).click();
      await form.getByLabel('Condition 2: field').fill('resource');
      await form.getByLabel('Condition 2: test').selectOption('startsWith');
      await form.getByLabel('Condition 2: value').fill('docs:/');
      await noSidewaysScroll(page, size.width);
      await changing(page, () => form.getByRole('button', { name: 'Save changes' }).click());
      const edited = card(page, renamed);
      await edited.waitFor();
      expect(await edited.getByRole('list').allInnerTexts()).toEqual([
        'action is docs.read\nresource starts with docs:/',
      ]);

      // A deny at the same priority wins the tie (the more cautious action) and is listed first.
      await createPolicy(page, deny, 'Deny', 'docs.read');
      const names = async () =>
        page
          .getByRole('list', { name: 'Policies in decision order' })
          .locator('.policy-name')
          .allInnerTexts();
      expect(await names()).toEqual([FILE_POLICY, deny, renamed]);
      expect(await testRequest(page, 'docs.read')).toContain(`Decided by “${deny}”`);

      // Move up: the allow policy gets a priority above the deny, and now decides.
      await changing(page, () =>
        card(page, renamed)
          .getByRole('button', { name: `Move up “${renamed}”` })
          .click(),
      );
      expect(await names()).toEqual([FILE_POLICY, renamed, deny]);
      expect(await card(page, renamed).innerText()).toMatch(/priority\s+1/i);
      const afterMove = await testRequest(page, 'docs.read');
      expect(afterMove).toContain('Decision: Approve automatically');
      expect(afterMove).toContain(`Decided by “${renamed}” (database, priority 1)`);

      // Disable it from the keyboard: it stays listed but no longer decides.
      const toggle = card(page, renamed).getByRole('switch', { name: 'Enabled' });
      expect(await toggle.isChecked()).toBe(true);
      await toggle.focus();
      await changing(page, () => page.keyboard.press('Space'));
      await expect.poll(() => card(page, renamed).getByRole('switch').isChecked()).toBe(false);
      const afterDisable = await testRequest(page, 'docs.read');
      expect(afterDisable).toContain('Decision: Deny');
      expect(afterDisable).toContain(`Decided by “${deny}”`);
      expect(afterDisable).not.toContain(renamed);

      // Delete with confirmation: first click asks, second deletes.
      const denyCard = card(page, deny);
      await denyCard.getByRole('button', { name: 'Delete' }).click();
      expect(await denyCard.innerText()).toContain(`Delete “${deny}”?`);
      await changing(page, () => denyCard.getByRole('button', { name: 'Delete policy' }).click());
      await denyCard.waitFor({ state: 'detached' });
      expect(await testRequest(page, 'docs.read')).toContain('No policy matched: you decide.');

      await noSidewaysScroll(page, size.width);
      if (label === 'phone') await screenshotBothWidths(page, 'policies');

      // Tidy for the other width: only the file's policy remains.
      await card(page, renamed).getByRole('button', { name: 'Delete' }).click();
      await changing(page, () => card(page, renamed).getByRole('button', { name: 'Delete policy' }).click());
      const left = await (await relay.ownerFetch('/api/v1/policies')).json();
      expect(left.policies.map((p: { name: string }) => p.name)).toEqual([FILE_POLICY]);
      await page.context().close();
    }, 120_000);
  }

  it('shows the relay’s message for an unusable policy and keeps the form open', async () => {
    const page = await signedInPage(browser, relay.url, OWNER, { viewport: PHONE });
    await page.goto(`${relay.url}/policies`);
    await page.getByRole('button', { name: 'New policy' }).click();
    const form = page.getByRole('form', { name: 'New policy' });
    await form.getByLabel('Name').fill('codes by SMS');
    await form.getByLabel('Applies to').selectOption('permission');
    await form.getByLabel('Condition 1: field').fill('otp.sources');
    await form.getByLabel('Condition 1: test').selectOption('in');
    await form.getByLabel('Condition 1: value').fill('sms');
    await form.getByRole('button', { name: 'Create policy' }).click();
    const alert = form.getByRole('alert');
    await alert.waitFor();
    expect(await alert.innerText()).toContain('otp.sources exists only for OTP requests');
    expect((await (await relay.ownerFetch('/api/v1/policies')).json()).policies).toHaveLength(1);
    await page.context().close();
  });
});
