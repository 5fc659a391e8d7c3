import type { DecisionSubject } from '@agent-otp/core/pending-decisions';
import type { CaptureMessageResponse } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { callServerAsOwner, serverUrl } from '../server-client.js';

/**
 * `--reason` checked here against the contract's DenialReason (1-500 characters, one line of
 * plain text), so a bad one costs no round trip and the usage error says what was wrong.
 */
export async function parseDenialReason(reason: string | undefined): Promise<string | undefined> {
  if (reason === undefined) return undefined;
  const { DenialReason } = await import('@agent-otp/shared');
  const parsed = DenialReason.safeParse(reason);
  if (!parsed.success)
    throw new CliError(`--reason: ${parsed.error.issues[0]?.message ?? 'invalid'}`, 'USAGE');
  return parsed.data;
}

/** Any pending request (OTP or permission), from the same decision subject every approval channel shows. */
function describeRequest(
  subject: DecisionSubject,
  riskLine: (risk: DecisionSubject['risk']) => string,
): string {
  const seconds = Math.max(0, Math.round((Date.parse(subject.expiresAt) - Date.now()) / 1000));
  return [
    `${subject.id}  ${subject.title}`,
    `  ${riskLine(subject.risk)}`,
    `  reason: ${subject.reason}`,
    ...subject.summary.map((line) => `  allows: ${line}`),
    ...subject.fields.map((field) => `  ${field.label}: ${field.value}`),
    `  expires in ${seconds} s`,
  ].join('\n');
}

async function parseRequestId(id: string): Promise<string> {
  const { ApprovalRequestId } = await import('@agent-otp/shared');
  const parsed = ApprovalRequestId.safeParse(id);
  if (!parsed.success)
    throw new CliError(`${id} is not an OTP request ID (otp_…) or a permission request ID (prm_…)`, 'USAGE');
  return parsed.data;
}

/** `pending`, `approve`, `deny`, `capture`. */
export function registerRequestCommands(program: Command): void {
  program
    .command('pending')
    .description('list requests waiting for your approval')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      const { listPendingDecisions, riskLine } = await import('@agent-otp/core/pending-decisions');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const requests = await listPendingDecisions(ctx, owner.id);
        output(options.json, requests, () =>
          requests.length === 0
            ? 'Nothing is waiting for approval.'
            : requests.map((subject) => describeRequest(subject, riskLine)).join('\n'),
        );
      });
    });

  for (const outcome of ['approve', 'deny'] as const) {
    const command = program
      .command(`${outcome} <requestId>`)
      .description(`${outcome} a pending request (through the running server, so the agent wakes at once)`)
      .option('--url <url>', 'server URL (default AGENT_OTP_URL or http://localhost:PORT)')
      .option('--user <email>', 'owner (default: the only owner)')
      .option('--json', 'print JSON');
    if (outcome === 'deny')
      command.option(
        '--reason <text>',
        'why, in one line of 1-500 characters; the agent receives it as denialReason',
      );
    command.action(
      async (
        requestId: string,
        options: { url?: string; user?: string; json?: boolean; reason?: string },
      ) => {
        const id = await parseRequestId(requestId);
        const reason = await parseDenialReason(options.reason);
        const { output, resolveOwner, withCore } = await import('../runtime.js');
        await withCore(async (ctx, config) => {
          const owner = await resolveOwner(ctx, options.user);
          const request = await callServerAsOwner<DecisionSubject>(
            ctx,
            owner,
            serverUrl(config, options.url),
            `/api/v1/approvals/${id}/${outcome}`,
            reason === undefined ? { method: 'POST' } : { method: 'POST', body: { reason } },
          );
          output(
            options.json,
            request,
            () => `${outcome === 'approve' ? 'Approved' : 'Denied'} ${id}: now ${request.status}.`,
          );
        });
      },
    );
  }

  program
    .command('capture')
    .description('feed one incoming message through the relay exactly as a capture source would')
    .requiredOption('--source <kind>', 'sms or email')
    .requiredOption('--from <sender>', 'sender address or SMS sender id')
    .option('--subject <subject>', 'email subject')
    .option('--text <text>', 'message text')
    .option('--html <html>', 'email HTML body')
    .option('--url <url>', 'server URL (default AGENT_OTP_URL or http://localhost:PORT)')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        source: string;
        from: string;
        subject?: string;
        text?: string;
        html?: string;
        url?: string;
        user?: string;
        json?: boolean;
      }) => {
        const { OwnerCaptureBody } = await import('@agent-otp/shared');
        const body = OwnerCaptureBody.safeParse({
          source: options.source,
          from: options.from,
          subject: options.subject,
          text: options.text,
          html: options.html,
        });
        if (!body.success) {
          const issue = body.error.issues[0];
          throw new CliError(
            `--${String(issue?.path[0] ?? 'source')}: ${issue?.message ?? 'invalid'}`,
            'USAGE',
          );
        }
        if (body.data.text === undefined && body.data.html === undefined && body.data.subject === undefined)
          throw new CliError('give the message with --text, --html or --subject', 'USAGE');
        const { output, resolveOwner, withCore } = await import('../runtime.js');
        await withCore(async (ctx, config) => {
          const owner = await resolveOwner(ctx, options.user);
          const result = await callServerAsOwner<CaptureMessageResponse>(
            ctx,
            owner,
            serverUrl(config, options.url),
            '/api/v1/owner/capture',
            {
              method: 'POST',
              body: body.data,
            },
          );
          output(options.json, result, () => {
            if (result.reason === 'delivered')
              return `Delivered an encrypted code to ${result.requestId} (${
                result.status === 'pending_approval' ? 'held until you approve' : 'ready for the agent'
              }).`;
            if (result.reason === 'held_for_owner')
              return `Requests of several agents match this message equally well: held as ${result.heldMessageId}; see \`agent-otp held\`.`;
            if (result.reason === 'no_code_found')
              return `Matched ${result.requestId}, but found no code in the message.`;
            return 'No open request matches this message.';
          });
        });
      },
    );
}
