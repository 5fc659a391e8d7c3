import type { CaptureSource } from '@agent-otp/shared';
import { useEffect, useState } from 'react';
import { describeError } from '../api.js';
import { formatTime } from '../format.js';
import { operations } from '../operations.js';

const POLL_MS = 2000;

/** A message arrived since `baseline` was read: the count grew or the last-message time moved. */
export function receivedSince(baseline: CaptureSource, now: CaptureSource): boolean {
  return (
    now.messagesReceived > baseline.messagesReceived ||
    (now.lastMessageAt !== null && now.lastMessageAt !== baseline.lastMessageAt)
  );
}

/**
 * "Send a test message": polls the source until its first message after `baseline` arrives,
 * then turns green, stops and calls `onReceived` (the list's figures change). A refusal meanwhile (a bad signature, say) is shown so the owner
 * can fix the app's settings without leaving the page.
 */
export function TestMessageCheck(props: { baseline: CaptureSource; onReceived: () => void }) {
  const { baseline, onReceived } = props;
  const [latest, setLatest] = useState(baseline);
  const [pollError, setPollError] = useState<string | undefined>();
  const received = receivedSince(baseline, latest);

  useEffect(() => {
    if (received) onReceived();
  }, [received, onReceived]);

  useEffect(() => {
    if (received) return;
    let current = true;
    const timer = window.setInterval(() => {
      operations.getCaptureSource(baseline.id).then(
        (source) => {
          if (!current) return;
          setLatest(source);
          setPollError(undefined);
        },
        (failure: unknown) => current && setPollError(describeError(failure)),
      );
    }, POLL_MS);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [baseline.id, received]);

  const refused = latest.lastErrorAt !== null && latest.lastErrorAt !== baseline.lastErrorAt;
  return (
    <section className={`test-check ${received ? 'ok' : 'waiting'}`} aria-labelledby="test-check-title">
      <h3 id="test-check-title">Send a test message</h3>
      <p role="status" aria-live="polite" data-testid="test-check-status">
        {received
          ? `Received: the first message arrived ${formatTime(latest.lastMessageAt)}. This source works.`
          : 'Waiting for a message… Send a text to the phone or number now.'}
      </p>
      {!received && refused && (
        <p className="inline-error" role="alert">
          The relay refused a delivery: {latest.lastError} ({formatTime(latest.lastErrorAt)}). Check the
          values above in the app or console.
        </p>
      )}
      {pollError && <p className="hint">Could not check just now: {pollError}</p>}
    </section>
  );
}
