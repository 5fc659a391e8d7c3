import type { PermissionRequest } from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import type { CoreContext } from '../context.js';
import { cancelRequest } from '../requests/cancel-request.js';
import { PERMISSION_REQUESTS } from '../requests/permission-requests.js';
import { toApiPermission } from './permission-row.js';

/**
 * The agent withdraws its request. Cancelling an approved request revokes its token and
 * every use left.
 *
 * @example
 * await cancelPermissionRequest(ctx, agent, 'prm_01J…');
 */
export async function cancelPermissionRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  id: string,
): Promise<PermissionRequest> {
  return toApiPermission(ctx, await cancelRequest(ctx, PERMISSION_REQUESTS, agent, id));
}
