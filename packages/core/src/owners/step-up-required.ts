import { AppError } from '@agent-otp/shared/stored-values';
import type { Actor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { approvalUrl } from '../otp/otp-row.js';

/**
 * The refusal of a high-risk approval that carries no passkey step-up. Apart from the WebAuthn
 * code (passkey-step-up.ts), so a decision can refuse inside its transaction without loading it.
 * The dashboard asks for the passkey; every other channel sends the owner there.
 *
 * @example
 * throw stepUpRequired(ctx, 'otp_01J…', actor);
 */
export function stepUpRequired(
  ctx: Pick<CoreContext, 'publicUrl'>,
  requestId: string,
  actor: Actor,
): AppError {
  return new AppError(
    'STEP_UP_REQUIRED',
    actor.channel === 'dashboard'
      ? `request ${requestId} is high risk: confirm the approval with your passkey`
      : `request ${requestId} is high risk: approve it in the dashboard with a passkey (${approvalUrl(ctx, requestId)}); it can still be denied here`,
  );
}
