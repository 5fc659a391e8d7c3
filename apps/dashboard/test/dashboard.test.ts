import { createOwnerAccount, issueSetupToken } from '@agent-otp/core';
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, DESKTOP, launchChromium, screenshotBothWidths } from './support/browser.js';

const ALICE = { email: 'alice@example.com', password: 'correct horse battery staple' };
const BOB = { email: 'bob@example.com', password: 'a different long passphrase' };

// The browser suite runs on SQLite; the session API it relies on is tested on both dialects.
describeWithService('chromium', chromiumInstalled(), 'dashboard in a real browser', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;
  let alice: BrowserContext;
  let page: Page;
  let apiKey = '';

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
    browser = await launchChromium();
    alice = await browser.newContext({ viewport: DESKTOP });
    // Fail a step with Playwright's own message well before the test's timeout.
    alice.setDefaultTimeout(10_000);
    page = await alice.newPage();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  /** What an agent does with the SDK: a key pair, then `POST /api/v1/otp` with its API key. */
  const agentAsks = async (reason: string) => {
    const keys = await agentKeyPair();
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: {
        reason,
        expectedSender: 'Acme',
        filter: { sources: ['email'], senderPattern: '*@acme.com' },
        publicKey: keys.publicKey,
      },
    });
    expect(res.status).toBe(201);
    return {
      id: res.body.id as string,
      approvalUrl: res.body.approvalUrl as string,
      fingerprint: res.body.keyFingerprint as string,
      keys,
    };
  };
  const nav = (on: Page, name: string) =>
    on.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });
  const card = (id: string) => page.locator(`article[data-request-id="${id}"]`);
  const settled = (id: string) => page.locator(`.settled-list li[data-request-id="${id}"]`);

  it('first run: the setup link creates the owner and signs them in', async () => {
    const setup = await issueSetupToken(relay.ctx);
    await page.goto(`${relay.url}/setup?token=${setup?.token}`);
    await page.getByLabel('Email').fill(ALICE.email);
    await page.getByLabel('Password').fill(ALICE.password);
    await screenshotBothWidths(page, 'setup');
    await page.getByRole('button', { name: 'Create owner and sign in' }).click();
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
    await page.getByText('Nothing is waiting for your approval.').waitFor();
    expect(await page.locator('.account-email').textContent()).toBe(ALICE.email);
  });

  it('pages behind sign-in send a signed-out visitor to the sign-in form and back', async () => {
    const visitor = await browser.newContext({ viewport: DESKTOP });
    const other = await visitor.newPage();
    for (const path of ['/', '/agents', '/audit']) {
      await other.goto(`${relay.url}${path}`);
      await other.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(new URL(other.url()).pathname).toBe('/sign-in');
    }
    await screenshotBothWidths(other, 'sign-in');
    await other.getByLabel('Email').fill(ALICE.email);
    await other.getByLabel('Password').fill('not the password');
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByText('email or password is wrong').waitFor();
    await other.getByLabel('Password').fill(ALICE.password);
    await other.getByRole('button', { name: 'Sign in' }).click();
    await other.getByRole('heading', { name: 'Audit', level: 1 }).waitFor();
    await visitor.close();
  });

  it('creates an agent: the key is shown once with a copy button and an SDK snippet', async () => {
    await nav(page, 'Agents').click();
    await page.getByText('No agents yet.').waitFor();
    await page.getByLabel('Name').fill('shopping-assistant');
    await page.getByRole('button', { name: 'Create agent' }).click();
    const secret = page.getByTestId('secret-value');
    await secret.waitFor();
    apiKey = (await secret.textContent()) ?? '';
    expect(apiKey).toMatch(/^ak_live_/);
    expect(await page.locator('.snippet pre').textContent()).toContain(apiKey);
    // The webhook signing secret is shown once beside the key (issue 11).
    expect(await page.getByTestId('webhook-secret-value').textContent()).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    await page.getByRole('button', { name: 'Copy webhook secret' }).waitFor();
    await page.getByRole('button', { name: 'Copy', exact: true }).waitFor();
    await page.locator('li[data-agent-id]').getByText('shopping-assistant').waitFor();
    await screenshotBothWidths(page, 'agents');
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('secret-value').count()).toBe(0);
  });

  it('rotates an agent’s webhook secret (shown once) and shows its webhook deliveries (issue 11)', async () => {
    const row = page.locator('li[data-agent-id]').filter({ hasText: 'shopping-assistant' });
    await row.getByText('Webhook deliveries').click();
    await row.getByText('No webhook events yet').waitFor();
    await row.getByRole('button', { name: 'Rotate webhook secret' }).click();
    await row.getByRole('button', { name: 'Confirm rotate' }).click();
    const rotated = page.getByTestId('webhook-secret-value');
    await rotated.waitFor();
    expect(await rotated.textContent()).toMatch(/^whsec_/);
    expect(await page.getByTestId('secret-value').count()).toBe(0);
    await page.getByRole('button', { name: 'I have stored it' }).click();
    expect(await page.getByTestId('webhook-secret-value').count()).toBe(0);
  });

  it('an agent’s request appears live; Approve; the agent receives its code', async () => {
    await nav(page, 'Approvals').click();
    await page.getByText('Live', { exact: true }).waitFor();
    const request = await agentAsks('Sign-up verification for Acme');
    // No reload: the card arrives over the event stream.
    await card(request.id).waitFor();
    const text = (await card(request.id).textContent()) ?? '';
    for (const shown of [
      'shopping-assistant',
      'Sign-up verification for Acme',
      'Acme',
      'email',
      '*@acme.com',
      // The key in its short form (issue 15): the first 16 hex digits, in groups of 4.
      request.fingerprint
        .slice(0, 16)
        .toUpperCase()
        .replace(/(.{4})(?!$)/g, '$1 '),
    ])
      expect(text).toContain(shown);
    expect(text).toMatch(/expires in \d+ min/);
    expect(new URL(request.approvalUrl).pathname).toBe(`/approvals/${request.id}`);
    await screenshotBothWidths(page, 'approvals');

    await card(request.id).getByRole('button', { name: 'Approve' }).click();
    // Sent once the undo window (5 s) ends; the card keeps its place until dismissed.
    await settled(request.id)
      .getByText(/Approved by alice@example.com via dashboard/)
      .waitFor({ timeout: 20_000 });
    await card(request.id).getByRole('button', { name: 'Dismiss' }).click();
    expect(await card(request.id).count()).toBe(0);

    const delivered = await relay.ownerFetch('/api/v1/owner/capture', {
      method: 'POST',
      body: JSON.stringify({
        source: 'email',
        from: 'noreply@acme.com',
        subject: 'Your code',
        text: 'Your Acme verification code is 482913.',
      }),
    });
    expect((await delivered.json()).matched).toBeTruthy();
    const ready = await call(relay.url, `/api/v1/otp/${request.id}?wait=10`, { token: apiKey });
    expect(ready.body.status).toBe('otp_received');
    const consumed = await call(relay.url, `/api/v1/otp/${request.id}/consume`, {
      method: 'POST',
      token: apiKey,
    });
    const payload = await decryptOtpPayloadFor(
      consumed.body.encryptedPayload,
      request.keys.privateKey,
      request.id,
    );
    expect(payload.code).toBe('482913');
  });

  it('a message two agents tie for is held: the owner gives it to one (issue 9 item 7)', async () => {
    await nav(page, 'Approvals').click();
    await page.getByText('Live', { exact: true }).waitFor();
    const other = await relay.createAgent({ name: 'travel-assistant' });
    const keys = await agentKeyPair();
    const ask = async (token: string) => {
      const res = await call(relay.url, '/api/v1/otp', {
        token,
        json: {
          reason: 'Tie at Acme',
          filter: { sources: ['email'], senderPattern: '*@tie.example' },
          publicKey: keys.publicKey,
        },
      });
      await relay.ownerFetch(`/api/v1/requests/${res.body.id}/approve`, { method: 'POST' });
      return res.body.id as string;
    };
    const mine = await ask(apiKey);
    const theirs = await ask(other.apiKey);
    const captured = await relay.ownerFetch('/api/v1/owner/capture', {
      method: 'POST',
      body: JSON.stringify({ source: 'email', from: 'codes@tie.example', text: 'Your code is 604211.' }),
    });
    const { heldMessageId } = await captured.json();
    const heldCard = page.locator(`article[data-held-id="${heldMessageId}"]`);
    await heldCard.waitFor();
    const text = (await heldCard.textContent()) ?? '';
    for (const shown of ['codes@tie.example', 'shopping-assistant', 'travel-assistant', '*@tie.example'])
      expect(text).toContain(shown);
    expect(text).not.toContain('604211');
    await screenshotBothWidths(page, 'held-message');
    await heldCard.getByRole('button', { name: 'Give to travel-assistant' }).click();
    await eventually(async () => (await heldCard.count()) === 0);
    const consumed = await call(relay.url, `/api/v1/otp/${theirs}/consume`, {
      method: 'POST',
      token: other.apiKey,
    });
    expect((await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, theirs)).code).toBe(
      '604211',
    );
    expect((await call(relay.url, `/api/v1/otp/${mine}`, { token: apiKey })).body.status).toBe('approved');
    await call(relay.url, `/api/v1/otp/${mine}`, { method: 'DELETE', token: apiKey });
  });

  it('Deny: the agent learns it was denied', async () => {
    const request = await agentAsks('Reset the admin password');
    await card(request.id).waitFor();
    await card(request.id).getByRole('button', { name: 'Deny', exact: true }).click();
    await settled(request.id)
      .getByText(/Denied by alice@example.com via dashboard/)
      .waitFor({ timeout: 20_000 });
    const status = await call(relay.url, `/api/v1/otp/${request.id}`, { token: apiKey });
    expect(status.body.status).toBe('denied');
    expect(status.body).not.toHaveProperty('denialReason');
  });

  it('Deny with reason…: the field opens focused, Enter denies, and the agent receives the words (issue 15)', async () => {
    const request = await agentAsks('Drop the production users table');
    await card(request.id).waitFor();
    const reveal = card(request.id).getByRole('button', { name: 'Deny with reason…' });
    expect(await reveal.getAttribute('aria-expanded')).toBe('false');
    await reveal.click();
    expect(await reveal.getAttribute('aria-expanded')).toBe('true');
    const field = card(request.id).getByLabel('Reason (the agent receives it)');
    // Focus moved into the field: the keyboard types straight into it, and Enter submits.
    await page.keyboard.type('Use the staging database instead');
    expect(await field.inputValue()).toBe('Use the staging database instead');
    await page.keyboard.press('Enter');
    await settled(request.id)
      .getByText(/Denied by alice@example.com via dashboard/)
      .waitFor({ timeout: 20_000 });
    const status = await call(relay.url, `/api/v1/otp/${request.id}`, { token: apiKey });
    expect(status.body).toMatchObject({ status: 'denied', denialReason: 'Use the staging database instead' });
    // The owner's own view of the decided request shows the words too.
    await page.goto(`${relay.url}/approvals/${request.id}`);
    await page.getByText('“Use the staging database instead”').waitFor();
    await page.goto(`${relay.url}/`);
    await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
  });

  it('a decision from the CLI shows up live', async () => {
    const request = await agentAsks('Decided from the terminal');
    await card(request.id).waitFor();
    // The CLI's `approve` calls this endpoint with its owner token.
    const res = await relay.ownerFetch(`/api/v1/requests/${request.id}/approve`, { method: 'POST' });
    expect(res.status).toBe(200);
    await settled(request.id)
      .getByText(/Approved by alice@example.com via cli/)
      .waitFor();
    // A card decided elsewhere stays in place while the mouse is over the list, and goes
    // once it leaves (issue 15: the list never moves under the pointer).
    await page.mouse.move(1, 1);
    await card(request.id).waitFor({ state: 'detached' });
  });

  it('the approvalUrl page shows one request and follows it live', async () => {
    const request = await agentAsks('Opened from the Telegram link');
    await page.goto(`${relay.url}${new URL(request.approvalUrl).pathname}`);
    await card(request.id).getByRole('button', { name: 'Approve' }).waitFor();
    await screenshotBothWidths(page, 'approval-detail');
    await relay.ownerFetch(`/api/v1/requests/${request.id}/deny`, { method: 'POST' });
    await card(request.id)
      .getByText(/Denied by alice@example.com via cli/)
      .waitFor();
    expect(await card(request.id).getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('lists request history with filters, and never a code', async () => {
    await nav(page, 'Requests').click();
    await page.getByRole('cell', { name: 'Sign-up verification for Acme' }).waitFor();
    await page.getByLabel('Status').selectOption('denied');
    await eventually(
      async () => (await page.getByRole('cell', { name: 'Sign-up verification for Acme' }).count()) === 0,
    );
    await page.getByRole('cell', { name: 'Reset the admin password' }).waitFor();
    await page.getByLabel('Status').selectOption('');
    await page.getByRole('cell', { name: 'Sign-up verification for Acme' }).waitFor();
    expect(await page.content()).not.toContain('482913');
    await screenshotBothWidths(page, 'requests');
  });

  it('creates a capture source whose token is shown once', async () => {
    await nav(page, 'Sources').click();
    await page.getByText('No capture sources yet.').waitFor();
    await page.getByLabel('Email forwarder').check();
    await page.getByLabel('Name').fill('Work mailbox forwarder');
    await page.getByRole('button', { name: 'Create source' }).click();
    expect(await page.getByTestId('secret-value').textContent()).toMatch(/^cs_/);
    await page.locator('li[data-source-id]').getByText('Work mailbox forwarder').waitFor();
    await screenshotBothWidths(page, 'sources');
  });

  it('searches the audit trail and verifies its hash chain', async () => {
    await nav(page, 'Audit').click();
    await page.getByRole('cell', { name: 'otp.approved' }).first().waitFor();
    await page.getByLabel('Search', { exact: true }).fill('otp.denied');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await eventually(async () => (await page.getByRole('cell', { name: 'otp.approved' }).count()) === 0);
    await page.getByRole('cell', { name: 'otp.denied' }).first().waitFor();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await page.getByText(/Chain intact: \d+ events checked/).waitFor();
    await screenshotBothWidths(page, 'audit');
  });

  it('shows settings, and signing out locks the pages again', async () => {
    await nav(page, 'Settings').click();
    await page.getByRole('heading', { name: 'Telegram' }).waitFor();
    await screenshotBothWidths(page, 'settings');
    await page.getByRole('button', { name: 'Sign out' }).first().click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.goto(`${relay.url}/requests`);
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
  });

  it('a second owner sees none of the first owner’s requests, in the page or the API', async () => {
    await createOwnerAccount(relay.ctx, { ...BOB, channel: 'cli' });
    const { id: aliceRequest } = await agentAsks('Only for Alice');
    const context = await browser.newContext({ viewport: DESKTOP });
    const bob = await context.newPage();
    await bob.goto(`${relay.url}/sign-in`);
    await bob.getByLabel('Email').fill(BOB.email);
    await bob.getByLabel('Password').fill(BOB.password);
    await bob.getByRole('button', { name: 'Sign in' }).click();
    await bob.getByText('Nothing is waiting for your approval.').waitFor();
    expect(await bob.content()).not.toContain('Only for Alice');
    await nav(bob, 'Requests').click();
    await bob.getByText('No requests match.').waitFor();
    await bob.goto(`${relay.url}/approvals/${aliceRequest}`);
    await bob.getByText('There is no such request among yours.', { exact: false }).waitFor();
    const api = await bob.request.get(`${relay.url}/api/v1/requests`);
    expect((await api.json()).requests).toEqual([]);
    expect((await bob.request.get(`${relay.url}/api/v1/approvals/${aliceRequest}`)).status()).toBe(404);
    await context.close();
  });
});
