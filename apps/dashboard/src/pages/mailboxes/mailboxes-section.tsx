import { useEffect } from 'react';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { operations } from '../../operations.js';
import { useResource } from '../../use-resource.js';
import { ConnectGmail } from './connect-gmail.js';
import { MailboxForm } from './mailbox-form.js';
import { MailboxRow } from './mailbox-row.js';

/** Health is written by whichever relay instance runs the mailbox; the list refreshes this often. */
const HEALTH_REFRESH_MS = 5000;

/**
 * The Sources page's mailboxes: the owner's IMAP (and Gmail) mailboxes with their health, and
 * the form that adds one. The relay starts, restarts or stops a mailbox's connector as soon
 * as it is added, edited or removed; no restart.
 */
export function MailboxesSection() {
  const [list, reload] = useResource(() => operations.listMailboxes(), []);
  const [presets] = useResource(() => operations.listMailboxPresets(), []);
  useEffect(() => {
    const timer = setInterval(reload, HEALTH_REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);

  const mailboxes = list.data?.mailboxes ?? [];
  const presetList = presets.data?.presets ?? [];
  return (
    <section aria-labelledby="mailboxes-title" className="mailboxes">
      <h2 id="mailboxes-title" className="section-title">
        Mailboxes
      </h2>
      <p className="hint">
        The relay watches these mailboxes itself (IMAP IDLE) and passes codes in new mail to your approved
        requests. Passwords are stored encrypted and never shown again.
      </p>
      {list.state === 'error' && <ErrorNotice message={list.error} onRetry={reload} />}
      {list.state === 'loading' && !list.data && <Loading what="mailboxes" />}
      {list.data && mailboxes.length === 0 && (
        <Empty title="No mailboxes yet.">Add one below; Test connection checks it before you save.</Empty>
      )}
      {mailboxes.length > 0 && (
        <ul className="card-list plain">
          {mailboxes.map((mailbox) => (
            <MailboxRow key={mailbox.id} mailbox={mailbox} presets={presetList} onChanged={reload} />
          ))}
        </ul>
      )}
      {presets.data?.gmailConnect && <ConnectGmail />}
      <MailboxForm presets={presetList} onSaved={reload} />
    </section>
  );
}
