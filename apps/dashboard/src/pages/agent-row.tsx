import type { Agent } from '@agent-otp/shared';
import { type ConfirmAction, ConfirmActions } from '../components/confirm-actions.js';
import { formatAgo, formatTime } from '../format.js';
import { operations } from '../operations.js';

/** One agent with its keys; rotate and revoke ask for a second click to confirm. */
export function AgentRow(props: { agent: Agent; onChanged: () => void; onNewKey: (apiKey: string) => void }) {
  const { agent } = props;
  const activeKeys = agent.keys.filter((k) => !k.revokedAt);
  const actions: readonly ConfirmAction<'rotate' | 'revoke'>[] = [
    {
      action: 'rotate',
      label: 'Rotate key',
      confirmLabel: 'Confirm rotate',
      warning: 'The current key stops working at once.',
    },
    {
      action: 'revoke',
      label: 'Revoke',
      confirmLabel: 'Confirm revoke',
      warning: `Revoke ${agent.name}? Its keys stop working and it cannot be undone.`,
      danger: true,
    },
  ];

  const run = async (action: 'rotate' | 'revoke') => {
    if (action === 'rotate') props.onNewKey((await operations.rotateAgentKey(agent.id)).apiKey);
    else await operations.revokeAgent(agent.id);
    props.onChanged();
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
      {!agent.revokedAt && <ConfirmActions actions={actions} run={run} />}
    </li>
  );
}
