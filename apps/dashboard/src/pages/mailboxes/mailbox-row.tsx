import type { Mailbox, MailboxPreset, MailboxTestResult } from '@agent-otp/shared';
import { useState } from 'react';
import { describeError } from '../../api.js';
import { type ConfirmAction, ConfirmActions } from '../../components/confirm-actions.js';
import { formatAgo, formatTime } from '../../format.js';
import { operations } from '../../operations.js';
import { MailboxForm } from './mailbox-form.js';
import { MailboxTestSteps } from './mailbox-test-steps.js';

const STATE_LABELS: Record<Mailbox['health']['state'], string> = {
  connecting: 'Connecting',
  idle: 'Watching',
  reconnecting: 'Reconnecting',
  failing: 'Failing',
  stopped: 'Stopped',
};

const REMOVE: readonly ConfirmAction<'remove'>[] = [
  {
    action: 'remove',
    label: 'Remove',
    confirmLabel: 'Confirm remove',
    warning: 'The relay stops watching this mailbox and erases its saved password.',
    danger: true,
  },
];

/** Where an IMAP mailbox connects, in one line; a Gmail mailbox's address. */
function serverOf(mailbox: Mailbox): string {
  const settings = mailbox.settings;
  if ('address' in settings) return `Gmail (${settings.address})`;
  return `${settings.host}:${settings.port}, ${settings.tls === 'implicit' ? 'TLS' : settings.tls === 'starttls' ? 'STARTTLS' : 'no TLS'}`;
}

/**
 * One mailbox: where it connects, its health as the instance running it last wrote it
 * (state, last message, last error in words, reconnect attempts), and test, edit and remove.
 * The password shows only as "saved". The operator's own mailbox (IMAP_HOST) is read-only.
 */
export function MailboxRow(props: {
  mailbox: Mailbox;
  presets: readonly MailboxPreset[];
  onChanged: () => void;
}) {
  const { mailbox } = props;
  const { health } = mailbox;
  const [editing, setEditing] = useState(false);
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<MailboxTestResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const imap = 'host' in mailbox.settings ? mailbox.settings : undefined;

  const test = async () => {
    setTesting(true);
    setError(undefined);
    setResult(undefined);
    try {
      setResult(await operations.testMailbox(mailbox.id));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setTesting(false);
    }
  };

  return (
    <li className={`card mailbox ${health.state}`} data-mailbox-id={mailbox.id}>
      <div className="card-header">
        <h3 className="card-title">{mailbox.name}</h3>
        <span className={`badge mailbox-state ${health.state}`} data-testid="mailbox-state">
          {STATE_LABELS[health.state]}
        </span>
      </div>
      <dl className="fields compact">
        <div>
          <dt>Server</dt>
          <dd className="mono">{serverOf(mailbox)}</dd>
        </div>
        {imap && (
          <div>
            <dt>Login</dt>
            <dd className="mono">
              {imap.login}, folder {imap.folder}
            </dd>
          </div>
        )}
        <div>
          <dt>{mailbox.kind === 'gmail' ? 'Access' : 'Password'}</dt>
          <dd>{mailbox.hasCredential ? 'saved' : 'none saved'}</dd>
        </div>
        <div>
          <dt>State since</dt>
          <dd>{formatTime(health.stateSince)}</dd>
        </div>
        <div>
          <dt>Last message</dt>
          <dd>{formatAgo(health.lastMessageAt)}</dd>
        </div>
        <div>
          <dt>Reconnect attempts</dt>
          <dd>{health.reconnectAttempts}</dd>
        </div>
        <div className="wide">
          <dt>Last error</dt>
          <dd className={health.lastError ? 'source-error' : undefined} data-testid="mailbox-last-error">
            {health.lastError ?? 'none'}
          </dd>
        </div>
      </dl>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {result && <MailboxTestSteps result={result} />}
      {mailbox.configuredBy === 'operator' ? (
        <p className="hint" data-testid="operator-mailbox">
          Configured by the relay’s operator (IMAP_HOST): it is changed in the relay’s settings, not here.
        </p>
      ) : editing ? (
        <MailboxForm
          presets={props.presets}
          editing={mailbox}
          onSaved={() => {
            setEditing(false);
            props.onChanged();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : (
        <>
          {imap && (
            <div className="actions">
              <button type="button" className="button secondary" disabled={testing} onClick={test}>
                {testing ? 'Testing…' : 'Test connection'}
              </button>
              <button type="button" className="button secondary" onClick={() => setEditing(true)}>
                Edit
              </button>
            </div>
          )}
          <ConfirmActions
            actions={REMOVE}
            run={async () => {
              await operations.removeMailbox(mailbox.id);
              props.onChanged();
            }}
          />
        </>
      )}
    </li>
  );
}
