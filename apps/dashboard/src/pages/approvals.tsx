import { useState } from 'react';
import { DecisionCard, decisionLine } from '../components/decision-card.js';
import { HeldMessageCard } from '../components/held-message-card.js';
import { Empty, Loading } from '../components/states.js';
import { type Connection, useLiveApprovals } from '../live-approvals.js';
import { Link, useTitle } from '../router.js';
import { MailboxNoticesBanner } from './mailboxes/mailbox-notices-banner.js';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/** Home: the pending queue, live; decisions made here or elsewhere move items to "Just decided". */
export function ApprovalsPage() {
  useTitle('Approvals');
  const { pending, settled, held, connection } = useLiveApprovals();
  const [announcement, setAnnouncement] = useState('');

  return (
    <>
      <div className="page-header">
        <h1>Approvals</h1>
        <span className={`live-indicator ${connection}`} role="status">
          {CONNECTION_TEXT[connection]}
        </span>
      </div>
      <p className="visually-hidden" aria-live="polite">
        {announcement}
      </p>
      <MailboxNoticesBanner />
      {held && held.length > 0 && (
        <section aria-labelledby="held-title">
          <h2 id="held-title" className="section-title">
            Held messages ({held.length})
          </h2>
          <div className="card-list">
            {held.map((message) => (
              <HeldMessageCard key={message.id} held={message} onDone={setAnnouncement} />
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="pending-title">
        <h2 id="pending-title" className="section-title">
          Waiting for you{pending && pending.length > 0 ? ` (${pending.length})` : ''}
        </h2>
        {pending === undefined ? (
          <Loading what="pending requests" />
        ) : pending.length === 0 ? (
          <Empty title="Nothing is waiting for your approval.">
            When an agent asks for a code, it appears here at once: no need to reload. Agents are set up on
            the <Link href="/agents">Agents</Link> page.
          </Empty>
        ) : (
          <div className="card-list">
            {pending.map((subject) => (
              <DecisionCard
                key={subject.id}
                subject={subject}
                headingLevel="h3"
                linkToDetail
                onDecided={(decided) => setAnnouncement(decisionLine(decided))}
              />
            ))}
          </div>
        )}
      </section>
      {settled.length > 0 && (
        <section aria-labelledby="settled-title" className="settled">
          <h2 id="settled-title" className="section-title">
            Just decided
          </h2>
          <ul className="settled-list">
            {settled.map((subject) => (
              <li key={subject.id} data-request-id={subject.id}>
                <Link href={`/approvals/${subject.id}`}>{subject.title}</Link>
                <span className={`badge ${subject.status}`}>{decisionLine(subject)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
