import { listOwnerPasskeys, withTransaction } from '@agent-otp/db';
import { AppError, type PasskeyAssertion } from '@agent-otp/shared';
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { checkPasskeyAssertion } from './passkey-assertions.js';
import { PASSKEY_CHALLENGE_TTL_SECONDS, storeChallenge } from './passkey-challenges.js';
import { relyingParty } from './passkey-relying-party.js';
import { type PasskeySession, transportsOf } from './passkeys.js';
import { stepUpRequired } from './step-up-required.js';

/** A fresh passkey assertion offered with a high-risk approval, and the browser session that asked for it. */
export interface StepUpProof {
  sessionId: string;
  assertion: PasskeyAssertion;
}

/** Where the owner adds a passkey, for messages that send them there. */
function accountUrl(ctx: Pick<CoreContext, 'publicUrl'>): string {
  return `${ctx.publicUrl}/account`;
}

/**
 * Options for confirming a decision on `requestId` with one of the owner's passkeys (user
 * verification required). The challenge is tied to this session and this request, so an
 * answer cannot approve anything else, and it is used once within 120 s. An owner without a
 * passkey gets STEP_UP_REQUIRED saying where to add one.
 *
 * @example
 * const options = await startStepUp(ctx, { sessionId, owner }, 'prm_01J…');
 */
export async function startStepUp(
  ctx: CoreContext,
  session: PasskeySession,
  requestId: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingParty(ctx);
  const passkeys = await listOwnerPasskeys(ctx.database.db, session.owner.id);
  if (passkeys.length === 0)
    throw new AppError(
      'STEP_UP_REQUIRED',
      `approving a high-risk request needs a passkey, and you have none: add one under Account (${accountUrl(ctx)})`,
    );
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
    allowCredentials: passkeys.map((row) => ({ id: row.credential_id, transports: transportsOf(row) })),
  });
  await withTransaction(ctx.database, (tx) =>
    storeChallenge(ctx, tx, options.challenge, {
      purpose: 'step_up',
      boundTo: session.sessionId,
      ownerId: session.owner.id,
      requestId,
    }),
  );
  return options;
}

/**
 * Refuses a high-risk approval unless it carries a fresh passkey assertion made for this
 * request in this browser session. Channels that cannot do WebAuthn (the CLI's owner token,
 * Telegram, email links) never carry one, so they are told to approve in the dashboard.
 * A valid assertion is recorded in the audit log as `owner.step_up`.
 *
 * @example
 * await requireStepUp(ctx, { ownerId, requestId, actor, proof });
 */
export async function requireStepUp(
  ctx: CoreContext,
  options: { ownerId: string; requestId: string; actor: Actor; proof?: StepUpProof | undefined },
): Promise<void> {
  if (!options.proof) throw stepUpRequired(ctx, options.requestId, options.actor);
  const checked = await checkPasskeyAssertion(ctx, options.proof.assertion, {
    purpose: 'step_up',
    boundTo: options.proof.sessionId,
    ownerId: options.ownerId,
    requestId: options.requestId,
  });
  if (!checked.ok)
    throw new AppError('STEP_UP_REQUIRED', `request ${options.requestId} is high risk: ${checked.message}`);
  await withTransaction(ctx.database, (tx) =>
    recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'owner.step_up',
      targetId: options.requestId,
      details: { passkeyId: checked.passkey.id, passkey: checked.passkey.name },
    }),
  );
}
