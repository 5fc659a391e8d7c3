import {
  deleteExpiredPasskeyChallenges,
  deleteOwnerPasskey,
  findOwnerPasskey,
  insertPasskey,
  listOwnerPasskeys,
  type PasskeyRow,
  renameOwnerPasskey,
  withTransaction,
} from '@agent-otp/db';
import { AppError, type PasskeySummary } from '@agent-otp/shared';
import {
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import type { Owner } from './owners.js';
import {
  describeRefusal,
  PASSKEY_CHALLENGE_TTL_SECONDS,
  storeChallenge,
  takeChallenge,
} from './passkey-challenges.js';
import { relyingParty } from './passkey-relying-party.js';

/** More than anyone needs; bounds the allow-list every step-up sends. */
export const MAX_PASSKEYS_PER_OWNER = 20;

/** The signed-in browser session a passkey operation belongs to. */
export interface PasskeySession {
  sessionId: string;
  owner: Owner;
}

function dashboardActor(owner: Owner): Actor {
  return { type: 'owner', id: owner.id, label: owner.email, channel: 'dashboard' };
}

/** The WebAuthn user handle of an owner: its ID, which names no one outside the relay. */
export function userHandleOf(ownerId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(isoUint8Array.fromUTF8String(ownerId));
}

export function toPasskeySummary(row: PasskeyRow): PasskeySummary {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    backedUp: row.backed_up === 1,
  };
}

/** The transports a stored passkey said it supports (hints for the browser). */
export function transportsOf(row: PasskeyRow): string[] {
  const parsed: unknown = JSON.parse(row.transports);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Options for registering a new passkey for the signed-in owner: user verification and a
 * discoverable credential required (so it can sign in without an email), the owner's
 * existing passkeys excluded. The challenge is bound to this session and used once.
 *
 * @example
 * const options = await startPasskeyRegistration(ctx, { sessionId, owner });
 */
export async function startPasskeyRegistration(
  ctx: CoreContext,
  session: PasskeySession,
): Promise<PublicKeyCredentialCreationOptionsJSON> {
  const rp = relyingParty(ctx);
  const existing = await listOwnerPasskeys(ctx.database.db, session.owner.id);
  if (existing.length >= MAX_PASSKEYS_PER_OWNER)
    throw new AppError('CONFLICT', `you already have ${MAX_PASSKEYS_PER_OWNER} passkeys; remove one first`);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: session.owner.email,
    userID: userHandleOf(session.owner.id),
    userDisplayName: session.owner.email,
    timeout: PASSKEY_CHALLENGE_TTL_SECONDS * 1000,
    attestationType: 'none',
    excludeCredentials: existing.map((row) => ({ id: row.credential_id, transports: transportsOf(row) })),
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  await withTransaction(ctx.database, async (tx) => {
    await deleteExpiredPasskeyChallenges(tx, ctx.clock.now().toISOString());
    await storeChallenge(ctx, tx, options.challenge, {
      purpose: 'register',
      boundTo: session.sessionId,
      ownerId: session.owner.id,
    });
  });
  return options;
}

/**
 * Checks the browser's answer to a registration challenge (origin, RP ID, user verification,
 * signature) and stores the passkey. The challenge is spent whatever the outcome.
 *
 * @example
 * const passkey = await finishPasskeyRegistration(ctx, { sessionId, owner }, { name: 'Laptop', response });
 */
export async function finishPasskeyRegistration(
  ctx: CoreContext,
  session: PasskeySession,
  input: { name?: string | undefined; response: RegistrationResponseJSON },
): Promise<PasskeySummary> {
  const rp = relyingParty(ctx);
  const taken = await withTransaction(ctx.database, (tx) =>
    takeChallenge(ctx, tx, input.response.response.clientDataJSON, {
      purpose: 'register',
      boundTo: session.sessionId,
      ownerId: session.owner.id,
    }),
  );
  if (!taken.ok) throw new AppError('VALIDATION_ERROR', describeRefusal(taken.reason));
  let verified: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: taken.challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      requireUserVerification: true,
    });
  } catch (error) {
    throw new AppError('VALIDATION_ERROR', `the passkey could not be verified: ${(error as Error).message}`);
  }
  if (!verified.verified) throw new AppError('VALIDATION_ERROR', 'the passkey could not be verified');
  const { credential, credentialBackedUp } = verified.registrationInfo;
  const now = ctx.clock.now().toISOString();
  const row: PasskeyRow = {
    id: newId('pky'),
    owner_id: session.owner.id,
    credential_id: credential.id,
    public_key: isoBase64URL.fromBuffer(credential.publicKey),
    sign_count: credential.counter,
    transports: JSON.stringify(credential.transports ?? []),
    name: input.name ?? `Passkey added ${now.slice(0, 10)}`,
    backed_up: credentialBackedUp ? 1 : 0,
    created_at: now,
    last_used_at: null,
  };
  await withTransaction(ctx.database, async (tx) => {
    try {
      await insertPasskey(tx, row);
    } catch (error) {
      if (/unique|duplicate/i.test((error as Error).message))
        throw new AppError('CONFLICT', 'this passkey is already registered');
      throw error;
    }
    await recordAuditEvent(ctx, tx, {
      ownerId: session.owner.id,
      actor: dashboardActor(session.owner),
      action: 'owner.passkey_added',
      targetId: row.id,
      details: { name: row.name, backedUp: credentialBackedUp },
    });
  });
  return toPasskeySummary(row);
}

/**
 * The owner's passkeys, oldest first.
 *
 * @example
 * const passkeys = await listPasskeys(ctx, ownerId);
 */
export async function listPasskeys(ctx: CoreContext, ownerId: string): Promise<PasskeySummary[]> {
  return (await listOwnerPasskeys(ctx.database.db, ownerId)).map(toPasskeySummary);
}

/**
 * Renames one of the owner's passkeys (NOT_FOUND for another owner's).
 *
 * @example
 * await renamePasskey(ctx, owner, { id: 'pky_01J…', name: 'Phone' });
 */
export async function renamePasskey(
  ctx: CoreContext,
  owner: Owner,
  input: { id: string; name: string },
): Promise<PasskeySummary> {
  return withTransaction(ctx.database, async (tx) => {
    if (!(await renameOwnerPasskey(tx, owner.id, input.id, input.name)))
      throw new AppError('NOT_FOUND', `no passkey ${input.id}`);
    await recordAuditEvent(ctx, tx, {
      ownerId: owner.id,
      actor: dashboardActor(owner),
      action: 'owner.passkey_renamed',
      targetId: input.id,
      details: { name: input.name },
    });
    const row = await findOwnerPasskey(tx, owner.id, input.id);
    if (!row) throw new AppError('NOT_FOUND', `no passkey ${input.id}`);
    return toPasskeySummary(row);
  });
}

/**
 * Removes one of the owner's passkeys (NOT_FOUND for another owner's); it can no longer
 * sign in or approve.
 *
 * @example
 * await removePasskey(ctx, owner, 'pky_01J…');
 */
export async function removePasskey(ctx: CoreContext, owner: Owner, id: string): Promise<void> {
  await withTransaction(ctx.database, async (tx) => {
    const row = await findOwnerPasskey(tx, owner.id, id);
    if (!row || !(await deleteOwnerPasskey(tx, owner.id, id)))
      throw new AppError('NOT_FOUND', `no passkey ${id}`);
    await recordAuditEvent(ctx, tx, {
      ownerId: owner.id,
      actor: dashboardActor(owner),
      action: 'owner.passkey_removed',
      targetId: id,
      details: { name: row.name },
    });
  });
}
