import type { SourceWithToken } from '@agent-otp/shared';
import { useState } from 'react';
import { Pager, pageOf } from '../components/pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { operations } from '../operations.js';
import { useTitle } from '../router.js';
import { useResource } from '../use-resource.js';
import { ConnectSourceForm } from './connect-source-form.js';
import { MailboxesSection } from './mailboxes/mailboxes-section.js';
import { type Channel, channelOf } from './source-channels.js';
import { SourceRow } from './source-row.js';
import { SourceSetup } from './source-setup.js';

const PAGE_SIZE = 20;

type ShownSetup = { created: SourceWithToken; channel: Channel; rotated: boolean };

/** Capture sources: the phones, SMS numbers and email forwarders that deliver codes. */
export function SourcesPage() {
  useTitle('Sources');
  const [list, reload] = useResource(() => operations.listCaptureSources(), []);
  const [shown, setShown] = useState<ShownSetup | undefined>();
  const [page, setPage] = useState(1);

  const show = (next: ShownSetup) => {
    setShown(next);
    setPage(1);
    reload();
    // The once-only secrets appear above the form; bring them into view on a phone.
    window.scrollTo({ top: 0 });
  };

  const sources = list.data?.sources ?? [];
  return (
    <>
      <h1>Sources</h1>
      <p className="lead">
        A capture source is a phone, an SMS number or an email forwarder that passes messages to the relay.
        The relay matches each message to an approved request, encrypts the code to the agent's key and stores
        only ciphertext. Every source has its own token, and every provider's webhook is checked with that
        provider's own signature.
      </p>
      {shown && (
        <SourceSetup
          key={`${shown.created.source.id}-${shown.created.token}`}
          created={shown.created}
          channel={shown.channel}
          rotated={shown.rotated}
          onDismiss={() => setShown(undefined)}
          onReceived={reload}
        />
      )}
      <ConnectSourceForm onCreated={(created, channel) => show({ created, channel, rotated: false })} />
      <MailboxesSection />
      <p className="hint">
        A mailbox configured by the relay's operator with environment variables (<code>IMAP_*</code> or{' '}
        <code>GMAIL_*</code>) is not listed above; it needs no token and shows up in the list below once it
        runs.
      </p>
      <h2 className="section-title">Your sources</h2>
      {list.state === 'error' && <ErrorNotice message={list.error} onRetry={reload} />}
      {list.state === 'loading' && !list.data && <Loading what="sources" />}
      {list.data && sources.length === 0 && (
        <Empty title="No capture sources yet.">
          Connect a phone or number above; the page shows exactly what to enter in the app or console.
        </Empty>
      )}
      {sources.length > 0 && (
        <ul className="card-list plain">
          {pageOf(sources, page, PAGE_SIZE).map((source) => (
            <SourceRow
              key={source.id}
              source={source}
              onChanged={reload}
              onRotated={(created) => show({ created, channel: channelOf(created.source), rotated: true })}
            />
          ))}
        </ul>
      )}
      <Pager
        page={page}
        hasNext={page * PAGE_SIZE < sources.length}
        onPrevious={() => setPage((p) => Math.max(1, p - 1))}
        onNext={() => setPage((p) => p + 1)}
      />
    </>
  );
}
