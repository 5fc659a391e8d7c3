import { verifyAudit } from '@agent-otp/core';
import type { Command } from 'commander';
import { output, withCore } from '../runtime.js';

/** `audit:verify`: exit 0 when every chain holds, 1 and the first broken row otherwise. */
export function registerAuditCommands(program: Command): void {
  program
    .command('audit:verify')
    .description('check the audit hash chains and say where they break, if they do')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      await withCore(async (ctx) => {
        const result = await verifyAudit(ctx);
        output(options.json, result, () =>
          result.ok
            ? `Audit log intact: ${result.checked} events verified.`
            : `Audit log BROKEN at event #${result.brokenAt?.seq} (${result.brokenAt?.id}): ${result.brokenAt?.reason}. ${result.checked} events checked.`,
        );
        if (!result.ok) process.exitCode = 1;
      });
    });
}
