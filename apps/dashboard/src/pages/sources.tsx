import type { CaptureSource } from '@agent-otp/shared';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api.js';
import { Pager, pageOf } from '../components/pager.js';
import { SecretOnce } from '../components/secret-once.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { formatAgo, formatTime } from '../format.js';
import { operations } from '../operations.js';
import { useTitle } from '../router.js';
import { useResource } from '../use-resource.js';

const PAGE_SIZE = 20;

function SourceRow({ source, onChanged }: { source: CaptureSource; onChanged: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const revoke = async () => {
    try {
      await operations.revokeCaptureSource(source.id);
      onChanged();
    } catch (failure) {
      setError(describeError(failure));
    }
  };
  return (
    <li className={`card ${source.revokedAt ? 'revoked' : ''}`} data-source-id={source.id}>
      <div className="card-header">
        <h3 className="card-title">{source.name}</h3>
        <span className={`badge ${source.revokedAt ? 'revoked' : ''}`}>
          {source.revokedAt ? `Revoked ${formatTime(source.revokedAt)}` : source.kind.toUpperCase()}
        </span>
      </div>
      <dl className="fields compact">
        <div>
          <dt>Token</dt>
          <dd className="mono">{source.prefix}…</dd>
        </div>
        <div>
          <dt>Last seen</dt>
          <dd>{formatAgo(source.lastSeenAt)}</dd>
        </div>
        <div>
          <dt>Created</dt>
          <dd>{formatTime(source.createdAt)}</dd>
        </div>
      </dl>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      {!source.revokedAt && (
        <div className="actions">
          {confirming ? (
            <>
              <span className="confirm-text">The device or connector using this token stops delivering.</span>
              <button type="button" className="button deny" onClick={revoke}>
                Confirm revoke
              </button>
              <button type="button" className="button secondary" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" className="button secondary danger" onClick={() => setConfirming(true)}>
              Revoke
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Capture sources: the phone app, email connectors and forwarders that deliver codes. */
export function SourcesPage() {
  useTitle('Sources');
  const [list, reload] = useResource(() => operations.listCaptureSources(), []);
  const [kind, setKind] = useState<'sms' | 'email'>('sms');
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<{ name: string; token: string } | undefined>();
  const [page, setPage] = useState(1);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const created = await operations.createCaptureSource({ kind, name });
      setSecret({ name: created.source.name, token: created.token });
      setName('');
      reload();
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const sources = list.data?.sources ?? [];
  return (
    <>
      <h1>Sources</h1>
      <p className="lead">
        A capture source watches your phone's SMS or a mailbox, matches a message to an approved request,
        encrypts the code to the agent's key and delivers only ciphertext. Each source signs in with its own
        token.
      </p>
      {secret && (
        <SecretOnce
          title={`Token for ${secret.name}`}
          secret={secret.token}
          onDismiss={() => setSecret(undefined)}
        />
      )}
      <form className="card form-card" onSubmit={create} aria-labelledby="new-source-title">
        <h2 id="new-source-title">New source</h2>
        <div className="form-row">
          <div className="field">
            <label htmlFor="source-kind">Kind</label>
            <select
              id="source-kind"
              value={kind}
              onChange={(e) => setKind(e.target.value === 'email' ? 'email' : 'sms')}
            >
              <option value="sms">SMS (phone app, SMS gateway)</option>
              <option value="email">Email (connector, forwarder)</option>
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="source-name">Name</label>
            <input
              id="source-name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
              placeholder="Pixel 8"
            />
          </div>
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Creating…' : 'Create source'}
          </button>
        </div>
        {error && (
          <p className="inline-error" role="alert">
            {error}
          </p>
        )}
      </form>
      <p className="hint">
        The built-in IMAP and Gmail connector is configured with environment variables (<code>IMAP_HOST</code>
        , <code>IMAP_USER</code>, … or <code>GMAIL_*</code>) when you start <code>agent-otp serve</code>; it
        needs no token and shows up in this list once it runs.
      </p>
      <h2 className="section-title">Your sources</h2>
      {list.state === 'error' && <ErrorNotice message={list.error} onRetry={reload} />}
      {list.state === 'loading' && !list.data && <Loading what="sources" />}
      {list.data && sources.length === 0 && (
        <Empty title="No capture sources yet.">
          Create one above and paste its token into the phone app or your email forwarder.
        </Empty>
      )}
      {sources.length > 0 && (
        <ul className="card-list plain">
          {pageOf(sources, page, PAGE_SIZE).map((source) => (
            <SourceRow key={source.id} source={source} onChanged={reload} />
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
