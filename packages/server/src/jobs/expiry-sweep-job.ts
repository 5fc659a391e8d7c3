import { type CoreContext, sweepExpired } from '@agent-otp/core';
import { defineJob, type RecurringJob } from '@agent-otp/jobs';
import type { Logger } from '../logger.js';

/**
 * The expiry sweeper as a recurring job: expires overdue requests and held messages (erasing
 * their ciphertext in the same statement). Every instance runs it; that is safe because each
 * row moves in one conditional update, so two instances never both expire one request.
 *
 * @example
 * runner.add(expirySweepJob(ctx, logger, config.sweepIntervalMs));
 */
export function expirySweepJob(ctx: CoreContext, logger: Logger, everyMs: number): RecurringJob {
  return defineJob({
    name: 'expiry sweep',
    everyMs,
    run: async () => {
      const expired = await sweepExpired(ctx);
      if (expired > 0) logger.info({ expired }, 'expired overdue requests');
    },
  });
}
