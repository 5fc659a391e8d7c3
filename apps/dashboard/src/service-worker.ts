// Registers /sw.js (public/sw.js, served from the root so its scope is the whole dashboard):
// it shows Web Push notifications while no page is open. Nothing else depends on it.

/** Registers the service worker where the browser has them (secure contexts only). */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' }).catch(() => {
    // No service worker (private mode, blocked): the dashboard works the same, without push.
  });
}

/** Whether this browser can receive Web Push at all. */
export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}
