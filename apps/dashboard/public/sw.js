// The dashboard's service worker (issue 15): shows a Web Push notification for each new
// request and opens its approval page on a tap. It caches nothing and handles no fetch: an
// approval screen must never show a stale request, so every page and API call goes to the relay.

const RISK_LABELS = { low: 'Low risk', elevated: 'Elevated risk', high: 'High risk' };
const KIND_LABELS = { otp: 'Verification code', permission: 'Permission' };

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

self.addEventListener('push', (event) => {
  let facts;
  try {
    facts = event.data ? event.data.json() : undefined;
  } catch {
    facts = undefined;
  }
  if (!facts || typeof facts.requestId !== 'string') {
    event.waitUntil(self.registration.showNotification('Agent OTP', { body: 'A request waits for you.' }));
    return;
  }
  const lines = [KIND_LABELS[facts.kind] ?? 'Request', facts.risk ? RISK_LABELS[facts.risk] : undefined];
  event.waitUntil(
    self.registration.showNotification(String(facts.title ?? `${facts.agent} asks for approval`), {
      body: lines.filter(Boolean).join(' · '),
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      // The request id as tag: the in-page notification of the same request replaces this one.
      tag: facts.requestId,
      requireInteraction: facts.risk === 'high',
      data: { path: `/approvals/${encodeURIComponent(facts.requestId)}` },
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const path = event.notification.data?.path ?? '/';
  const target = new URL(path, self.location.origin).href;
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      for (const client of windows) {
        if (new URL(client.url).origin !== self.location.origin) continue;
        await client.focus();
        if (client.url !== target && 'navigate' in client) await client.navigate(target);
        return;
      }
      await self.clients.openWindow(target);
    })(),
  );
});
