import type { AuditVerification } from '@agent-otp/shared';
import { type FormEvent, useEffect, useState } from 'react';
import { describeError } from '../api.js';
import { Pager, useCursorPages } from '../components/pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { formatTime } from '../format.js';
import { operations } from '../operations.js';
import { navigate, useLocation, useTitle } from '../router.js';
import { useResource } from '../use-resource.js';
import './audit.css';
import {
  ACTION_PATTERN,
  type AuditFilters,
  auditExportUrl,
  auditFiltersFrom,
  auditPageQuery,
  auditUrlOf,
  isFiltered,
  SUGGESTED_ACTIONS,
} from './audit-filters.js';
import { AuditTarget } from './audit-target.js';

const PAGE_SIZE = 50;

function detailsText(details: Record<string, unknown>): string {
  return (
    Object.entries(details)
      // The actor has its own column; an empty fact (null) says nothing.
      .filter(([key, value]) => key !== 'actor' && value !== null)
      .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
      .join(' · ')
  );
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

/** The text fields apply on submit (typing would reload the list on every key); the rest apply at once. */
function TextFilters(props: { filters: AuditFilters; onApply: (patch: Partial<AuditFilters>) => void }) {
  const [q, setQ] = useState(props.filters.q);
  const [action, setAction] = useState(props.filters.action);
  // Back and forward change the URL under the form: show what is applied.
  useEffect(() => setQ(props.filters.q), [props.filters.q]);
  useEffect(() => setAction(props.filters.action), [props.filters.action]);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    props.onApply({ q: q.trim(), action: action.trim() });
  };
  return (
    <form className="audit-filters" aria-label="Search the audit trail" onSubmit={submit}>
      <div className="field">
        <label htmlFor="audit-search">Search</label>
        <input
          id="audit-search"
          type="search"
          value={q}
          maxLength={200}
          placeholder="a request or agent ID, a word…"
          onChange={(e) => setQ(e.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="audit-action">Action</label>
        <input
          id="audit-action"
          value={action}
          maxLength={100}
          pattern={ACTION_PATTERN}
          title="An action such as otp.approved, or a family such as otp"
          list="audit-actions"
          placeholder="otp, owner.sign_in_failed…"
          autoCapitalize="none"
          spellCheck={false}
          onChange={(e) => setAction(e.target.value)}
        />
        <datalist id="audit-actions">
          {SUGGESTED_ACTIONS.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
      </div>
      <button type="submit" className="button secondary">
        Search
      </button>
    </form>
  );
}

function OtherFilters(props: { filters: AuditFilters; onApply: (patch: Partial<AuditFilters>) => void }) {
  const [agents] = useResource(() => operations.listAgents(), []);
  const { filters, onApply } = props;
  return (
    <form className="audit-filters" aria-label="Filter the audit trail" onSubmit={(e) => e.preventDefault()}>
      <div className="field">
        <label htmlFor="audit-agent">Agent</label>
        <select
          id="audit-agent"
          value={filters.agentId}
          onChange={(e) => onApply({ agentId: e.target.value })}
        >
          <option value="">Any agent</option>
          {agents.data?.agents.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="audit-from">From</label>
        <input
          id="audit-from"
          type="date"
          value={filters.from}
          onChange={(e) => onApply({ from: e.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor="audit-to">To</label>
        <input
          id="audit-to"
          type="date"
          value={filters.to}
          onChange={(e) => onApply({ to: e.target.value })}
        />
      </div>
    </form>
  );
}

function ExportLinks({ filters }: { filters: AuditFilters }) {
  return (
    <div className="audit-export">
      <a className="button secondary" href={auditExportUrl(filters, 'csv')} download>
        Export CSV
      </a>
      <a className="button secondary" href={auditExportUrl(filters, 'json')} download>
        Export JSON
      </a>
      <span className="hint">
        {isFiltered(filters) ? 'The events these filters match' : 'Every event'}, newest first, up to 10,000
        per file.
      </span>
    </div>
  );
}

/**
 * `/audit`: the tamper-evident audit trail, filtered by text, action, agent and dates kept in
 * the URL, exported as CSV or JSON, and its hash chain verified.
 */
export function AuditPage() {
  useTitle('Audit');
  const { query } = useLocation();
  const filters = auditFiltersFrom(query);
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const queryKey = auditUrlOf(filters);
  // Back and forward change the filters without `apply`: a cursor of other filters would mislead.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of filters resets the pages.
  useEffect(() => pages.reset(), [queryKey]);
  const [page, reload] = useResource(
    () => operations.listAuditEvents(auditPageQuery(filters, { limit: PAGE_SIZE, cursor })),
    [queryKey, cursor],
  );
  const apply = (patch: Partial<AuditFilters>) => {
    pages.reset();
    navigate(auditUrlOf({ ...filters, ...patch }));
  };
  const filtered = isFiltered(filters);

  return (
    <>
      <div className="page-header">
        <h1>Audit</h1>
        <VerifyChain />
      </div>
      <TextFilters filters={filters} onApply={apply} />
      <OtherFilters filters={filters} onApply={apply} />
      <ExportLinks filters={filters} />
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
            filtered
              ? `No events match${page.data.nextCursor ? ' here; older events were not searched yet' : ''}.`
              : 'No events yet.'
          }
        >
          Every decision, key and source change, and every sign-in, is recorded here, chained by hashes.
        </Empty>
      )}
      {page.data && page.data.events.length > 0 && (
        <div className="table-wrap">
          <table className="data-table audit-table" aria-busy={page.state === 'loading'}>
            <caption className="visually-hidden">Audit events, newest first</caption>
            <colgroup>
              <col className="col-seq" />
              <col className="col-when" />
              <col className="col-action" />
              <col className="col-who" />
              <col className="col-target" />
              <col />
            </colgroup>
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
                  <td data-label="When">
                    <time dateTime={event.at}>{formatTime(event.at)}</time>
                  </td>
                  <td data-label="Action" className="mono">
                    {event.action}
                  </td>
                  <td data-label="Who">
                    {String(event.details.actor ?? event.actorType)}
                    {event.channel ? ` (${event.channel})` : ''}
                  </td>
                  <td data-label="Target">
                    <AuditTarget targetId={event.targetId} />
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
