import type { Agent } from '@agent-otp/shared';
import { type ConfirmAction, ConfirmActions } from '../components/confirm-actions.js';
import { formatAgo, formatTime } from '../format.js';
import { operations } from '../operations.js';
import { AgentWebhookDeliveries } from './agent-webhook-deliveries.js';

type AgentAction = 'rotate' | 'rotate-webhook-secret' | 'revoke';

/**
 * One agent with its keys and its recent webhook deliveries; rotating the key or the webhook
 * secret and revoking ask for a second click to confirm.
 */
export function AgentRow(props: {
  agent: Agent;
  onChanged: () => void;
  onNewKey: (apiKey: string) => void;
  onNewWebhookSecret: (webhookSecret: string) => void;
}) {
  const { agent } = props;
  const activeKeys = agent.keys.filter((k) => !k.revokedAt);
  const actions: readonly ConfirmAction<AgentAction>[] = [
    {
      action: 'rotate',
      label: 'Rotate key',
      confirmLabel: 'Confirm rotate',
      warning: 'The current key stops working at once.',
    },
    {
      action: 'rotate-webhook-secret',
      label: 'Rotate webhook secret',
      confirmLabel: 'Confirm rotate',
      warning: 'Webhooks are signed with the new secret at once; the old one stops verifying.',
    },
    {
      action: 'revoke',
      label: 'Revoke',
      confirmLabel: 'Confirm revoke',
      warning: `Revoke ${agent.name}? Its keys stop working and it cannot be undone.`,
      danger: true,
    },
  ];

  const run = async (action: AgentAction) => {
    if (action === 'rotate') props.onNewKey((await operations.rotateAgentKey(agent.id)).apiKey);
    else if (action === 'rotate-webhook-secret')
      props.onNewWebhookSecret((await operations.rotateAgentWebhookSecret(agent.id)).webhookSecret);
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
      <AgentWebhookDeliveries agentId={agent.id} />
      {!agent.revokedAt && <ConfirmActions actions={actions} run={run} />}
    </li>
  );
}
