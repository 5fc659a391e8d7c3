import type { AuditEventsQuery, AuditExportQuery } from '@agent-otp/shared';

/** The audit page's filters, as the URL's query string holds them (reload, back and forward keep them). */
export interface AuditFilters {
  /** Text in the action, target or details. */
  q: string;
  /** An action (`otp.approved`) or its family (`otp`). */
  action: string;
  agentId: string;
  /** `YYYY-MM-DD` in the reader's time zone, inclusive. */
  from: string;
  to: string;
}

const FILTER_NAMES = ['q', 'action', 'agentId', 'from', 'to'] as const;

/** What the relay accepts as `action` (the contract's pattern), checked before a request is sent. */
export const ACTION_PATTERN = '[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)?';

/** Families and actions an owner looks for most, offered as suggestions (any action can be typed). */
export const SUGGESTED_ACTIONS = [
  'otp',
  'permission',
  'agent',
  'policy',
  'source',
  'mailbox',
  'owner',
  'owner.sign_in_failed',
  'owner.signed_in',
  'otp.approved',
  'otp.cancelled',
  'permission.verified',
  'agent.created',
  'agent.revoked',
  'agent.key_rotated',
];

export function auditFiltersFrom(query: URLSearchParams): AuditFilters {
  return {
    q: query.get('q') ?? '',
    action: query.get('action') ?? '',
    agentId: query.get('agentId') ?? '',
    from: query.get('from') ?? '',
    to: query.get('to') ?? '',
  };
}

/** `/audit?action=otp&from=2026-11-01`: the page's own address for these filters. */
export function auditUrlOf(filters: AuditFilters): string {
  const params = new URLSearchParams();
  for (const name of FILTER_NAMES) if (filters[name]) params.set(name, filters[name]);
  const text = params.toString();
  return text ? `/audit?${text}` : '/audit';
}

export function isFiltered(filters: AuditFilters): boolean {
  return FILTER_NAMES.some((name) => filters[name] !== '');
}

/** A local calendar day's start as an instant; `nextDay` for the exclusive end of a range. */
function dayStart(day: string, nextDay = false): string | undefined {
  const date = new Date(`${day}T00:00:00`);
  if (Number.isNaN(date.getTime())) return undefined;
  if (nextDay) date.setDate(date.getDate() + 1);
  return date.toISOString();
}

type FilterQuery = Pick<
  { [K in keyof AuditEventsQuery]?: string },
  'q' | 'action' | 'agentId' | 'since' | 'until'
>;

/** The relay's names for the filters: the dates become instants at local midnight. */
function relayFilters(filters: AuditFilters): FilterQuery {
  return {
    q: filters.q || undefined,
    action: filters.action || undefined,
    agentId: filters.agentId || undefined,
    since: filters.from ? dayStart(filters.from) : undefined,
    until: filters.to ? dayStart(filters.to, true) : undefined,
  };
}

function queryString(query: Record<string, string | undefined>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  return params.toString();
}

/** The query of one page of `GET /api/v1/audit`. */
export function auditPageQuery(
  filters: AuditFilters,
  page: { limit: number; cursor: string | undefined },
): { [K in keyof AuditEventsQuery]?: string } {
  return { ...relayFilters(filters), limit: String(page.limit), cursor: page.cursor };
}

/**
 * The download address of the filtered events (`GET /api/v1/audit/export`): a plain link,
 * so the browser saves the file under the name the relay gives it.
 */
export function auditExportUrl(filters: AuditFilters, format: 'csv' | 'json'): string {
  const query: { [K in keyof AuditExportQuery]?: string } = { format, ...relayFilters(filters) };
  return `/api/v1/audit/export?${queryString(query)}`;
}
