import { permissionConflict, permissionEventOf, permissionNotFound } from '../permissions/permission-row.js';
import type { RequestKindConfig } from './request-kind.js';

/**
 * Permission requests as a kind of request: open while pending or holding an unspent
 * token; expiry revokes every use left.
 *
 * @example
 * await readRequest(ctx, PERMISSION_REQUESTS, id, { agentId });
 */
export const PERMISSION_REQUESTS: RequestKindConfig<'permission_requests'> = {
  kind: 'permission',
  table: 'permission_requests',
  open: ['pending_approval', 'approved'],
  closeChanges: {},
  expiryDetails: (before) => ({
    previousStatus: before.status,
    usesLeft: before.status === 'approved' ? before.uses_remaining : 0,
  }),
  event: permissionEventOf,
  conflict: permissionConflict,
  notFound: permissionNotFound,
};
