import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../api.js';
import { pushOperations } from '../push-operations.js';
import { pushSupported } from '../service-worker.js';

type PushState = 'checking' | 'unsupported' | 'blocked' | 'off' | 'on';

/** base64url → bytes, for `applicationServerKey`. */
function bytesOf(base64url: string): Uint8Array<ArrayBuffer> {
  const binary = atob(base64url.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** The browser's subscription as the relay takes it. */
function bodyOf(subscription: PushSubscription) {
  const json = subscription.toJSON();
  return {
    endpoint: subscription.endpoint,
    keys: { p256dh: json.keys?.p256dh ?? '', auth: json.keys?.auth ?? '' },
  };
}

const DESCRIPTIONS: Record<PushState, string> = {
  checking: 'Checking this browser…',
  unsupported:
    'This browser cannot receive push notifications. On an iPhone or iPad, add the dashboard to the Home Screen (Share › Add to Home Screen) and open it from there.',
  blocked:
    'Notifications are blocked for this site. Allow them in the browser’s site settings, then turn this on.',
  off: 'Off: this device is not notified while the dashboard is closed.',
  on: 'On: this device shows a notification for each new request, even with the dashboard closed.',
};

/** Settings › Notifications: Web Push for this browser, on or off; permission asked only on the button. */
export function PushSettings() {
  const [state, setState] = useState<PushState>('checking');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  const check = useCallback(async () => {
    if (!pushSupported()) return setState('unsupported');
    if (Notification.permission === 'denied') return setState('blocked');
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription) return setState('off');
    const { subscribed } = await pushOperations.getPushSubscriptionState(subscription.endpoint);
    setState(subscribed ? 'on' : 'off');
  }, []);

  useEffect(() => {
    check().catch((failure: unknown) => setError(describeError(failure)));
  }, [check]);

  const turnOn = async () => {
    const permission = await Notification.requestPermission();
    if (permission !== 'granted') return setState(permission === 'denied' ? 'blocked' : 'off');
    const registration = await navigator.serviceWorker.ready;
    const { publicKey } = await pushOperations.getVapidPublicKey();
    const subscription =
      (await registration.pushManager.getSubscription()) ??
      (await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: bytesOf(publicKey),
      }));
    await pushOperations.subscribePush(bodyOf(subscription));
    setState('on');
  };

  const turnOff = async () => {
    const registration = await navigator.serviceWorker.ready;
    const subscription = await registration.pushManager.getSubscription();
    if (subscription) {
      await pushOperations.unsubscribePush(subscription.endpoint);
      await subscription.unsubscribe();
    }
    setState('off');
  };

  const run = (action: () => Promise<void>) => async () => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-labelledby="push-title">
      <h2 id="push-title">Notifications</h2>
      <p role="status">{DESCRIPTIONS[state]}</p>
      {error && <p role="alert">{error}</p>}
      {(state === 'off' || state === 'on' || state === 'blocked') && (
        <div className="actions">
          <button
            type="button"
            className={state === 'on' ? 'button secondary' : 'button primary'}
            aria-pressed={state === 'on'}
            disabled={busy || state === 'blocked'}
            onClick={run(state === 'on' ? turnOff : turnOn)}
          >
            {state === 'on' ? 'Stop notifying this device' : 'Notify this device'}
          </button>
        </div>
      )}
    </section>
  );
}
