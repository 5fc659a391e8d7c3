import type { OwnerRequestEntry } from '@agent-otp/shared';
import { type Command, InvalidArgumentError } from 'commander';
import { CliError } from '../cli-error.js';
import { describeAge, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, parseListLimit } from '../list-options.js';

type RequestKind = 'otp' | 'permission';

interface RequestListOptions {
  status?: string;
  kind?: RequestKind;
  agent?: string;
  limit: number;
  user?: string;
  json?: boolean;
}

/** The flag behind each field of the query, for naming it in a usage error. */
const FLAG_OF_FIELD: Record<string, string> = {
  kind: '--kind',
  status: '--status',
  agentId: '--agent',
  limit: '--limit',
};

function parseKind(value: string): RequestKind {
  if (value !== 'otp' && value !== 'permission') throw new InvalidArgumentError('expected otp or permission');
  return value;
}

/** What the owner recognises a request by: the OTP request's reason, or the permission's action and resource. */
function titleOf(entry: OwnerRequestEntry): string {
  return entry.kind === 'otp' ? entry.reason : `${entry.action} ${entry.resource}`;
}

function describeEntry(entry: OwnerRequestEntry): string {
  return [
    entry.id,
    entry.kind.padEnd(10),
    entry.status.padEnd(16),
    entry.agent.name,
    titleOf(entry),
    describeAge(entry.createdAt),
  ].join('  ');
}

/** `requests`: the owner's requests of both kinds, newest first, through the history behind GET /api/v1/requests. */
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
      // The query GET /api/v1/requests validates, so both refuse the same input the same way.
      const { OwnerRequestHistoryQuery } = await import('@agent-otp/shared');
      const query = OwnerRequestHistoryQuery.safeParse({
        kind: options.kind ?? 'all',
        status: options.status,
        agentId: options.agent,
        limit: options.limit,
      });
      if (!query.success) {
        const issue = query.error.issues[0];
        const field = String(issue?.path[0] ?? 'status');
        throw new CliError(
          `${FLAG_OF_FIELD[field] ?? `--${field}`}: ${issue?.message ?? 'invalid'}`,
          'USAGE',
        );
      }
      const { listRequestHistory } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        // The history behind GET /api/v1/requests: both kinds merged newest first, same filters.
        const { requests: entries } = await listRequestHistory(ctx, { ...query.data, ownerId: owner.id });
        output(options.json, entries, () =>
          entries.length === 0 ? 'No requests match.' : entries.map(describeEntry).join('\n'),
        );
      });
    });
}
