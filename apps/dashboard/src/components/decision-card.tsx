import type { AgentKeyHistory, DecisionSubjectResponse as DecisionSubject } from '@agent-otp/shared';
import { useEffect, useRef, useState } from 'react';
import { formatTime, statusLabel } from '../format.js';
import { Link } from '../router.js';
import type { PendingDecision } from '../send-decision.js';
import { confirmWithPasskey, needsStepUp, StepUpFailure } from '../step-up.js';
import { useUndoableDecision } from '../use-undoable-decision.js';
import { AlwaysAllowForm } from './always-allow-form.js';
import { CopyButton } from './copy-button.js';
import { Countdown } from './countdown.js';
import { RelativeTime } from './relative-time.js';
import { RiskSummary } from './risk-summary.js';

/**
 * The relay's limit on a denial reason (`DENIAL_REASON_MAX_LENGTH` in the shared contract,
 * restated because the bundle imports the contract's types only, never zod); the relay
 * still checks it and names `reason` if it is ever exceeded.
 */
const DENIAL_REASON_MAX_LENGTH = 500;

/** The fingerprint's field: shown short, with its comparison, above the details. */
const FINGERPRINT_LABEL = 'Agent key fingerprint';

/**
 * How the key compares with the agent's last request (the relay's words, restated: the
 * bundle imports types only). `satisfies` makes a new history value a compile error here.
 */
const KEY_HISTORY_TEXT = {
  same_as_last_request: "same key as this agent's last request",
  new_key: 'new key for this agent',
  first_request: "this agent's first request: no earlier key to compare",
} as const satisfies Record<AgentKeyHistory, string>;

/** "3F9A 21C0 7B44 E1D2": the first 16 hex digits in groups of 4, to compare at a glance. */
function shortFingerprint(fingerprint: string): string {
  return (
    fingerprint
      .slice(0, 16)
      .toUpperCase()
      .match(/.{1,4}/g)
      ?.join(' ') ?? ''
  );
}

/** Who decided and how, in one line. */
export function decisionLine(subject: DecisionSubject): string {
  if (subject.decision)
    return `${subject.decision.outcome === 'approved' ? 'Approved' : 'Denied'} by ${subject.decision.by} via ${subject.decision.channel}, ${formatTime(subject.decision.at)}`;
  return statusLabel(subject.status);
}

function heldText(decision: PendingDecision): string {
  if (decision.outcome === 'approve') return 'Approved';
  return decision.reason ? `Denied: “${decision.reason}”` : 'Denied';
}

/**
 * One request as the owner decides on it: its risk (level and reasons), the reason once,
 * what approving allows in plain lines, the agent and its key (short, compared with its last
 * request, copyable in full), when it was asked and when it lapses, then `Approve` / `Deny`.
 * A decision is held for a few seconds with `Undo` before it is sent (the request stays
 * pending meanwhile); the card keeps its place and size throughout. Every exact field and
 * the raw request are behind "Show details"; "Always allow like this" drafts a policy.
 */
export function DecisionCard(props: {
  subject: DecisionSubject;
  onDecided?: (subject: DecisionSubject) => void;
  /** Called when the owner takes a decision (before the undo window): the list pins the card. */
  onDeciding?: () => void;
  headingLevel?: 'h2' | 'h3';
  linkToDetail?: boolean;
  /** Offered on a card that left the queue and is kept in place: hides it. */
  onDismiss?: () => void;
}) {
  const { subject } = props;
  const { held, sending, error, decide, undo } = useUndoableDecision(subject, props.onDecided);
  const [reasonOpen, setReasonOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [detailsOpen, setDetailsOpen] = useState(false);
  const [allowOpen, setAllowOpen] = useState(false);
  const reasonInput = useRef<HTMLInputElement>(null);
  const undoButton = useRef<HTMLButtonElement>(null);
  const Heading = props.headingLevel ?? 'h2';
  const titleId = `title-${subject.id}`;
  const reasonFormId = `deny-reason-${subject.id}`;
  const detailsId = `details-${subject.id}`;
  const keyId = `key-${subject.id}`;
  const busy = held !== undefined || sending;
  const holding = held !== undefined;

  // Revealing the field moves focus into it, so a keyboard user types at once.
  useEffect(() => {
    if (reasonOpen) reasonInput.current?.focus();
  }, [reasonOpen]);
  // A held decision puts focus on Undo, so the keyboard can take it back at once.
  useEffect(() => {
    if (holding) undoButton.current?.focus();
  }, [holding]);

  // From the first decision on, the card never gets shorter: the cards below stay where
  // they were while the owner's finger or pointer is still around.
  const card = useRef<HTMLElement>(null);
  const [minHeight, setMinHeight] = useState<number | undefined>();
  const hold = (decision: PendingDecision) => {
    setMinHeight((locked) => locked ?? card.current?.getBoundingClientRect().height);
    props.onDeciding?.();
    setReasonOpen(false);
    decide(decision);
  };
  // A high-risk approval asks for a passkey first, from the click itself (a user gesture),
  // then is held for the undo window like any decision (issue 15).
  const [stepUp, setStepUp] = useState<{ checking: boolean; failure?: StepUpFailure }>({ checking: false });
  const approve = async () => {
    if (!needsStepUp(subject)) return hold({ outcome: 'approve' });
    setStepUp({ checking: true });
    try {
      const passkey = await confirmWithPasskey(subject.id);
      setStepUp({ checking: false });
      hold({ outcome: 'approve', passkey });
    } catch (failure) {
      setStepUp({
        checking: false,
        failure: failure instanceof StepUpFailure ? failure : new StepUpFailure(String(failure), false),
      });
    }
  };
  const detailFields = subject.fields.filter((field) => field.label !== FINGERPRINT_LABEL);
  const canAlwaysAllow = subject.pending || subject.decision?.outcome === 'approved';

  return (
    <article
      className={`card decision ${subject.pending ? 'pending' : 'settled'}${subject.risk ? ` risk-${subject.risk.level}` : ''}${held ? ' held' : ''}`}
      aria-labelledby={titleId}
      data-request-id={subject.id}
      ref={card}
      style={minHeight === undefined ? undefined : { minHeight }}
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
      <ul className="summary-lines" aria-label="What approving allows">
        {subject.summary.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <dl className="fields">
        <div>
          <dt>Agent</dt>
          <dd>{subject.agent.name}</dd>
        </div>
        <div>
          <dt>Requested</dt>
          <dd>
            <RelativeTime iso={subject.createdAt} />
          </dd>
        </div>
        {subject.agentKey && (
          <div className="wide agent-key">
            <dt id={keyId}>Agent key</dt>
            <dd>
              <code className="fingerprint" title={subject.agentKey.fingerprint}>
                {shortFingerprint(subject.agentKey.fingerprint)}
              </code>{' '}
              <span className={`key-history ${subject.agentKey.history}`}>
                {KEY_HISTORY_TEXT[subject.agentKey.history]}
              </span>{' '}
              <CopyButton
                text={subject.agentKey.fingerprint}
                label="Copy full fingerprint"
                describedBy={keyId}
              />
            </dd>
          </div>
        )}
      </dl>
      <button
        type="button"
        className="button small secondary details-toggle"
        aria-expanded={detailsOpen}
        aria-controls={detailsId}
        onClick={() => setDetailsOpen((open) => !open)}
      >
        {detailsOpen ? 'Hide details' : 'Show details'}
      </button>
      {detailsOpen && (
        <div id={detailsId} className="request-details">
          <dl className="fields compact">
            {detailFields.map((field) => (
              <div key={field.label}>
                <dt>{field.label}</dt>
                <dd className="mono">{field.value}</dd>
              </div>
            ))}
            {subject.agentKey && (
              <div className="wide">
                <dt>{FINGERPRINT_LABEL}</dt>
                <dd className="mono">{subject.agentKey.fingerprint}</dd>
              </div>
            )}
          </dl>
          <p className="hint">The request as the agent sent it (JSON):</p>
          <pre className="raw-json">{JSON.stringify(subject.details, null, 2)}</pre>
        </div>
      )}
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
      {subject.pending && !held && stepUp.failure && (
        <p className="inline-error" role="alert">
          {stepUp.failure.message}{' '}
          {stepUp.failure.addPasskey && <Link href="/account#passkeys">Add a passkey in Account</Link>}
        </p>
      )}
      {subject.pending && held && (
        <div className="actions held-outcome">
          <span className={`held-text ${held.decision.outcome}`} role="status">
            {heldText(held.decision)}
            <span className="hint"> — sent in {held.secondsLeft} s</span>
          </span>
          <button ref={undoButton} type="button" className="button secondary" onClick={undo}>
            Undo ({held.secondsLeft} s)
          </button>
        </div>
      )}
      {subject.pending && !held && (
        <div className="actions">
          <button
            type="button"
            className="button approve"
            disabled={busy || stepUp.checking}
            onClick={() => void approve()}
            aria-describedby={titleId}
          >
            {sending
              ? 'Sending…'
              : stepUp.checking
                ? 'Waiting for your passkey…'
                : needsStepUp(subject)
                  ? 'Approve with passkey'
                  : 'Approve'}
          </button>
          <button
            type="button"
            className="button deny"
            disabled={busy}
            onClick={() => hold({ outcome: 'deny' })}
            aria-describedby={titleId}
          >
            Deny
          </button>
          <button
            type="button"
            className="button small secondary"
            aria-expanded={reasonOpen}
            aria-controls={reasonFormId}
            disabled={busy}
            onClick={() => setReasonOpen((open) => !open)}
          >
            Deny with reason…
          </button>
        </div>
      )}
      {subject.pending && !held && reasonOpen && (
        <form
          id={reasonFormId}
          className="form-row actions"
          aria-label="Deny with a reason"
          onSubmit={(event) => {
            event.preventDefault();
            hold({ outcome: 'deny', reason: reason.trim() });
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
          <button type="submit" className="button deny" disabled={busy} aria-describedby={titleId}>
            Deny with this reason
          </button>
        </form>
      )}
      {(canAlwaysAllow || props.onDismiss) && !allowOpen && (
        <div className="actions secondary-actions">
          {canAlwaysAllow && (
            <button
              type="button"
              className="button small secondary"
              onClick={() => setAllowOpen(true)}
              aria-describedby={titleId}
            >
              Always allow like this…
            </button>
          )}
          {props.onDismiss && (
            <button type="button" className="button small secondary" onClick={props.onDismiss}>
              Dismiss
            </button>
          )}
        </div>
      )}
      {allowOpen && <AlwaysAllowForm requestId={subject.id} onClose={() => setAllowOpen(false)} />}
    </article>
  );
}
