import type { ExpectedAuditHead } from '@agent-otp/db';
import type { AuditVerification } from '@agent-otp/shared';
import { type Command, InvalidArgumentError } from 'commander';

/** Parses one `--expect-head CHAIN:LENGTH:HASH` (as printed by a previous run) and collects it. */
export function parseExpectedHead(value: string, previous: ExpectedAuditHead[] = []): ExpectedAuditHead[] {
  const match = /^([^:\s]+):(\d{1,15}):([0-9a-f]{64})$/.exec(value);
  if (!match?.[1] || !match[2] || !match[3])
    throw new InvalidArgumentError('expected CHAIN:LENGTH:HASH, e.g. usr_abc:42:<64 hex digits>');
  return [...previous, { chain: match[1], length: Number(match[2]), headHash: match[3] }];
}

function describe(result: AuditVerification): string {
  if (!result.ok) {
    const at = result.brokenAt;
    const where = at?.seq != null ? `event #${at.seq}${at.id ? ` (${at.id})` : ''}` : 'the log';
    return `Audit log BROKEN${at?.chain ? ` in chain ${at.chain}` : ''} at ${where}: ${at?.reason}. ${result.checked} events checked.`;
  }
  const heads = result.heads.map(
    (h) =>
      `  ${h.chain}:${h.length}:${h.headHash}${h.legacyLength > 0 ? ` (events 1-${h.legacyLength} predate keying)` : ''}`,
  );
  return [
    `Audit log intact: ${result.checked} events verified.`,
    ...(heads.length ? ['Heads (keep a copy elsewhere):', ...heads] : []),
  ].join('\n');
}

/** `audit:verify`: exit 0 when every chain holds, 1 and the first broken row otherwise. */
export function registerAuditCommands(program: Command): void {
  program
    .command('audit:verify')
    .description(
      'check the keyed audit chains, their signed checkpoints and manifest; say where they break, if they do',
    )
    .option('--json', 'print JSON, including each chain’s signed head')
    .option(
      '--expect-head <chain:length:hash>',
      'a head printed by an earlier run that the chain must still contain (detects a rollback); repeatable',
      parseExpectedHead,
    )
    .action(async (options: { json?: boolean; expectHead?: ExpectedAuditHead[] }) => {
      const { verifyAudit } = await import('@agent-otp/core');
      const { output, withCore } = await import('../runtime.js');
      await withCore(async (ctx) => {
        const result = await verifyAudit(ctx, undefined, { expectHeads: options.expectHead });
        output(options.json, result, () => describe(result));
        if (!result.ok) process.exitCode = 1;
      });
    });
}
