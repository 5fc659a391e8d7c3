import type { AuditEvent } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { describeAge, LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, parseListLimit } from '../list-options.js';

interface AuditListOptions {
  limit: number;
  q?: string;
  type?: string;
  user?: string;
  json?: boolean;
}

// The same bound GET /api/v1/audit puts on `q`; an action name is far shorter.
const MAX_SEARCH_LENGTH = 200;

function describeEvent(event: AuditEvent): string {
  const actor = event.actorId ? `${event.actorType} ${event.actorId}` : event.actorType;
  return [
    `#${event.seq}`,
    event.at,
    event.action.padEnd(22),
    event.targetId ?? '-',
    `by ${actor}${event.channel ? ` (${event.channel})` : ''}`,
    describeAge(event.at),
  ].join('  ');
}

/** `audit`: the owner's recent audit events, newest first, through the core list behind GET /api/v1/audit. */
export function registerAuditListCommand(program: Command): void {
  program
    .command('audit')
    .description('list your recent audit events, newest first')
    .option('--limit <n>', `at most this many (1-${LIST_MAX_LIMIT})`, parseListLimit, LIST_DEFAULT_LIMIT)
    .option('--q <text>', 'only events whose action, target or details contain this text')
    .option('--type <action>', 'only this action (otp.approved) or family of actions (otp)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: AuditListOptions) => {
      if (options.q !== undefined && (options.q.length === 0 || options.q.length > MAX_SEARCH_LENGTH))
        throw new CliError(`--q must be 1-${MAX_SEARCH_LENGTH} characters`, 'USAGE');
      if (options.type !== undefined && !/^[a-z_]+(\.[a-z_]+)*$/.test(options.type))
        throw new CliError(
          `--type: ${options.type} is not an action name; e.g. otp.approved, or otp for every otp.* action`,
          'USAGE',
        );
      const { listAuditEvents } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const { events, searched, nextCursor } = await listAuditEvents(ctx, {
          ownerId: owner.id,
          limit: options.limit,
          search: options.q,
          action: options.type,
        });
        // A filtered list looks through the newest events only (AUDIT_SEARCH_WINDOW); say so.
        const window =
          searched && nextCursor
            ? `\n(searched events #${searched.fromSeq}-#${searched.toSeq}; older events were not searched)`
            : '';
        output(options.json, events, () =>
          events.length === 0
            ? `No audit events match.${window}`
            : `${events.map(describeEvent).join('\n')}${window}`,
        );
      });
    });
}
