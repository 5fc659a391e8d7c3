import type { RiskLevel } from '@agent-otp/shared';
import { useEffect } from 'react';
import { Pager, useCursorPages } from '../components/pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { UnclearMessages } from '../components/unclear-messages.js';
import { formatTime } from '../format.js';
import { type HistoryQuery, historyOperations } from '../history-operations.js';
import { operations } from '../operations.js';
import {
  KIND_LABELS,
  type KindFilter,
  requestStatusLabel,
  requestSubject,
  statusOptions,
} from '../request-labels.js';
import { Link, navigate, useLocation, useTitle } from '../router.js';
import { useResource } from '../use-resource.js';

const PAGE_SIZE = 25;

/** The history's filters, as the URL's query string holds them (so reload, back and forward keep them). */
interface Filters {
  kind: KindFilter;
  status: string;
  agentId: string;
  risk: string;
  /** `YYYY-MM-DD` in the reader's time zone, inclusive. */
  from: string;
  to: string;
}

const FILTER_NAMES = ['kind', 'status', 'agentId', 'risk', 'from', 'to'] as const;
// A value import of the contract would bring zod into the bundle; `satisfies` keeps this list honest.
const RISK_LEVELS = ['low', 'elevated', 'high'] as const satisfies readonly RiskLevel[];

function filtersFrom(query: URLSearchParams): Filters {
  const kind = query.get('kind');
  return {
    kind: kind === 'otp' || kind === 'permission' ? kind : 'all',
    status: query.get('status') ?? '',
    agentId: query.get('agentId') ?? '',
    risk: query.get('risk') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
  };
}

function urlOf(filters: Filters): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) {
    const value = filters[name];
    if (value && !(name === 'kind' && value === 'all')) params.set(name, value);
  }
  const text = params.toString();
  return text ? `/requests?${text}` : '/requests';
}

/** A local calendar day's start as an instant; `nextDay` for the exclusive end of a range. */
function dayStart(day: string, nextDay = false): string | undefined {
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (nextDay) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

function historyQuery(filters: Filters, cursor: string | undefined): HistoryQuery {
  return {
    kind: filters.kind,
    limit: String(PAGE_SIZE),
    status: filters.status || undefined,
    agentId: filters.agentId || undefined,
    risk: filters.risk || undefined,
    since: filters.from ? dayStart(filters.from) : undefined,
    until: filters.to ? dayStart(filters.to, true) : undefined,
    cursor,
  };
}

/**
 * `/requests`: one history of code and permission requests, newest first, filtered by kind,
 * status, agent and dates kept in the URL. Codes and tokens are never shown: the relay
 * cannot read codes, and a token is the agent's alone.
 */
export function RequestsPage() {
  useTitle('Requests');
  const { query } = useLocation();
  const filters = filtersFrom(query);
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const queryKey = urlOf(filters);
  // Back and forward change the filters without `change`: a cursor of other filters would mislead.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a change of filters resets the pages.
  useEffect(() => pages.reset(), [queryKey]);
  const [agents] = useResource(() => operations.listAgents(), []);
  const [page, reload] = useResource(
    () => historyOperations.listOwnerRequests(historyQuery(filters, cursor)),
    [queryKey, cursor],
  );
  const change = (patch: Partial<Filters>) => {
    const next = { ...filters, ...patch };
    // A status the new kind does not have would match nothing: drop it.
    if (patch.kind && !statusOptions(next.kind).some((o) => o.value === next.status)) next.status = '';
    pages.reset();
    navigate(urlOf(next));
  };
  const filtered = Boolean(filters.status || filters.agentId || filters.risk || filters.from || filters.to);

  return (
    <>
      <h1>Requests</h1>
      <form
        className="filters history-filters"
        aria-label="Filter requests"
        onSubmit={(e) => e.preventDefault()}
      >
        <div className="field">
          <label htmlFor="filter-kind">Kind</label>
          <select
            id="filter-kind"
            value={filters.kind}
            onChange={(e) => change({ kind: e.target.value as KindFilter })}
          >
            {(Object.keys(KIND_LABELS) as KindFilter[]).map((k) => (
              <option key={k} value={k}>
                {KIND_LABELS[k]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(e) => change({ status: e.target.value })}
          >
            <option value="">Any status</option>
            {statusOptions(filters.kind).map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-agent">Agent</label>
          <select
            id="filter-agent"
            value={filters.agentId}
            onChange={(e) => change({ agentId: e.target.value })}
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
          <label htmlFor="filter-risk">Risk</label>
          <select id="filter-risk" value={filters.risk} onChange={(e) => change({ risk: e.target.value })}>
            <option value="">Any risk</option>
            {RISK_LEVELS.map((level) => (
              <option key={level} value={level}>
                {level.charAt(0).toUpperCase() + level.slice(1)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-from">From</label>
          <input
            id="filter-from"
            type="date"
            value={filters.from}
            onChange={(e) => change({ from: e.target.value })}
          />
        </div>
        <div className="field">
          <label htmlFor="filter-to">To</label>
          <input
            id="filter-to"
            type="date"
            value={filters.to}
            onChange={(e) => change({ to: e.target.value })}
          />
        </div>
      </form>
      {page.state === 'error' && <ErrorNotice message={page.error} onRetry={reload} />}
      {page.state === 'loading' && !page.data && <Loading what="requests" />}
      {page.data && page.data.requests.length === 0 && (
        <Empty title="No requests match.">
          {filtered
            ? 'Try other filters.'
            : 'When your agents ask for codes or permissions, every request is listed here.'}
        </Empty>
      )}
      {page.data && page.data.requests.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-busy={page.state === 'loading'}>
            <caption className="visually-hidden">Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Kind</th>
                <th scope="col">Agent</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col">Decision</th>
              </tr>
            </thead>
            <tbody>
              {page.data.requests.map((r) => (
                <tr key={r.id}>
                  <td data-label="Requested">
                    <Link href={`/requests/${r.id}`}>{formatTime(r.createdAt)}</Link>
                  </td>
                  <td data-label="Kind">{r.kind === 'otp' ? 'Code' : 'Permission'}</td>
                  <td data-label="Agent">{r.agent.name}</td>
                  <td data-label="Reason">{requestSubject(r)}</td>
                  <td data-label="Status">
                    <span className={`badge ${r.status}`}>{requestStatusLabel(r)}</span>
                    {r.kind === 'otp' && <UnclearMessages messages={r.unclearMessages} />}
                  </td>
                  <td data-label="Decision">
                    {r.decision ? `${r.decision.outcome} by ${r.decision.by} (${r.decision.channel})` : '—'}
                  </td>
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
