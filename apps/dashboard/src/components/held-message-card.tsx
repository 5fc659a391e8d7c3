import type { HeldMessage } from '@agent-otp/shared';
import { useState } from 'react';
import { describeError } from '../api.js';
import { formatTime, statusLabel } from '../format.js';
import { operations } from '../operations.js';
import { Countdown } from './countdown.js';

/**
 * A message the relay would not route on its own: requests of several agents matched it equally
 * well. The owner gives it to one candidate (the others never see it) or discards it. Only the
 * sender and times are shown: the code is ciphertext the relay cannot read.
 */
export function HeldMessageCard(props: { held: HeldMessage; onDone?: (line: string) => void }) {
  const { held } = props;
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  const titleId = `title-${held.id}`;

  const act = async (key: string, run: () => Promise<string>) => {
    setBusy(key);
    setError(undefined);
    try {
      props.onDone?.(await run());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(undefined);
    }
  };

  const assign = (requestId: string, agent: string) =>
    act(requestId, async () => {
      const result = await operations.assignHeldMessage(held.id, { requestId });
      return `Gave the message from ${held.sender} to ${agent} (${statusLabel(result.status)}).`;
    });

  const discard = () =>
    act('discard', async () => {
      await operations.discardHeldMessage(held.id);
      return `Discarded the message from ${held.sender}.`;
    });

  return (
    <article className="card decision pending held" aria-labelledby={titleId} data-held-id={held.id}>
      <header className="card-header">
        <h3 id={titleId} className="card-title">
          Which agent should get the code from {held.sender}?
        </h3>
        <Countdown deadline={held.expiresAt} />
      </header>
      <p className="reason">
        Requests of several agents match this {held.source === 'sms' ? 'SMS' : 'email'} equally well, so the
        relay did not guess. Give it to one; the others never see it.
      </p>
      <dl className="fields">
        <div>
          <dt>Sender</dt>
          <dd>{held.sender}</dd>
        </div>
        <div>
          <dt>Received</dt>
          <dd>{formatTime(held.receivedAt)}</dd>
        </div>
      </dl>
      <ul className="held-candidates">
        {held.candidates.map((c) => (
          <li key={c.requestId} data-request-id={c.requestId}>
            <div>
              <strong>{c.agent.name}</strong>: “{c.reason}”
              <br />
              <span className="muted">
                Sender pattern: {c.senderLabel} · {statusLabel(c.status)}
              </span>
            </div>
            <button
              type="button"
              className="button approve"
              disabled={busy !== undefined}
              onClick={() => assign(c.requestId, c.agent.name)}
            >
              {busy === c.requestId ? 'Giving…' : `Give to ${c.agent.name}`}
            </button>
          </li>
        ))}
      </ul>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="button" className="button deny" disabled={busy !== undefined} onClick={discard}>
          {busy === 'discard' ? 'Discarding…' : 'Discard'}
        </button>
      </div>
    </article>
  );
}
