import type { AuditVerification } from '@agent-otp/shared';
import { type FormEvent, useState } from 'react';
import { describeError } from '../api.js';
import { Pager, useCursorPages } from '../components/pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { formatTime } from '../format.js';
import { operations } from '../operations.js';
import { useTitle } from '../router.js';
import { useResource } from '../use-resource.js';

const PAGE_SIZE = 50;

function detailsText(details: Record<string, unknown>): string {
  return Object.entries(details)
    .filter(([key]) => key !== 'actor')
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' · ');
}

function VerifyChain() {
  const [result, setResult] = useState<AuditVerification | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const verify = async () => {
    setBusy(true);
    setError(undefined);
    try {
      setResult(await operations.verifyAuditChain());
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="verify">
      <button type="button" className="button secondary" onClick={verify} disabled={busy}>
        {busy ? 'Verifying…' : 'Verify chain'}
      </button>
      <span role="status" aria-live="polite">
        {result &&
          (result.ok ? (
            <span className="verdict ok">Chain intact: {result.checked} events checked.</span>
          ) : (
            <span className="verdict broken">
              Chain broken{result.brokenAt?.seq != null ? ` at event #${result.brokenAt.seq}` : ''} (
              {result.brokenAt?.reason}) after checking {result.checked}.
            </span>
          ))}
        {error && <span className="verdict broken">{error}</span>}
      </span>
    </div>
  );
}

/** The tamper-evident audit trail: search, page through, verify the hash chain. */
export function AuditPage() {
  useTitle('Audit');
  const [search, setSearch] = useState('');
  const [query, setQuery] = useState('');
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const [page, reload] = useResource(() => {
    return operations.listAuditEvents({ limit: String(PAGE_SIZE), q: query, cursor });
  }, [query, cursor]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setQuery(search.trim());
    pages.reset();
  };

  return (
    <>
      <div className="page-header">
        <h1>Audit</h1>
        <VerifyChain />
      </div>
      <form className="filters" aria-label="Search the audit trail" onSubmit={submit}>
        <div className="field grow">
          <label htmlFor="audit-search">Search</label>
          <input
            id="audit-search"
            type="search"
            value={search}
            maxLength={200}
            placeholder="otp.approved, an agent or request ID…"
            onChange={(e) => setSearch(e.target.value)}
          />
        </div>
        <button type="submit" className="button secondary">
          Search
        </button>
      </form>
      {page.data?.searched && (
        <p className="hint" role="status">
          Searched events #{page.data.searched.fromSeq}–#{page.data.searched.toSeq}
          {page.data.nextCursor ? '; older events: next page.' : '.'}
        </p>
      )}
      {page.state === 'error' && <ErrorNotice message={page.error} onRetry={reload} />}
      {page.state === 'loading' && !page.data && <Loading what="audit events" />}
      {page.data && page.data.events.length === 0 && (
        <Empty
          title={
            query
              ? `No events match “${query}”${page.data.nextCursor ? ' here; older events were not searched yet' : ''}.`
              : 'No events yet.'
          }
        >
          Every decision, key and source change is recorded here, chained by hashes.
        </Empty>
      )}
      {page.data && page.data.events.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-busy={page.state === 'loading'}>
            <caption className="visually-hidden">Audit events, newest first</caption>
            <thead>
              <tr>
                <th scope="col">#</th>
                <th scope="col">When</th>
                <th scope="col">Action</th>
                <th scope="col">Who</th>
                <th scope="col">Target</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {page.data.events.map((event) => (
                <tr key={event.id}>
                  <td data-label="#">{event.seq}</td>
                  <td data-label="When">{formatTime(event.at)}</td>
                  <td data-label="Action" className="mono">
                    {event.action}
                  </td>
                  <td data-label="Who">
                    {String(event.details.actor ?? event.actorType)}
                    {event.channel ? ` (${event.channel})` : ''}
                  </td>
                  <td data-label="Target" className="mono">
                    {event.targetId ?? '—'}
                  </td>
                  <td data-label="Details">{detailsText(event.details) || '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager {...pages.pagerProps(page.data?.nextCursor)} />
    </>
  );
}
