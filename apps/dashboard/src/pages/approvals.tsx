import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { useRef, useState } from 'react';
import { DecisionCard, decisionLine } from '../components/decision-card.js';
import { HeldMessageCard } from '../components/held-message-card.js';
import { NotificationToggle } from '../components/notification-toggle.js';
import { Empty, Loading } from '../components/states.js';
import { type Connection, useLiveApprovals } from '../live-approvals.js';
import { Link, useTitle } from '../router.js';
import { useRequestNotifications } from '../use-request-notifications.js';
import { useStableQueue } from '../use-stable-queue.js';
import { MailboxNoticesBanner } from './mailboxes/mailbox-notices-banner.js';

const CONNECTION_TEXT: Record<Connection, string> = {
  connecting: 'Connecting…',
  live: 'Live',
  reconnecting: 'Reconnecting…',
};

/**
 * Home: the pending queue, live, as a list that never moves under the pointer (new requests
 * are added at the end; decided ones keep their place until dismissed or the mouse leaves);
 * the count in the tab title; browser notifications once the owner turns them on. Decisions
 * made here or elsewhere also go to "Just decided".
 */
export function ApprovalsPage() {
  // Live events about a request (decided elsewhere, expired) update its card where it stands.
  const updateCard = useRef<(subject: DecisionSubject) => void>(undefined);
  const { pending, settled, held, connection } = useLiveApprovals((subject) => updateCard.current?.(subject));
  const queue = useStableQueue(pending);
  updateCard.current = (subject) => queue.update(subject, false);
  const notifications = useRequestNotifications(pending);
  const [announcement, setAnnouncement] = useState('');
  useTitle(pending && pending.length > 0 ? `(${pending.length}) Approvals` : 'Approvals');

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
        <NotificationToggle state={notifications.state} onEnable={() => void notifications.enable()} />
        {pending === undefined ? (
          <Loading what="pending requests" />
        ) : queue.cards.length === 0 ? (
          <Empty title="Nothing is waiting for your approval.">
            When an agent asks for a code, it appears here at once: no need to reload. Agents are set up on
            the <Link href="/agents">Agents</Link> page.
          </Empty>
        ) : (
          <div className="card-list" {...queue.listProps}>
            {queue.cards.map((subject) => (
              <DecisionCard
                key={subject.id}
                subject={subject}
                headingLevel="h3"
                linkToDetail
                onDeciding={() => queue.pin(subject.id)}
                onDecided={(decided) => {
                  queue.update(decided, true);
                  setAnnouncement(decisionLine(decided));
                }}
                {...(subject.pending ? {} : { onDismiss: () => queue.dismiss(subject.id) })}
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
