import type { Policy } from '@agent-otp/shared';
import { useState } from 'react';
import { describeError } from '../../api.js';
import { ConfirmActions } from '../../components/confirm-actions.js';
import { ACTION_WORDS, conditionSentences, coverage } from './policy-words.js';

/** Where the card's policy may move in the decision order; the priority that puts it there. */
export interface Moves {
  up: number | null;
  down: number | null;
}

/**
 * One policy in decision order: what it decides, for whom, its conditions in words, and (for
 * database policies) the enabled switch, move up/down, edit and delete. POLICY_FILE's
 * policies are shown read-only with where to change them.
 */
export function PolicyCard(props: {
  policy: Policy;
  position: number;
  moves: Moves;
  onChange: (body: { enabled?: boolean; priority?: number }) => Promise<void>;
  onEdit: () => void;
  onRemove: () => Promise<void>;
}) {
  const { policy } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const titleId = `policy-${policy.id.replace(/[^A-Za-z0-9_-]/g, '-')}-title`;
  const conditions = conditionSentences(policy);
  const readOnly = policy.source === 'file';

  const change = async (body: { enabled?: boolean; priority?: number }) => {
    setBusy(true);
    setError(undefined);
    try {
      await props.onChange(body);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li
      className={`card policy-card action-${policy.action}${policy.enabled ? '' : ' disabled'}`}
      aria-labelledby={titleId}
    >
      <div className="policy-card-header">
        <span className="policy-position" aria-hidden="true">
          {props.position}
        </span>
        <h2 id={titleId} className="policy-name">
          {policy.name}
        </h2>
        <span className={`badge policy-action ${policy.action}`}>{ACTION_WORDS[policy.action]}</span>
        {!policy.enabled && <span className="badge policy-disabled">Disabled: decides nothing</span>}
      </div>
      <dl className="fields compact policy-facts">
        <div>
          <dt>Priority</dt>
          <dd>{policy.priority}</dd>
        </div>
        <div>
          <dt>Source</dt>
          <dd>{readOnly ? 'Policy file (read-only)' : 'Database'}</dd>
        </div>
        <div>
          <dt>Covers</dt>
          <dd>{coverage(policy)}</dd>
        </div>
        <div>
          <dt>Risk</dt>
          <dd>{policy.risk ?? 'none'}</dd>
        </div>
      </dl>
      {policy.description && <p className="hint">{policy.description}</p>}
      <p className="policy-when">{conditions.length === 0 ? 'Matches every request.' : 'Matches when:'}</p>
      {conditions.length > 0 && (
        <ul className="policy-conditions" aria-label={`Conditions of ${policy.name}`}>
          {conditions.map((sentence) => (
            <li key={sentence}>{sentence}</li>
          ))}
        </ul>
      )}
      {policy.scopeTemplate && (
        <p className="policy-scope">
          Grants the scope <code>{JSON.stringify(policy.scopeTemplate)}</code>
        </p>
      )}
      {readOnly ? (
        <p className="hint">From POLICY_FILE: change it by editing the file and restarting the relay.</p>
      ) : (
        <>
          <div className="actions policy-controls">
            <label className="checkbox policy-switch">
              <input
                type="checkbox"
                role="switch"
                checked={policy.enabled}
                aria-checked={policy.enabled}
                disabled={busy}
                aria-describedby={titleId}
                onChange={(event) => void change({ enabled: event.target.checked })}
              />
              Enabled
            </label>
            <button
              type="button"
              className="button secondary small"
              disabled={busy || props.moves.up === null}
              aria-label={`Move up “${policy.name}”`}
              onClick={() => props.moves.up !== null && void change({ priority: props.moves.up })}
            >
              Move up
            </button>
            <button
              type="button"
              className="button secondary small"
              disabled={busy || props.moves.down === null}
              aria-label={`Move down “${policy.name}”`}
              onClick={() => props.moves.down !== null && void change({ priority: props.moves.down })}
            >
              Move down
            </button>
            <button
              type="button"
              className="button secondary small"
              aria-label={`Edit “${policy.name}”`}
              onClick={props.onEdit}
            >
              Edit
            </button>
          </div>
          {error && (
            <p className="inline-error" role="alert">
              {error}
            </p>
          )}
          <ConfirmActions
            actions={[
              {
                action: 'remove',
                label: 'Delete',
                confirmLabel: 'Delete policy',
                warning: `Delete “${policy.name}”? Requests it matched will be decided by the next policy, or wait for you.`,
                danger: true,
              },
            ]}
            run={() => props.onRemove()}
          />
        </>
      )}
    </li>
  );
}
