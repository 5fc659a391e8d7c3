import { randomBytes } from 'node:crypto';
import {
  countPasskeyChallenges,
  deleteExpiredPasskeyChallenges,
  findOwner,
  withTransaction,
} from '@agent-otp/db';
import { AppError, type PasskeyAssertion } from '@agent-otp/shared';
import {
  generateAuthenticationOptions,
  type PublicKeyCredentialRequestOptionsJSON,
} from '@simplewebauthn/server';
import type { CoreContext } from '../context.js';
import { type BrowserSession, createBrowserSession } from './browser-sessions.js';
import { recordFailedPasskeySignIn } from './failed-sign-ins.js';
import { checkPasskeyAssertion } from './passkey-assertions.js';
import { PASSKEY_CHALLENGE_TTL_SECONDS, storeChallenge } from './passkey-challenges.js';
import { relyingParty } from './passkey-relying-party.js';

/**
 * Sign-in challenges anyone may ask for before signing in: at most this many outstanding at
 * once (each lives 120 s), so a flood of requests cannot grow the table without bound.
 */
export const MAX_OPEN_SIGN_IN_CHALLENGES = 1000;

/**
 * Options for signing in with a passkey, username-less: no allow-list, so the browser offers
 * the passkeys it holds for this relay and the one chosen names its owner. The challenge is
 * bound to `flowSecret`, a random value the relay sets in an httpOnly cookie.
 *
 * @example
 * const options = await startPasskeySignIn(ctx, flowSecret);
 */
export async function startPasskeySignIn(
  ctx: CoreContext,
  flowSecret: string,
): Promise<PublicKeyCredentialRequestOptionsJSON> {
  const rp = relyingParty(ctx);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    userVerification: 'required',
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
  });
  await withTransaction(ctx.database, async (tx) => {
    await deleteExpiredPasskeyChallenges(tx, ctx.clock.now().toISOString());
    if ((await countPasskeyChallenges(tx, 'sign_in')) >= MAX_OPEN_SIGN_IN_CHALLENGES)
      throw new AppError('RATE_LIMITED', 'too many passkey sign-ins in progress; retry in a minute', {
        retryAfter: 60,
      });
    await storeChallenge(ctx, tx, options.challenge, {
      purpose: 'sign_in',
      boundTo: flowSecret,
      ownerId: null,
    });
  });
  return options;
}

/**
 * Checks a passkey sign-in and opens a dashboard session for the passkey's owner. Any
 * refusal is UNAUTHORIZED with the reason in plain words; one from a registered passkey is
 * also recorded in its owner's audit log (`owner.sign_in_failed`, within the sign-in limits).
 *
 * @example
 * const session = await finishPasskeySignIn(ctx, { flowSecret, response, ip, userAgent });
 */
export async function finishPasskeySignIn(
  ctx: CoreContext,
  input: { flowSecret: string; response: PasskeyAssertion; ip: string; userAgent?: string | undefined },
): Promise<BrowserSession> {
  const checked = await checkPasskeyAssertion(ctx, input.response, {
    purpose: 'sign_in',
    boundTo: input.flowSecret,
    ownerId: null,
  });
  if (!checked.ok) {
    // A registered passkey names its owner: the failure goes to that owner's audit log.
    const named = checked.passkey && (await findOwner(ctx.database.db, checked.passkey.owner_id));
    if (named && checked.passkey)
      await recordFailedPasskeySignIn(ctx, named, {
        method: 'passkey',
        ip: input.ip,
        userAgent: input.userAgent,
        passkeyId: checked.passkey.id,
        reason: checked.message,
      });
    throw new AppError('UNAUTHORIZED', checked.message);
  }
  const owner = await findOwner(ctx.database.db, checked.passkey.owner_id);
  if (!owner) throw new AppError('UNAUTHORIZED', 'this passkey is not registered to an account');
  return createBrowserSession(ctx, owner, {
    userAgent: input.userAgent,
    method: { kind: 'passkey', passkeyId: checked.passkey.id },
  });
}

/**
 * A random value for the sign-in cookie a passkey sign-in challenge is bound to.
 *
 * @example
 * const flowSecret = newPasskeyFlowSecret();
 */
export function newPasskeyFlowSecret(): string {
  return randomBytes(32).toString('base64url');
}
