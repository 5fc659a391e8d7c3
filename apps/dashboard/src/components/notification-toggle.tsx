import type { NotificationState } from '../use-request-notifications.js';

/**
 * The one place the dashboard asks for notification permission: a button the owner
 * presses (browsers ignore or penalise a prompt on load), then the outcome in words.
 */
export function NotificationToggle(props: { state: NotificationState; onEnable: () => void }) {
  switch (props.state) {
    case 'unsupported':
      return null;
    case 'granted':
      return <p className="hint notification-state">Browser notifications are on while this page is open.</p>;
    case 'denied':
      return (
        <p className="hint notification-state">
          Browser notifications are blocked for this site; allow them in the browser's site settings.
        </p>
      );
    default:
      return (
        <button type="button" className="button small secondary" onClick={props.onEnable}>
          Notify me of new requests
        </button>
      );
  }
}
