import type {
  OwnerOtpRequest,
  OwnerPermissionRequest,
  OwnerRequestHistoryQuery,
  OwnerRequestList,
  RequestTimeline,
} from '@agent-otp/shared';
import { api } from './api.js';

// The history, timeline, cancel and revoke operations (issue 15), typed by their routes'
// schemas like the rest in operations.ts (types only: no zod in the bundle).

/** A query string whose names are the history query's, so a renamed parameter fails to compile. */
export type HistoryQuery = { [K in keyof OwnerRequestHistoryQuery]?: string };

function withQuery(path: string, query: HistoryQuery): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, value);
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const segment = encodeURIComponent;

/**
 * The owner's history operations, named by their operationId.
 *
 * @example
 * const { requests } = await historyOperations.listOwnerRequests({ kind: 'all', limit: '25' });
 */
export const historyOperations = {
  listOwnerRequests: (query: HistoryQuery) => api(withQuery('/requests', query)) as Promise<OwnerRequestList>,
  getRequestTimeline: (id: string) => api(`/requests/${segment(id)}/timeline`) as Promise<RequestTimeline>,
  cancelOwnerOtpRequest: (id: string) =>
    api(`/requests/${segment(id)}/cancel`, { method: 'POST' }) as Promise<OwnerOtpRequest>,
  revokePermissionToken: (id: string) =>
    api(`/requests/${segment(id)}/revoke`, { method: 'POST' }) as Promise<OwnerPermissionRequest>,
};
