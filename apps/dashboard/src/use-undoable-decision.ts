import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from './api.js';
import { type PendingDecision, sendDecision } from './send-decision.js';

/**
 * How long a decision waits, undoable, before it is sent. Nothing leaves the browser during
 * the window: the request stays pending on the relay, so a tab closed in the window decides
 * nothing (the safe outcome).
 */
export const UNDO_WINDOW_MS = 5000;

export interface UndoableDecision {
  /** The decision waiting to be sent, and the seconds left to undo it. */
  held: { decision: PendingDecision; secondsLeft: number } | undefined;
  /** Whether the decision is on its way to the relay (after the window). */
  sending: boolean;
  error: string | undefined;
  decide(decision: PendingDecision): void;
  undo(): void;
}

/**
 * A decision the owner can take back for {@link UNDO_WINDOW_MS}: `decide` holds it, `undo`
 * drops it, and only when the window ends is it sent (through `sendDecision`, the one place
 * the dashboard decides). If the request stops waiting meanwhile (decided elsewhere,
 * expired), the held decision is dropped; leaving the page drops it too.
 *
 * @example
 * const { held, decide, undo } = useUndoableDecision(subject, onDecided);
 */
export function useUndoableDecision(
  subject: DecisionSubject,
  onDecided?: (subject: DecisionSubject) => void,
): UndoableDecision {
  const [held, setHeld] = useState<{ decision: PendingDecision; sendAt: number } | undefined>();
  const [now, setNow] = useState(() => Date.now());
  const [sending, setSending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const latest = useRef({ subject, onDecided });
  latest.current = { subject, onDecided };

  useEffect(() => {
    if (!held) return;
    const tick = window.setInterval(() => setNow(Date.now()), 250);
    const send = window.setTimeout(
      () => {
        setHeld(undefined);
        setSending(true);
        sendDecision(latest.current.subject, held.decision).then(
          (decided) => {
            setSending(false);
            latest.current.onDecided?.(decided);
          },
          (failure: unknown) => {
            setSending(false);
            setError(describeError(failure));
          },
        );
      },
      Math.max(0, held.sendAt - Date.now()),
    );
    // Unmounting (leaving the page, closing the tab) clears the timer: nothing is sent.
    return () => {
      window.clearInterval(tick);
      window.clearTimeout(send);
    };
  }, [held]);

  // Decided elsewhere or expired while held: there is nothing left to decide.
  useEffect(() => {
    if (!subject.pending) setHeld(undefined);
  }, [subject.pending]);

  const decide = useCallback((decision: PendingDecision) => {
    setError(undefined);
    setNow(Date.now());
    setHeld({ decision, sendAt: Date.now() + UNDO_WINDOW_MS });
  }, []);
  const undo = useCallback(() => setHeld(undefined), []);

  return {
    held: held && {
      decision: held.decision,
      secondsLeft: Math.max(0, Math.ceil((held.sendAt - now) / 1000)),
    },
    sending,
    error,
    decide,
    undo,
  };
}
