// Issue 17 (newcomer papercuts): a used setup link said "restart serve for a new one", but
// once an owner has a password serve prints no link. The setup page says the relay is
// already set up and links to the sign-in page.
import { createOwnerAccount, issueSetupToken } from '@agent-otp/core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, DESKTOP, launchChromium, screenshotBothWidths } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

describeWithService('chromium', chromiumInstalled(), 'the setup page once an owner exists', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;
  let page: Page;
  let usedLink = '';

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
    // The link serve printed on the first start, then the owner made with the CLI.
    usedLink = `${relay.url}/setup?token=${(await issueSetupToken(relay.ctx))?.token}`;
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: DESKTOP });
    context.setDefaultTimeout(10_000);
    page = await context.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  it('says "already set up: sign in" for an old link, and the link leads to sign-in', async () => {
    await page.goto(usedLink);
    const note = page.getByRole('note');
    await note.getByText('This relay is already set up').waitFor();
    expect(await note.textContent()).toBe('This relay is already set up: sign in.');
    expect(await page.getByRole('button', { name: 'Create owner and sign in' }).count()).toBe(0);
    expect(await page.getByText('restart').count()).toBe(0);
    await screenshotBothWidths(page, 'setup-already-done');

    await note.getByRole('link', { name: 'sign in' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.getByLabel('Email').fill(OWNER.email);
    await page.getByLabel('Password').fill(OWNER.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  });
});
