import type { CaptureSource, SourceWithToken } from '@agent-otp/shared';
import { type ConfirmAction, ConfirmActions } from '../components/confirm-actions.js';
import { formatAgo, formatTime } from '../format.js';
import { operations } from '../operations.js';
import { providerLabel } from './source-channels.js';

const SOURCE_ACTIONS: readonly ConfirmAction<'rotate' | 'revoke'>[] = [
  {
    action: 'rotate',
    label: 'Rotate secret',
    confirmLabel: 'Confirm rotate',
    warning: 'The current token and secret stop working at once; enter the new ones in the app or console.',
  },
  {
    action: 'revoke',
    label: 'Revoke',
    confirmLabel: 'Confirm revoke',
    warning: 'The device or connector using this source stops delivering.',
    danger: true,
  },
];

/**
 * One capture source: how it connects, when it was last seen, how many messages it delivered,
 * its last refusal or miss; rotate (new secrets, shown once) and revoke ask for a second click.
 */
export function SourceRow(props: {
  source: CaptureSource;
  onChanged: () => void;
  onRotated: (rotated: SourceWithToken) => void;
}) {
  const { source } = props;
  const run = async (action: 'rotate' | 'revoke') => {
    // A rotation's new secrets replace the page's setup panel, which reloads the list itself.
    if (action === 'rotate') props.onRotated(await operations.rotateCaptureSource(source.id));
    else {
      await operations.revokeCaptureSource(source.id);
      props.onChanged();
    }
  };

  return (
    <li className={`card ${source.revokedAt ? 'revoked' : ''}`} data-source-id={source.id}>
      <div className="card-header">
        <h3 className="card-title">{source.name}</h3>
        <span className={`badge ${source.revokedAt ? 'revoked' : ''}`}>
          {source.revokedAt ? `Revoked ${formatTime(source.revokedAt)}` : source.kind.toUpperCase()}
        </span>
      </div>
      <dl className="fields compact">
        <div>
          <dt>Provider</dt>
          <dd>{providerLabel(source.provider, source.kind)}</dd>
        </div>
        <div>
          <dt>Token</dt>
          <dd className="mono">{source.prefix}…</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>{formatAgo(source.lastSeenAt)}</dd>
        </div>
        <div>
          <dt>Messages received</dt>
          <dd>
            {source.messagesReceived}
            {source.lastMessageAt && `, last ${formatAgo(source.lastMessageAt)}`}
          </dd>
        </div>
        <div>
          <dt>Last error</dt>
          <dd className={source.lastError ? 'source-error' : undefined}>
            {source.lastError ? `${source.lastError} (${formatTime(source.lastErrorAt)})` : 'none'}
          </dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(source.createdAt)}</dd>
        </div>
        {source.webhookUrl && (
          <div className="wide">
            <dt>Webhook URL</dt>
            <dd className="mono">{source.webhookUrl}</dd>
          </div>
        )}
      </dl>
      {!source.revokedAt && <ConfirmActions actions={SOURCE_ACTIONS} run={run} />}
    </li>
  );
}
