import type { DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { useEffect, useRef, useState } from 'react';
import { describeError } from '../api.js';
import { formatTime, statusLabel } from '../format.js';
import { operations } from '../operations.js';
import { Link } from '../router.js';
import { Countdown } from './countdown.js';
import { RiskSummary } from './risk-summary.js';

/**
 * The relay's limit on a denial reason (`DENIAL_REASON_MAX_LENGTH` in the shared contract,
 * restated because the bundle imports the contract's types only, never zod); the relay
 * still checks it and names `reason` if it is ever exceeded.
 */
const DENIAL_REASON_MAX_LENGTH = 500;

/** Fingerprints are long hex strings: give them room and a monospace face. */
const isFingerprint = (label: string) => label.toLowerCase().includes('fingerprint');

/** Who decided and how, in one line. */
export function decisionLine(subject: DecisionSubject): string {
  if (subject.decision)
    return `${subject.decision.outcome === 'approved' ? 'Approved' : 'Denied'} by ${subject.decision.by} via ${subject.decision.channel}, ${formatTime(subject.decision.at)}`;
  return statusLabel(subject.status);
}

/**
 * One request as the owner decides on it: its risk (level and reasons), the agent, its reason, what it asks for (sender,
 * sources, patterns, the key fingerprint to compare with the agent's), the time left, and
 * `Approve` / `Deny` while it is pending. `Deny with reason…` reveals one text field whose
 * words the agent receives (Enter denies, Escape closes it); a decided card shows them.
 */
export function DecisionCard(props: {
  subject: DecisionSubject;
  onDecided?: (subject: DecisionSubject) => void;
  headingLevel?: 'h2' | 'h3';
  linkToDetail?: boolean;
}) {
  const { subject } = props;
  const [busy, setBusy] = useState<'approve' | 'deny' | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState('');
  const reasonInput = useRef<HTMLInputElement>(null);
  const Heading = props.headingLevel ?? 'h2';
  const titleId = `title-${subject.id}`;
  const reasonFormId = `deny-reason-${subject.id}`;

  // Revealing the field moves focus into it, so a keyboard user types at once.
  useEffect(() => {
    if (reasonOpen) reasonInput.current?.focus();
  }, [reasonOpen]);

  const decide = async (outcome: 'approve' | 'deny', denialReason?: string) => {
    setBusy(outcome);
    setError(undefined);
    try {
      const decided =
        denialReason === undefined
          ? await operations.decideApproval(subject.id, outcome)
          : await operations.denyApproval(subject.id, { reason: denialReason });
      props.onDecided?.(decided);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <article
      className={`card decision ${subject.pending ? 'pending' : 'settled'}${subject.risk ? ` risk-${subject.risk.level}` : ''}`}
      aria-labelledby={titleId}
      data-request-id={subject.id}
    >
      <header className="card-header">
        <Heading id={titleId} className="card-title">
          {props.linkToDetail ? (
            <Link href={`/approvals/${subject.id}`}>{subject.title}</Link>
          ) : (
            subject.title
          )}
        </Heading>
        {subject.pending ? (
          <Countdown deadline={subject.expiresAt} />
        ) : (
          <span className={`badge ${subject.status}`}>{statusLabel(subject.status)}</span>
        )}
      </header>
      <RiskSummary risk={subject.risk} />
      <p className="reason">
        <span className="visually-hidden">Reason: </span>“{subject.reason}”
      </p>
      <dl className="fields">
        <div>
          <dt>Agent</dt>
          <dd>{subject.agent.name}</dd>
        </div>
        {subject.fields.map((field) => (
          <div key={field.label} className={isFingerprint(field.label) ? 'wide' : undefined}>
            <dt>{field.label}</dt>
            <dd className={isFingerprint(field.label) ? 'mono' : undefined}>{field.value}</dd>
          </div>
        ))}
        <div>
          <dt>Requested</dt>
          <dd>{formatTime(subject.createdAt)}</dd>
        </div>
      </dl>
      {!subject.pending && <p className="decision-line">{decisionLine(subject)}</p>}
      {!subject.pending && subject.denialReason !== undefined && (
        <p className="reason">
          <span className="visually-hidden">Reason for denying: </span>“{subject.denialReason}”
        </p>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {subject.pending && (
        <div className="actions">
          <button
            type="button"
            className="button approve"
            disabled={busy !== undefined}
            onClick={() => decide('approve')}
            aria-describedby={titleId}
          >
            {busy === 'approve' ? 'Approving…' : 'Approve'}
          </button>
          <button
            type="button"
            className="button deny"
            disabled={busy !== undefined}
            onClick={() => decide('deny')}
            aria-describedby={titleId}
          >
            {busy === 'deny' ? 'Denying…' : 'Deny'}
          </button>
          <button
            type="button"
            className="button small secondary"
            aria-expanded={reasonOpen}
            aria-controls={reasonFormId}
            disabled={busy !== undefined}
            onClick={() => setReasonOpen((open) => !open)}
          >
            Deny with reason…
          </button>
        </div>
      )}
      {subject.pending && reasonOpen && (
        <form
          id={reasonFormId}
          className="form-row actions"
          aria-label="Deny with a reason"
          onSubmit={(event) => {
            event.preventDefault();
            void decide('deny', reason.trim());
          }}
        >
          <div className="field grow">
            <label htmlFor={`${reasonFormId}-text`}>Reason (the agent receives it)</label>
            <input
              id={`${reasonFormId}-text`}
              ref={reasonInput}
              type="text"
              value={reason}
              required
              maxLength={DENIAL_REASON_MAX_LENGTH}
              autoComplete="off"
              onChange={(event) => setReason(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') setReasonOpen(false);
              }}
            />
          </div>
          <button
            type="submit"
            className="button deny"
            disabled={busy !== undefined}
            aria-describedby={titleId}
          >
            {busy === 'deny' ? 'Denying…' : 'Deny with this reason'}
          </button>
        </form>
      )}
    </article>
  );
}
