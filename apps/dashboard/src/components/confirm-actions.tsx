import { useState } from 'react';
import { describeError } from '../api.js';

/** A destructive action on a row: its button, and what the second click confirms. */
export type ConfirmAction<A extends string> = {
  action: A;
  label: string;
  confirmLabel: string;
  warning: string;
  danger?: boolean;
};

/**
 * A row's action buttons (rotate, revoke, …), each asking for a second click that states its
 * consequence; a failure stays on the row with the relay's message.
 */
export function ConfirmActions<A extends string>(props: {
  actions: readonly ConfirmAction<A>[];
  run: (action: A) => Promise<void>;
}) {
  const [confirming, setConfirming] = useState<ConfirmAction<A> | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();

  const confirm = async (chosen: ConfirmAction<A>) => {
    setBusy(true);
    setError(undefined);
    try {
      await props.run(chosen.action);
      setConfirming(undefined);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        {confirming ? (
          <>
            <span className="confirm-text">{confirming.warning}</span>
            <button type="button" className="button deny" disabled={busy} onClick={() => confirm(confirming)}>
              {confirming.confirmLabel}
            </button>
            <button
              type="button"
              className="button secondary"
              disabled={busy}
              onClick={() => setConfirming(undefined)}
            >
              Cancel
            </button>
          </>
        ) : (
          props.actions.map((option) => (
            <button
              key={option.action}
              type="button"
              className={`button secondary ${option.danger ? 'danger' : ''}`}
              onClick={() => setConfirming(option)}
            >
              {option.label}
            </button>
          ))
        )}
      </div>
    </>
  );
}
