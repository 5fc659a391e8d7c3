import type { OwnerRequestEntry, TimelineStep } from '@agent-otp/shared';
import { type ConfirmAction, ConfirmActions } from '../components/confirm-actions.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { UnclearMessages } from '../components/unclear-messages.js';
import { formatTime } from '../format.js';
import { historyOperations } from '../history-operations.js';
import { requestStatusLabel, requestSubject } from '../request-labels.js';
import { Link, useTitle } from '../router.js';
import { useResource } from '../use-resource.js';

type EndAction = 'cancel' | 'revoke';

/** What the owner can still end on this request: a live token, or a code request still open. */
function endActions(request: OwnerRequestEntry): ConfirmAction<EndAction>[] {
  if (request.kind === 'permission' && request.status === 'approved')
    return [
      {
        action: 'revoke',
        label: 'Revoke token',
        confirmLabel: 'Yes, revoke',
        warning: `The agent’s token stops working at once (${request.usesRemaining} ${request.usesRemaining === 1 ? 'use' : 'uses'} left).`,
        danger: true,
      },
    ];
  if (request.kind === 'otp' && ['pending_approval', 'approved', 'otp_received'].includes(request.status))
    return [
      {
        action: 'cancel',
        label: 'Cancel request',
        confirmLabel: 'Yes, cancel',
        warning:
          request.status === 'otp_received'
            ? 'The code waiting for the agent is erased; the agent is told the request was cancelled.'
            : 'The agent is told the request was cancelled; no code will be released for it.',
        danger: true,
      },
    ];
  return [];
}

/**
 * `/requests/:id`: one request of either kind, its status in words, what the owner can
 * still end (revoke a token, cancel a code request), and its timeline from the audit log.
 */
export function RequestTimelinePage({ id }: { id: string }) {
  useTitle('Request');
  const [timeline, reload] = useResource(() => historyOperations.getRequestTimeline(id), [id]);

  const end = async (action: EndAction) => {
    if (action === 'revoke') await historyOperations.revokePermissionToken(id);
    else await historyOperations.cancelOwnerOtpRequest(id);
    reload();
  };

  return (
    <>
      <p className="breadcrumb">
        <Link href="/requests">← All requests</Link>
      </p>
      <h1>Request</h1>
      {timeline.state === 'loading' && !timeline.data && <Loading what="the request" />}
      {timeline.state === 'error' && <ErrorNotice message={timeline.error} onRetry={reload} />}
      {timeline.data && (
        <>
          <section className="card request-summary" aria-label="Summary">
            <p className="request-subject">{requestSubject(timeline.data.request)}</p>
            <p>
              <span className={`badge ${timeline.data.request.status}`}>
                {requestStatusLabel(timeline.data.request)}
              </span>
            </p>
            <dl className="facts">
              <dt>Agent</dt>
              <dd>{timeline.data.request.agent.name}</dd>
              <dt>{timeline.data.request.status === 'approved' ? 'Valid until' : 'Deadline'}</dt>
              <dd>{formatTime(timeline.data.request.expiresAt)}</dd>
            </dl>
            {timeline.data.request.kind === 'otp' && (
              <UnclearMessages messages={timeline.data.request.unclearMessages} />
            )}
            <ConfirmActions actions={endActions(timeline.data.request)} run={end} />
            <p className="hint">
              <Link href={`/approvals/${id}`}>Open the approval card</Link>
            </p>
          </section>
          <h2 id="timeline-heading">Timeline</h2>
          <ol className="timeline" aria-labelledby="timeline-heading">
            {timeline.data.steps.map((step) => (
              <TimelineItem key={step.auditId} step={step} />
            ))}
          </ol>
          <p className="hint mono">ID {id}</p>
        </>
      )}
    </>
  );
}

function TimelineItem({ step }: { step: TimelineStep }) {
  return (
    <li className="timeline-step" data-action={step.action}>
      <time dateTime={step.at} title={step.at}>
        {formatTime(step.at)}
      </time>
      <span className="timeline-title">{step.title}</span>
      {step.detail && <span className="timeline-detail">{inLocalTime(step.detail)}</span>}
    </li>
  );
}

/** The relay writes instants as ISO 8601 (it cannot know the reader's zone): shown here like every other time. */
function inLocalTime(detail: string): string {
  return detail.replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/g, (iso) => formatTime(iso));
}
