import { findPasskeyByCredentialId, type PasskeyRow, recordPasskeyUse, withTransaction } from '@agent-otp/db';
import type { PasskeyAssertion } from '@agent-otp/shared';
import { type AuthenticationResponseJSON, verifyAuthenticationResponse } from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import type { CoreContext } from '../context.js';
import { type ChallengeBinding, describeRefusal, takeChallenge } from './passkey-challenges.js';
import { relyingParty } from './passkey-relying-party.js';
import { transportsOf } from './passkeys.js';

/** A checked assertion: which passkey answered, and whose it is. */
export type AssertionResult =
  | { ok: true; passkey: PasskeyRow }
  /** `passkey`: the registered passkey that answered, when the refusal came after finding it. */
  | { ok: false; message: string; passkey?: PasskeyRow };

/**
 * Checks a browser's answer to a sign-in or step-up challenge: the challenge was issued for
 * this purpose and binding and not used before (it is spent now), the passkey is registered
 * (to `binding.ownerId` when one is given), the user handle names the same owner, the
 * signature is valid for the stored public key with user verification, and the signature
 * counter moved forward (a cloned authenticator shows up as a counter that did not). Every
 * refusal is a value with plain words, never an exception.
 *
 * @example
 * const checked = await checkPasskeyAssertion(ctx, response, { purpose: 'step_up', boundTo: sessionId, ownerId, requestId });
 */
export async function checkPasskeyAssertion(
  ctx: CoreContext,
  response: PasskeyAssertion,
  binding: ChallengeBinding,
): Promise<AssertionResult> {
  const rp = relyingParty(ctx);
  const taken = await withTransaction(ctx.database, (tx) =>
    takeChallenge(ctx, tx, response.response.clientDataJSON, binding),
  );
  if (!taken.ok) return { ok: false, message: describeRefusal(taken.reason) };
  const passkey = await findPasskeyByCredentialId(ctx.database.db, response.id);
  const ownerId = binding.ownerId ?? passkey?.owner_id;
  if (!passkey || passkey.owner_id !== ownerId)
    return { ok: false, message: 'this passkey is not registered to your account' };
  const userHandle = response.response.userHandle;
  if (
    userHandle !== undefined &&
    userHandle !== isoBase64URL.fromBuffer(isoUint8Array.fromUTF8String(ownerId))
  )
    return { ok: false, message: 'this passkey belongs to another account', passkey };
  const previousCount = Number(passkey.sign_count);
  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    verified = await verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: taken.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      credential: {
        id: passkey.credential_id,
        publicKey: isoBase64URL.toBuffer(passkey.public_key),
        counter: previousCount,
        transports: transportsOf(passkey),
      },
      requireUserVerification: true,
    });
  } catch (error) {
    return {
      ok: false,
      message: `the passkey answer could not be verified: ${(error as Error).message}`,
      passkey,
    };
  }
  if (!verified.verified || !verified.authenticationInfo.userVerified)
    return {
      ok: false,
      message: 'the passkey answer could not be verified (user verification is required)',
      passkey,
    };
  const at = ctx.clock.now().toISOString();
  const recorded = await withTransaction(ctx.database, (tx) =>
    recordPasskeyUse(tx, passkey.id, { previousCount, newCount: verified.authenticationInfo.newCounter, at }),
  );
  if (!recorded)
    return {
      ok: false,
      message: 'this passkey was used by another request at the same moment; try again',
      passkey,
    };
  return { ok: true, passkey };
}
