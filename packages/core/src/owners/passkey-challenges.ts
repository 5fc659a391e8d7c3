import {
  insertPasskeyChallenge,
  type PasskeyChallengeRow,
  type Tx,
  takePasskeyChallenge,
} from '@agent-otp/db';
import { decodeClientDataJSON } from '@simplewebauthn/server/helpers';
import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { hashSecret } from '../secrets.js';

/**
 * How long a browser has to answer a challenge. Long enough for a fingerprint or a PIN,
 * short enough that a step-up proves the owner was there just now.
 */
export const PASSKEY_CHALLENGE_TTL_SECONDS = 120;

export type ChallengePurpose = PasskeyChallengeRow['purpose'];

/** What a challenge is tied to; all of it must match when the browser answers. */
export interface ChallengeBinding {
  purpose: ChallengePurpose;
  /** The browser session's id, or the sign-in cookie's value: hashed before it is stored. */
  boundTo: string;
  ownerId: string | null;
  requestId?: string;
}

/**
 * Stores a challenge the relay is about to hand out (only its hash is kept).
 *
 * @example
 * await storeChallenge(ctx, tx, options.challenge, { purpose: 'register', boundTo: sessionId, ownerId });
 */
export async function storeChallenge(
  ctx: CoreContext,
  tx: Tx,
  challenge: string,
  binding: ChallengeBinding,
): Promise<void> {
  const now = ctx.clock.now();
  await insertPasskeyChallenge(tx, {
    id: newId('pkc'),
    challenge_hash: hashSecret(challenge),
    purpose: binding.purpose,
    owner_id: binding.ownerId,
    binding_hash: hashSecret(binding.boundTo),
    request_id: binding.requestId ?? null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + PASSKEY_CHALLENGE_TTL_SECONDS * 1000).toISOString(),
  });
}

/** Why an answer's challenge cannot be used; every case is a refusal, never a crash. */
export type ChallengeRefusal = 'unknown' | 'expired' | 'mismatch';

/**
 * Takes the challenge a browser's answer signed (read from its `clientDataJSON`) out of the
 * store and checks it was issued for this purpose, this session or cookie, this owner and
 * this request, and has not expired. Taken even when refused, so no challenge answers twice.
 *
 * @example
 * const taken = await takeChallenge(ctx, tx, response.response.clientDataJSON, { purpose: 'step_up', … });
 * if (!taken.ok) throw …;
 */
export async function takeChallenge(
  ctx: CoreContext,
  tx: Tx,
  clientDataJSON: string,
  expected: ChallengeBinding,
): Promise<
  { ok: true; challenge: string; ownerId: string | null } | { ok: false; reason: ChallengeRefusal }
> {
  let challenge: string;
  try {
    challenge = decodeClientDataJSON(clientDataJSON).challenge;
  } catch {
    return { ok: false, reason: 'unknown' };
  }
  if (typeof challenge !== 'string' || challenge.length === 0 || challenge.length > 200)
    return { ok: false, reason: 'unknown' };
  const row = await takePasskeyChallenge(tx, hashSecret(challenge));
  if (!row) return { ok: false, reason: 'unknown' };
  if (row.expires_at <= ctx.clock.now().toISOString()) return { ok: false, reason: 'expired' };
  const matches =
    row.purpose === expected.purpose &&
    row.binding_hash === hashSecret(expected.boundTo) &&
    (expected.ownerId === null || row.owner_id === expected.ownerId) &&
    (row.request_id ?? undefined) === expected.requestId;
  if (!matches) return { ok: false, reason: 'mismatch' };
  return { ok: true, challenge, ownerId: row.owner_id };
}

/** Plain words for a refused challenge. */
export function describeRefusal(reason: ChallengeRefusal): string {
  switch (reason) {
    case 'unknown':
      return 'this passkey answer is for a challenge the relay did not issue or that was already used; try again';
    case 'expired':
      return `this passkey answer came more than ${PASSKEY_CHALLENGE_TTL_SECONDS} s after its challenge; try again`;
    case 'mismatch':
      return 'this passkey answer was asked for by another session or for something else; try again';
  }
}
