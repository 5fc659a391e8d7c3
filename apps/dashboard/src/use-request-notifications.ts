import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { useCallback, useEffect, useRef, useState } from 'react';

/** `default` until asked, then the owner's answer; `unsupported` without the Notification API. */
export type NotificationState = NotificationPermission | 'unsupported';

const supported = () => typeof window !== 'undefined' && 'Notification' in window;

/** Whether the owner would miss a new card: the tab is hidden or another window has focus. */
const ownerLooksAway = () => document.visibilityState === 'hidden' || !document.hasFocus();

/**
 * Browser notifications for new requests while the dashboard is open (issue 15): once the
 * owner allows them (asked only from a button, never on load), each request that arrives
 * while the tab is hidden or unfocused shows one notification; clicking it brings the tab
 * back. Requests already waiting when the page loads are not announced.
 *
 * @example
 * const { state, enable } = useRequestNotifications(pending);
 */
export function useRequestNotifications(pending: DecisionSubject[] | undefined): {
  state: NotificationState;
  enable: () => Promise<void>;
} {
  const [state, setState] = useState<NotificationState>(() =>
    supported() ? Notification.permission : 'unsupported',
  );
  const seen = useRef<Set<string> | undefined>(undefined);

  useEffect(() => {
    if (!pending) return;
    const known = seen.current;
    seen.current = new Set([...(known ?? []), ...pending.map((subject) => subject.id)]);
    // The first queue is what was already waiting: nothing new to announce.
    if (!known || state !== 'granted' || !ownerLooksAway()) return;
    for (const subject of pending) {
      if (known.has(subject.id)) continue;
      const risk = subject.risk?.level === 'high' ? 'High risk: ' : '';
      const notification = new Notification(subject.title, {
        body: `${risk}${subject.reason}${subject.summary[0] ? `\n${subject.summary[0]}` : ''}`,
        tag: subject.id,
      });
      notification.onclick = () => {
        window.focus();
        notification.close();
      };
    }
  }, [pending, state]);

  const enable = useCallback(async () => {
    if (!supported()) return;
    setState(await Notification.requestPermission());
  }, []);

  return { state, enable };
}
