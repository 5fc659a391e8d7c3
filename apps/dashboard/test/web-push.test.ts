// Issue 15 "Notifications" in the browser: the dashboard is an installable PWA (manifest,
// icons, a root-scoped service worker that is never cached for long), Settings › Notifications
// turns Web Push on for this device after the permission (asked on the button only), and the
// service worker turns a push message into a notification tagged with the request id.
import { createOwnerAccount, type Owner } from '@agent-otp/core';
import { selectOwnerPushSubscriptions } from '@agent-otp/db';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { chromiumInstalled, describeWithService } from '../../../test-support/services.js';
import { buildDashboard, launchChromium, screenshotBothWidths, signedInPage } from './support/browser.js';

const OWNER = { email: 'owner@example.com', password: 'a long enough passphrase' };

describeWithService('chromium', chromiumInstalled(), 'installable dashboard with Web Push (issue 15)', () => {
  let relay: TestRelay;
  let build: { dir: string; remove(): void };
  let browser: Browser;
  let page: Page;
  let owner: Owner;

  beforeAll(async () => {
    build = await buildDashboard();
    relay = await startTestRelay('sqlite', { env: { DASHBOARD_DIR: build.dir, PUSH_ALLOW_PRIVATE: 'true' } });
    owner = (await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' })).owner;
    browser = await launchChromium();
    page = await signedInPage(browser, relay.url, OWNER);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await relay?.stop();
    build?.remove();
  });

  it('serves a manifest with 192, 512 and maskable icons, and a service worker that is revalidated', async () => {
    const manifest = await fetch(`${relay.url}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
    const body = await manifest.json();
    expect(body).toMatchObject({ start_url: '/', scope: '/', display: 'standalone' });
    const sizes = body.icons.map(
      (icon: { sizes: string; purpose: string }) => `${icon.sizes} ${icon.purpose}`,
    );
    expect(sizes).toEqual(['192x192 any', '512x512 any', '512x512 maskable']);
    for (const icon of body.icons) {
      const png = await fetch(`${relay.url}${icon.src}`);
      expect(png.headers.get('content-type')).toBe('image/png');
    }
    const worker = await fetch(`${relay.url}/sw.js`);
    expect(worker.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(worker.headers.get('cache-control')).toBe('no-cache');
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/manifest.webmanifest');
  });

  it('registers the service worker for the whole dashboard', async () => {
    const scope = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
    expect(scope).toBe(`${relay.url}/`);
  });

  it('with the permission granted, "Notify this device" subscribes this device, or says why the browser cannot', async () => {
    await page.context().grantPermissions(['notifications'], { origin: relay.url });
    await page.getByRole('link', { name: 'Settings' }).click();
    const section = page.getByRole('region', { name: 'Notifications' });
    await section.getByText(/^Off:/).waitFor();
    await screenshotBothWidths(page, 'settings-notifications');
    await section.getByRole('button', { name: 'Notify this device' }).click();
    // Headless Chromium has no push service to subscribe with (pushManager.subscribe needs
    // one): when it refuses, the page says so and nothing is stored.
    const outcome = await Promise.race([
      section
        .getByText(/^On:/)
        .waitFor()
        .then(() => 'on' as const),
      section
        .getByRole('alert')
        .waitFor()
        .then(() => 'refused' as const),
    ]);
    if (outcome === 'on') {
      const endpoint = await page.evaluate(
        async () => (await (await navigator.serviceWorker.ready).pushManager.getSubscription())?.endpoint,
      );
      expect(endpoint).toMatch(/^https:\/\//);
      await section.getByRole('button', { name: 'Stop notifying this device' }).click();
      await section.getByText(/^Off:/).waitFor();
    } else {
      expect(await section.getByRole('alert').textContent()).toMatch(/push|registration|service/i);
      await section.getByText(/^Off:/).waitFor();
      expect(await selectOwnerPushSubscriptions(relay.ctx.database.db, owner.id)).toEqual([]);
      console.info(
        'web-push browser test: headless Chromium refused pushManager.subscribe (no push service)',
      );
    }
  });

  it('turns a push message into a notification tagged with the request id that links to its approval page', async () => {
    const cdp = await page.context().newCDPSession(page);
    const registrations: Array<{ registrationId: string; scopeURL: string }> = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    await expect.poll(() => registrations.length).toBeGreaterThan(0);
    const registration = registrations.find((r) => r.scopeURL === `${relay.url}/`);
    if (!registration) throw new Error('no service worker registration for the dashboard');
    const { publicKey } = await agentKeyPair();
    const agent = await relay.createAgent({ name: 'push-agent' });
    const created = await call(relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'Sign up at Acme', publicKey },
    });
    const id: string = created.body.id;
    const facts = {
      requestId: id,
      kind: 'otp',
      agent: 'push-agent',
      risk: 'high',
      title: 'push-agent requests a verification code',
      url: `${relay.url}/approvals/${id}`,
    };
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: relay.url,
      registrationId: registration.registrationId,
      data: JSON.stringify(facts),
    });
    await expect
      .poll(async () =>
        page.evaluate(async () =>
          (await (await navigator.serviceWorker.ready).getNotifications()).map((n) => ({
            title: n.title,
            body: n.body,
            tag: n.tag,
            path: n.data?.path,
          })),
        ),
      )
      .toEqual([
        {
          title: 'push-agent requests a verification code',
          body: 'Verification code · High risk',
          tag: id,
          path: `/approvals/${id}`,
        },
      ]);
  });
});
