import type { OtpStatus, OwnerOtpRequest, OwnerPermissionRequest, PermissionStatus } from '@agent-otp/shared';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from '../cli-error.js';
import { describeAge, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, parseListLimit } from '../list-options.js';

type RequestKind = 'otp' | 'permission';

/** One row of `agent-otp requests`: either kind, with what the owner needs to recognise it. */
export interface RequestListEntry {
  id: string;
  kind: RequestKind;
  status: OtpStatus | PermissionStatus;
  agent: { id: string; name: string };
  /** The OTP request's reason, or the permission's action and resource. */
  title: string;
  createdAt: string;
  expiresAt: string;
  denialReason: string | null;
}

interface RequestListOptions {
  status?: string;
  kind?: RequestKind;
  agent?: string;
  limit: number;
  user?: string;
  json?: boolean;
}

function parseKind(value: string): RequestKind {
  if (value !== 'otp' && value !== 'permission') throw new InvalidArgumentError('expected otp or permission');
  return value;
}

function fromOtp(request: OwnerOtpRequest): RequestListEntry {
  return {
    id: request.id,
    kind: 'otp',
    status: request.status,
    agent: request.agent,
    title: request.reason,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    denialReason: request.denialReason ?? null,
  };
}

function fromPermission(request: OwnerPermissionRequest): RequestListEntry {
  return {
    id: request.id,
    kind: 'permission',
    status: request.status,
    agent: request.agent,
    title: `${request.action} ${request.resource}`,
    createdAt: request.createdAt,
    expiresAt: request.expiresAt,
    denialReason: request.denialReason ?? null,
  };
}

function describeEntry(entry: RequestListEntry): string {
  return [
    entry.id,
    entry.kind.padEnd(10),
    entry.status.padEnd(16),
    entry.agent.name,
    entry.title,
    describeAge(entry.createdAt),
  ].join('  ');
}

/** `requests`: the owner's requests of both kinds, newest first, through the core lists behind GET /api/v1/requests. */
export function registerRequestListCommand(program: Command): void {
  program
    .command('requests')
    .description('list your requests (OTP and permission), newest first')
    .option('--status <status>', 'only this status (pending_approval, approved, denied, expired, …)')
    .option('--kind <kind>', 'otp or permission (default: both)', parseKind)
    .option('--agent <agentId>', 'only requests of this agent (agt_…)')
    .option('--limit <n>', `at most this many (1-${LIST_MAX_LIMIT})`, parseListLimit, LIST_DEFAULT_LIMIT)
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: RequestListOptions) => {
      const { AgentId, OTP_STATUSES, PERMISSION_STATUSES } = await import('@agent-otp/shared');
      const status = options.status;
      const otpStatus = OTP_STATUSES.find((s) => s === status);
      const permissionStatus = PERMISSION_STATUSES.find((s) => s === status);
      if (status !== undefined && !otpStatus && !permissionStatus)
        throw new CliError(
          `--status: ${status} is not a request status; one of ${[...new Set([...OTP_STATUSES, ...PERMISSION_STATUSES])].join(', ')}`,
          'USAGE',
        );
      if (options.agent !== undefined && !AgentId.safeParse(options.agent).success)
        throw new CliError(`--agent: ${options.agent} is not an agent ID (agt_…)`, 'USAGE');
      // A status only one kind has (otp_received, used) leaves the other kind out.
      const wantOtp = options.kind !== 'permission' && (status === undefined || otpStatus !== undefined);
      const wantPermission =
        options.kind !== 'otp' && (status === undefined || permissionStatus !== undefined);
      const { listOwnerPermissions, listOwnerRequests } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const page = { ownerId: owner.id, agentId: options.agent, limit: options.limit };
        const otp = wantOtp ? (await listOwnerRequests(ctx, { ...page, status: otpStatus })).requests : [];
        const permissions = wantPermission
          ? (await listOwnerPermissions(ctx, { ...page, status: permissionStatus })).requests
          : [];
        // Each list is newest first and at most `limit` long, so the merged first `limit` are right.
        const entries = [...otp.map(fromOtp), ...permissions.map(fromPermission)]
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id))
          .slice(0, options.limit);
        output(options.json, entries, () =>
          entries.length === 0 ? 'No requests match.' : entries.map(describeEntry).join('\n'),
        );
      });
    });
}
