import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { useCallback, useEffect, useState } from 'react';
import { ApiError, describeError } from '../api.js';
import { DecisionCard } from '../components/decision-card.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { UnclearMessages } from '../components/unclear-messages.js';
import { useLiveApprovals } from '../live-approvals.js';
import { operations } from '../operations.js';
import { Link, useTitle } from '../router.js';
import { useResource } from '../use-resource.js';

/** `/approvals/:id`: the page an `approvalUrl` opens; follows the request live. */
export function ApprovalDetailPage({ id }: { id: string }) {
  useTitle('Request');
  const [subject, setSubject] = useState<DecisionSubject | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: `attempt` re-runs the load on "Try again".
  useEffect(() => {
    let current = true;
    setError(undefined);
    operations.getApproval(id).then(
      (loaded) => current && setSubject(loaded),
      (failure: unknown) =>
        current &&
        setError(
          failure instanceof ApiError && (failure.status === 404 || failure.status === 400)
            ? 'There is no such request among yours. It may belong to another owner, or the link is mistyped.'
            : describeError(failure),
        ),
    );
    return () => {
      current = false;
    };
  }, [id, attempt]);

  const follow = useCallback(
    (changed: DecisionSubject) => {
      if (changed.id === id) setSubject(changed);
    },
    [id],
  );
  useLiveApprovals(follow);

  return (
    <>
      <p className="breadcrumb">
        <Link href="/">← All approvals</Link>
      </p>
      <h1>Request</h1>
      {error ? (
        <ErrorNotice message={error} onRetry={() => setAttempt((a) => a + 1)} />
      ) : !subject ? (
        <Loading what="the request" />
      ) : (
        <>
          <DecisionCard subject={subject} onDecided={setSubject} />
          {subject.kind === 'otp' && <UnclearMessagesOf id={subject.id} status={subject.status} />}
          <p className="hint">
            <Link href={`/requests/${subject.id}`}>What happened to it: the timeline</Link>
          </p>
          <p className="hint mono">ID {subject.id}</p>
        </>
      )}
    </>
  );
}

/**
 * The OTP request's unclear messages, read again whenever its status changes (a note never
 * changes the status, so a reload of the page shows notes that came while it was open).
 */
function UnclearMessagesOf({ id, status }: { id: string; status: string }) {
  const [request] = useResource(() => operations.getOwnerRequest(id), [id, status]);
  return request.data ? <UnclearMessages messages={request.data.unclearMessages} /> : null;
}
