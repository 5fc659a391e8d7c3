import type { WebhookDelivery } from '@agent-otp/shared';
import { useState } from 'react';
import { ErrorNotice, Loading } from '../components/states.js';
import { formatTime } from '../format.js';
import { operations } from '../operations.js';
import { useResource } from '../use-resource.js';

/** What happened to one event, in a few words. */
function outcome(delivery: WebhookDelivery): string {
  const last =
    delivery.lastError ?? (delivery.lastHttpStatus === null ? undefined : `HTTP ${delivery.lastHttpStatus}`);
  if (delivery.status === 'delivered')
    return `Delivered ${formatTime(delivery.deliveredAt)} (HTTP ${delivery.lastHttpStatus})`;
  if (delivery.status === 'failed')
    return `Failed after ${delivery.attempts} attempts${last ? `: ${last}` : ''}`;
  return `Retrying (${delivery.attempts} attempts${last ? `, last: ${last}` : ''}), next ${formatTime(delivery.nextAttemptAt)}`;
}

function DeliveryList(props: { agentId: string }) {
  const [list, reload] = useResource(
    () => operations.listWebhookDeliveries({ agentId: props.agentId, limit: '20' }),
    [props.agentId],
  );
  if (list.state === 'error') return <ErrorNotice message={list.error} onRetry={reload} />;
  if (!list.data) return <Loading what="webhook deliveries" />;
  if (list.data.deliveries.length === 0)
    return (
      <p className="hint">No webhook events yet: the agent names a webhookUrl when it makes a request.</p>
    );
  return (
    <>
      <div className="table-wrap">
        <table className="data-table">
          <thead>
            <tr>
              <th>When</th>
              <th>Event</th>
              <th>To</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {list.data.deliveries.map((delivery) => (
              <tr key={delivery.id} data-status={delivery.status}>
                <td>{formatTime(delivery.createdAt)}</td>
                <td className="mono">{delivery.type}</td>
                <td className="mono">{new URL(delivery.url).host}</td>
                <td className={delivery.status === 'failed' ? 'inline-error' : undefined}>
                  {outcome(delivery)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <button type="button" className="button secondary" onClick={reload}>
        Refresh
      </button>
    </>
  );
}

/** An agent's recent webhook deliveries and failures, loaded when the owner opens the section. */
export function AgentWebhookDeliveries(props: { agentId: string }) {
  const [open, setOpen] = useState(false);
  return (
    <details className="webhook-deliveries" onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>Webhook deliveries</summary>
      {open && <DeliveryList agentId={props.agentId} />}
    </details>
  );
}
