// Issue 15, the approval card an owner can trust at a glance, in chromium against a real
// relay: plain-language lines with the raw JSON behind a toggle, the short key compared
// with the agent's last request, relative times; decisions held for undo (nothing reaches
// the relay in the window) in a list that never moves under the pointer; "Always allow
// like this"; the pending count in the tab title and browser notifications. Desktop and phone.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOwnerAccount } from '@agent-otp/core';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import {
  buildDashboard,
  DESKTOP,
  launchChromium,
  PHONE,
  SCREENSHOT_DIR,
  signedInPage,
} from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };
/** The card's undo window (UNDO_WINDOW_MS) and a margin for a loaded machine. */
const UNDO_MS = 5000;
const PAST_UNDO_MS = UNDO_MS + 1500;
/** Generous: the machine running these may be loaded, and several steps wait out the undo window. */
const STEP_TIMEOUT_MS = 120_000;
const DOCS_IMAGES = fileURLToPath(new URL('../../../docs/images/', import.meta.url));

describeWithService('chromium', chromiumInstalled(), 'the approval card (issue 15)', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;
  let apiKey: string;
  let counter = 0;

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir } });
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    ({ apiKey } = await relay.createAgent({ name: 'mailer' }));
    browser = await launchChromium();
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  /** A permission request of its own kind (a unique resource), pending. */
  const askPermission = async (overrides: Record<string, unknown> = {}) => {
    counter += 1;
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: {
        action: 'gmail.send',
        resource: `email:client-${counter}@example.com`,
        scope: { max_emails: 1, subject_pattern: '^Invoice.*' },
        context: { reason: `Send invoice number ${counter}` },
        ...overrides,
      },
    });
    expect(created.status).toBe(201);
    return created.body as { id: string; status: string };
  };
  const statusOf = async (id: string) =>
    ((await (await relay.ownerFetch(`/api/v1/approvals/${id}`)).json()) as { status: string }).status;
  const decisionEvents = async (id: string) =>
    (
      await relay.ctx.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', id)
        .execute()
    )
      .map((event) => event.action)
      .filter((action) => /approved|denied/.test(action));
  /** Ends every request still waiting, so each test starts from an empty queue. */
  const clearQueue = async () => {
    const { approvals } = (await (await relay.ownerFetch('/api/v1/approvals')).json()) as {
      approvals: { id: string }[];
    };
    for (const { id } of approvals)
      await relay.ownerFetch(`/api/v1/approvals/${id}/deny`, { method: 'POST' });
  };
  const cardOf = (page: Page, id: string): Locator => page.locator(`article[data-request-id="${id}"]`);

  for (const [label, size] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(
      `reads in plain words, with the short key, relative times and the raw JSON on demand (${label})`,
      async () => {
        await clearQueue();
        const page = await signedInPage(browser, relay.url, OWNER, { viewport: size });
        await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: relay.url });
        const permission = await askPermission();
        const { publicKey } = await agentKeyPair();
        const otp = (
          await call(relay.url, '/api/v1/otp', {
            token: apiKey,
            json: {
              reason: 'Sign in to Acme',
              filter: { sources: ['sms', 'email'], senderPattern: '*@acme.com' },
              publicKey,
            },
          })
        ).body as { id: string };

        const card = cardOf(page, permission.id);
        const lines = card.getByRole('list', { name: 'What approving allows' }).getByRole('listitem');
        await lines.first().waitFor();
        expect(await lines.allTextContents()).toEqual([
          `may gmail.send on email:client-${counter}@example.com`,
          '1 use',
          'at most 1 email',
          'subject must match ^Invoice.*',
        ]);
        // The reason once: not repeated among the fields.
        const text = (await card.textContent()) ?? '';
        expect(text.split(`Send invoice number ${counter}`).length - 1).toBe(1);
        // The scope's JSON only behind the toggle.
        expect(text).not.toContain('"max_emails"');
        const toggle = card.getByRole('button', { name: 'Show details' });
        expect(await toggle.getAttribute('aria-expanded')).toBe('false');
        await toggle.click();
        expect(await card.getByRole('button', { name: 'Hide details' }).getAttribute('aria-expanded')).toBe(
          'true',
        );
        expect(await card.locator('pre.raw-json').textContent()).toContain('"max_emails": 1');
        // Relative time with the exact time on hover.
        const requested = card.locator('dd time').first();
        expect(await requested.textContent()).toBe('just now');
        expect(await requested.getAttribute('title')).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
        expect(await card.locator('time.countdown').textContent()).toMatch(/^expires in \d+ min$/);
        expect(await card.locator('time.countdown').getAttribute('title')).toMatch(/^Expires .+ UTC$/);

        const otpCard = cardOf(page, otp.id);
        expect(await otpCard.getByRole('list', { name: 'What approving allows' }).textContent()).toBe(
          'a code from *@acme.com by SMS or email',
        );
        const fingerprint = await otpCard.locator('code.fingerprint').textContent();
        expect(fingerprint).toMatch(/^[0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4}$/);
        // Each run uses a fresh key, so this agent's key is new unless it is its first request.
        expect(await otpCard.locator('.key-history').textContent()).toMatch(
          /^(new key for this agent|this agent's first request: no earlier key to compare)$/,
        );
        // The short form is one unbroken line; the copy button copies the whole fingerprint.
        const box = await otpCard.locator('code.fingerprint').boundingBox();
        expect(box && box.height < 30).toBe(true);
        await otpCard.getByRole('button', { name: 'Copy full fingerprint' }).click();
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        expect(copied).toMatch(/^[0-9a-f]{64}$/);
        expect(copied.slice(0, 16).toUpperCase()).toBe(fingerprint?.replaceAll(' ', ''));
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
          size.width,
        );
        await page.context().close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `holds a decision for undo: nothing reaches the relay in the window (${label})`,
      async () => {
        await clearQueue();
        const page = await signedInPage(browser, relay.url, OWNER, { viewport: size, timeoutMs: 20_000 });
        const undone = await askPermission();
        const card = cardOf(page, undone.id);
        await card.getByRole('button', { name: 'Approve' }).click();
        await card.getByRole('button', { name: /^Undo \(\d s\)$/ }).waitFor();
        expect(await card.getByRole('status').textContent()).toMatch(/^Approved — sent in \d s$/);
        expect(await statusOf(undone.id)).toBe('pending_approval');
        await card.getByRole('button', { name: /^Undo/ }).click();
        await card.getByRole('button', { name: 'Approve' }).waitFor();
        await page.waitForTimeout(PAST_UNDO_MS);
        expect(await statusOf(undone.id)).toBe('pending_approval');
        expect(await decisionEvents(undone.id)).toEqual([]);

        // Decided and left alone: sent once the window ends.
        await card.getByRole('button', { name: 'Approve' }).click();
        await page.waitForTimeout(UNDO_MS - 2000);
        expect(await statusOf(undone.id)).toBe('pending_approval');
        await card.locator('.badge.approved').waitFor();
        expect(await statusOf(undone.id)).toBe('approved');

        // Closing the page in the window decides nothing.
        const abandoned = await askPermission();
        await cardOf(page, abandoned.id).getByRole('button', { name: 'Deny', exact: true }).click();
        await cardOf(page, abandoned.id).getByRole('button', { name: /^Undo/ }).waitFor();
        await page.context().close();
        await new Promise((resolve) => setTimeout(resolve, PAST_UNDO_MS));
        expect(await statusOf(abandoned.id)).toBe('pending_approval');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `never moves the other cards: after a decision, and when a request arrives (${label})`,
      async () => {
        await clearQueue();
        const page = await signedInPage(browser, relay.url, OWNER, { viewport: size, timeoutMs: 20_000 });
        const ids = [(await askPermission()).id, (await askPermission()).id, (await askPermission()).id];
        await cardOf(page, ids[2] ?? '').waitFor();
        // Where each card sits in the page (not the viewport: clicking may scroll).
        const boxes = async () =>
          Promise.all(
            ids.map((id) =>
              cardOf(page, id).evaluate((element) => {
                const rect = element.getBoundingClientRect();
                return {
                  top: rect.top + window.scrollY,
                  left: rect.left,
                  width: rect.width,
                  height: rect.height,
                };
              }),
            ),
          );
        const before = await boxes();

        // Decide the middle card with the pointer staying over the list.
        const middle = cardOf(page, ids[1] ?? '');
        await middle.getByRole('button', { name: 'Approve' }).click();
        await middle.locator('.badge.approved').waitFor({ timeout: 20_000 });
        // The relay's queue no longer holds it, and the live list has heard so.
        await page.getByRole('heading', { name: 'Waiting for you (2)' }).waitFor();
        expect(await boxes()).toEqual(before);

        // A new request is added at the end: every card above stays put.
        const arriving = await askPermission();
        await cardOf(page, arriving.id).waitFor();
        expect(await boxes()).toEqual(before);
        const arrivingTop = await cardOf(page, arriving.id).evaluate(
          (element) => element.getBoundingClientRect().top + window.scrollY,
        );
        expect(arrivingTop).toBeGreaterThan(before[2]?.top ?? Number.POSITIVE_INFINITY);

        // The decided card goes when dismissed.
        await middle.getByRole('button', { name: 'Dismiss' }).click();
        await middle.waitFor({ state: 'detached' });
        await page.context().close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `"Always allow like this" saves an editable policy that approves the next identical request (${label})`,
      async () => {
        await clearQueue();
        const page = await signedInPage(browser, relay.url, OWNER, { viewport: size });
        const resource = `email:always-${label}@example.com`;
        const first = await askPermission({ resource });
        const card = cardOf(page, first.id);
        await card.getByRole('button', { name: 'Always allow like this…' }).click();
        const form = card.getByRole('form', { name: 'Always allow like this' });
        const name = form.getByLabel('Name');
        await name.waitFor();
        expect(await name.inputValue()).toBe(`Always allow mailer: gmail.send on ${resource}`);
        await name.fill(`Invoices to ${label}`);
        expect(await form.getByLabel('Value: resource is').inputValue()).toBe(resource);
        expect(await form.getByLabel('Value: scope.max_emails at most').inputValue()).toBe('1');
        // Widen it: any subject.
        await form.getByRole('checkbox', { name: 'scope.subject_pattern is' }).uncheck();
        await form.getByRole('button', { name: 'Save policy' }).click();
        await card.getByText(`Policy “Invoices to ${label}” saved`).waitFor();

        const { policies } = (await (await relay.ownerFetch('/api/v1/policies')).json()) as {
          policies: { name: string; action: string; conditions: Record<string, unknown> }[];
        };
        const saved = policies.find((policy) => policy.name === `Invoices to ${label}`);
        expect(saved?.action).toBe('auto_approve');
        expect(saved?.conditions).not.toHaveProperty('scope.subject_pattern');
        const next = await askPermission({ resource, scope: { max_emails: 1, subject_pattern: '^Receipt' } });
        expect(next.status).toBe('approved');
        await page.context().close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `warns before "always allow" on a high-risk request, from its own page (${label})`,
      async () => {
        await clearQueue();
        const page = await signedInPage(browser, relay.url, OWNER, { viewport: size });
        const risky = await askPermission({
          action: 'db.drop_table',
          resource: `postgres://prod/users-${label}`,
        });
        // From the request's own page (the approvalUrl), which shows the same card.
        await page.goto(`${relay.url}/approvals/${risky.id}`);
        const card = cardOf(page, risky.id);
        await card.getByRole('button', { name: 'Always allow like this…' }).click();
        const form = card.getByRole('form', { name: 'Always allow like this' });
        await form.getByRole('alert').waitFor();
        expect(await form.getByRole('alert').textContent()).toMatch(/This request is high risk/);
        const save = form.getByRole('button', { name: 'Save policy' });
        expect(await save.isDisabled()).toBe(true);
        await form.getByRole('checkbox', { name: /I understand/ }).check();
        expect(await save.isDisabled()).toBe(false);
        await form.getByRole('button', { name: 'Cancel' }).click();
        await page.context().close();
      },
      STEP_TIMEOUT_MS,
    );

    it(
      `counts pending requests in the tab title and notifies while the page is open (${label})`,
      async () => {
        await clearQueue();
        const page = await signedInPage(browser, relay.url, OWNER, { viewport: size });
        await page.context().grantPermissions(['notifications'], { origin: relay.url });
        // A spy in place of the Notification API, and a page that looks unattended (another
        // window has focus), which is when a notification is worth showing.
        await page.addInitScript(() => {
          const shown: { title: string; body: string; tag: string }[] = [];
          (window as unknown as { shownNotifications: typeof shown }).shownNotifications = shown;
          class SpyNotification {
            static permission: NotificationPermission = 'default';
            static requestPermission = async () => {
              SpyNotification.permission = 'granted';
              return 'granted' as const;
            };
            onclick: (() => void) | null = null;
            constructor(title: string, options: NotificationOptions = {}) {
              shown.push({ title, body: options.body ?? '', tag: options.tag ?? '' });
            }
            close() {}
          }
          Object.defineProperty(window, 'Notification', { value: SpyNotification, configurable: true });
          document.hasFocus = () => false;
        });
        await page.reload();
        await page.getByRole('heading', { name: 'Approvals', level: 1 }).waitFor();
        expect(await page.title()).toBe('Approvals · Agent OTP');

        const first = await askPermission();
        await cardOf(page, first.id).waitFor();
        await page.waitForFunction(() => document.title === '(1) Approvals · Agent OTP');
        // Nothing is asked on load: the owner turns notifications on with the button.
        expect(await page.evaluate(() => Notification.permission)).toBe('default');
        await page.getByRole('button', { name: 'Notify me of new requests' }).click();
        await page.getByText('Browser notifications are on while this page is open.').waitFor();

        const second = await askPermission();
        await cardOf(page, second.id).waitFor();
        await page.waitForFunction(() => document.title === '(2) Approvals · Agent OTP');
        const shown = await page.waitForFunction(
          () =>
            (window as unknown as { shownNotifications: unknown[] }).shownNotifications.length > 0 &&
            (window as unknown as { shownNotifications: unknown[] }).shownNotifications,
        );
        expect(await shown.jsonValue()).toEqual([
          {
            title: `mailer requests permission: gmail.send on email:client-${counter}@example.com`,
            body: `Send invoice number ${counter}\nmay gmail.send on email:client-${counter}@example.com`,
            tag: second.id,
          },
        ]);
        await page.context().close();
      },
      STEP_TIMEOUT_MS,
    );
  }

  it(
    'screenshots a low- and a high-risk card at phone width for the docs',
    async () => {
      await clearQueue();
      const page = await signedInPage(browser, relay.url, OWNER, { viewport: PHONE });
      const low = await askPermission({
        resource: 'email:client@example.com',
        context: { reason: 'Send the November invoice to the client' },
      });
      const high = await askPermission({
        action: 'db.drop_table',
        resource: 'postgres://prod/users',
        scope: { max_uses: 1, confirm: true },
        context: { reason: 'Clean up the old users table' },
      });
      mkdirSync(SCREENSHOT_DIR, { recursive: true });
      for (const [name, id] of [
        ['approval-card-low-risk', low.id],
        ['approval-card-high-risk', high.id],
      ] as const) {
        const card = cardOf(page, id);
        await card.locator('.risk-badge').waitFor();
        const path = join(SCREENSHOT_DIR, `${name}-phone.png`);
        await card.screenshot({ path });
        // `AGENT_OTP_UPDATE_DOCS_IMAGES=1` refreshes the images docs/dashboard.md shows.
        if (process.env.AGENT_OTP_UPDATE_DOCS_IMAGES === '1')
          copyFileSync(path, join(DOCS_IMAGES, `${name}.png`));
      }
      await page.context().close();
    },
    STEP_TIMEOUT_MS,
  );
});
