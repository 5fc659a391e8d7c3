import { useState } from 'react';
import { Pager, useCursorPages } from '../components/pager.js';
import { Empty, ErrorNotice, Loading } from '../components/states.js';
import { UnclearMessages } from '../components/unclear-messages.js';
import { formatTime, OTP_STATUS_LIST, statusLabel } from '../format.js';
import { operations } from '../operations.js';
import { Link, useTitle } from '../router.js';
import { useResource } from '../use-resource.js';

const PAGE_SIZE = 25;
const PERIODS = [
  { value: '', label: 'Any time' },
  { value: '3600', label: 'Last hour' },
  { value: '86400', label: 'Last 24 hours' },
  { value: '604800', label: 'Last 7 days' },
  { value: '2592000', label: 'Last 30 days' },
];

interface Filters {
  status: string;
  agentId: string;
  period: string;
}

function requestsQuery(filters: Filters, cursor: string | undefined) {
  return {
    limit: String(PAGE_SIZE),
    status: filters.status,
    agentId: filters.agentId,
    since: filters.period ? new Date(Date.now() - Number(filters.period) * 1000).toISOString() : undefined,
    cursor,
  };
}

/** History of every request, filtered by status, agent and time. Codes are never shown: the relay cannot read them. */
export function RequestsPage() {
  useTitle('Requests');
  const [filters, setFilters] = useState<Filters>({ status: '', agentId: '', period: '' });
  const pages = useCursorPages();
  const cursor = pages.cursor;
  const [agents] = useResource(() => operations.listAgents(), []);
  const [page, reload] = useResource(
    () => operations.listOwnerRequests(requestsQuery(filters, cursor)),
    [filters, cursor],
  );
  const change = (patch: Partial<Filters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    pages.reset();
  };

  return (
    <>
      <h1>Requests</h1>
      <form className="filters" aria-label="Filter requests" onSubmit={(e) => e.preventDefault()}>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(e) => change({ status: e.target.value })}
          >
            <option value="">Any status</option>
            {OTP_STATUS_LIST.map((s) => (
              <option key={s} value={s}>
                {statusLabel(s)}
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
          <label htmlFor="filter-period">Time</label>
          <select
            id="filter-period"
            value={filters.period}
            onChange={(e) => change({ period: e.target.value })}
          >
            {PERIODS.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        </div>
      </form>
      {page.state === 'error' && <ErrorNotice message={page.error} onRetry={reload} />}
      {page.state === 'loading' && !page.data && <Loading what="requests" />}
      {page.data && page.data.requests.length === 0 && (
        <Empty title="No requests match.">
          {filters.status || filters.agentId || filters.period
            ? 'Try other filters.'
            : 'When your agents ask for codes, every request is listed here.'}
        </Empty>
      )}
      {page.data && page.data.requests.length > 0 && (
        <div className="table-wrap">
          <table className="data-table" aria-busy={page.state === 'loading'}>
            <caption className="visually-hidden">Requests, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Requested</th>
                <th scope="col">Agent</th>
                <th scope="col">Reason</th>
                <th scope="col">Status</th>
                <th scope="col">Decision</th>
                <th scope="col">Expected sender</th>
              </tr>
            </thead>
            <tbody>
              {page.data.requests.map((r) => (
                <tr key={r.id}>
                  <td data-label="Requested">
                    <Link href={`/approvals/${r.id}`}>{formatTime(r.createdAt)}</Link>
                  </td>
                  <td data-label="Agent">{r.agent.name}</td>
                  <td data-label="Reason">{r.reason}</td>
                  <td data-label="Status">
                    <span className={`badge ${r.status}`}>{statusLabel(r.status)}</span>
                    <UnclearMessages messages={r.unclearMessages} />
                  </td>
                  <td data-label="Decision">
                    {r.decision ? `${r.decision.outcome} by ${r.decision.by} (${r.decision.channel})` : '—'}
                  </td>
                  <td data-label="Expected sender">
                    {r.expectedSender ?? r.filter.senderPattern ?? 'any sender'}
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
