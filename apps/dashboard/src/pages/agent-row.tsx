import type { Agent } from '@agent-otp/shared';
import { useState } from 'react';
import { describeError } from '../api.js';
import { formatAgo, formatTime } from '../format.js';
import { operations } from '../operations.js';

type Pending = 'rotate' | 'revoke' | undefined;

/** One agent with its keys; rotate and revoke ask for a second click to confirm. */
export function AgentRow(props: { agent: Agent; onChanged: () => void; onNewKey: (apiKey: string) => void }) {
  const { agent } = props;
  const [confirming, setConfirming] = useState<Pending>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const activeKeys = agent.keys.filter((k) => !k.revokedAt);

  const run = async (action: 'rotate' | 'revoke') => {
    setBusy(true);
    setError(undefined);
    try {
      if (action === 'rotate') {
        const rotated = await operations.rotateAgentKey(agent.id);
        props.onNewKey(rotated.apiKey);
      } else {
        await operations.revokeAgent(agent.id);
      }
      setConfirming(undefined);
      props.onChanged();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  return (
    <li className={`card agent ${agent.revokedAt ? 'revoked' : ''}`} data-agent-id={agent.id}>
      <div className="card-header">
        <h3 className="card-title">{agent.name}</h3>
        {agent.revokedAt ? (
          <span className="badge revoked">Revoked {formatTime(agent.revokedAt)}</span>
        ) : (
          <span className="badge">{activeKeys[0]?.environment === 'test' ? 'Test key' : 'Live key'}</span>
        )}
      </div>
      <dl className="fields compact">
        <div>
          <dt>Created</dt>
          <dd>{formatTime(agent.createdAt)}</dd>
        </div>
        <div>
          <dt>Active key</dt>
          <dd className="mono">{activeKeys.map((k) => `${k.prefix}…`).join(', ') || 'none'}</dd>
        </div>
        <div>
          <dt>Last used</dt>
          <dd>{formatAgo(activeKeys[0]?.lastUsedAt)}</dd>
        </div>
      </dl>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {!agent.revokedAt && (
        <div className="actions">
          {confirming ? (
            <>
              <span className="confirm-text">
                {confirming === 'rotate'
                  ? 'The current key stops working at once.'
                  : `Revoke ${agent.name}? Its keys stop working and it cannot be undone.`}
              </span>
              <button type="button" className="button deny" disabled={busy} onClick={() => run(confirming)}>
                {confirming === 'rotate' ? 'Confirm rotate' : 'Confirm revoke'}
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
            <>
              <button type="button" className="button secondary" onClick={() => setConfirming('rotate')}>
                Rotate key
              </button>
              <button
                type="button"
                className="button secondary danger"
                onClick={() => setConfirming('revoke')}
              >
                Revoke
              </button>
            </>
          )}
        </div>
      )}
    </li>
  );
}
