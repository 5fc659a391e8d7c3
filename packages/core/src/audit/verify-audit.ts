import { type ExpectedAuditHead, verifyAuditChains } from '@agent-otp/db';
import type { AuditVerification } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';

export interface VerifyAuditOptions {
  /** Heads recorded earlier outside the database (`audit:verify --json`); each must still be in its chain. */
  expectHeads?: readonly ExpectedAuditHead[] | undefined;
  /** Told the running count of checked rows after each step of the walk. */
  onStep?: ((checked: number) => void) | undefined;
}

/**
 * Verifies the keyed audit chain of one owner (or every chain when `ownerId` is omitted)
 * against the signed manifest and checkpoints, and returns each chain's signed head.
 *
 * @example
 * const result = await verifyAudit(ctx); // { ok: true, checked: 42, brokenAt: null, heads: [...] }
 */
export async function verifyAudit(
  ctx: CoreContext,
  ownerId?: string,
  options: VerifyAuditOptions = {},
): Promise<AuditVerification> {
  const result = await verifyAuditChains(ctx.database, ctx.auditKey, {
    chain: ownerId,
    expectHeads: options.expectHeads,
    onStep: options.onStep,
  });
  return { ok: result.ok, checked: result.checked, brokenAt: result.brokenAt, heads: result.heads };
}
