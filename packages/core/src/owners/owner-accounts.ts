import {
  anyUserHasPassword,
  findUserByEmail,
  insertUser,
  selectSomeUsers,
  type Tx,
  updateUserCredentials,
  withTransaction,
} from '@agent-otp/db';
import { AppError, type DecisionChannel, NewPassword, OwnerEmail } from '@agent-otp/shared';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { DEFAULT_OWNER_EMAIL, type Owner } from './owners.js';
import { hashPassword } from './passwords.js';

/** Parses an email and a new password, or fails with a VALIDATION_ERROR naming the problem. */
export function validateCredentials(email: string, password: string): { email: string; password: string } {
  const parsedEmail = OwnerEmail.safeParse(email.trim());
  if (!parsedEmail.success)
    throw new AppError('VALIDATION_ERROR', parsedEmail.error.issues[0]?.message ?? 'invalid email');
  const parsedPassword = NewPassword.safeParse(password);
  if (!parsedPassword.success)
    throw new AppError('VALIDATION_ERROR', parsedPassword.error.issues[0]?.message ?? 'invalid password');
  return { email: parsedEmail.data, password: parsedPassword.data };
}

/** Whether any owner can sign in with a password yet; until then the first-run setup link works. */
export async function anyOwnerHasPassword(ctx: CoreContext, tx: Tx = ctx.database.db): Promise<boolean> {
  return anyUserHasPassword(tx);
}

export interface CreatedOwnerAccount {
  owner: Owner;
  /** True when the passwordless default owner of a fresh install was claimed (it keeps its agents). */
  claimed: boolean;
}

/**
 * Inside a transaction: gives `email` a password. On a fresh install whose only owner is
 * the passwordless `owner@localhost` the CLI created, that owner is claimed (renamed, keeps
 * its agents and audit trail) instead of a second owner appearing beside it.
 */
export async function insertOwnerAccount(
  ctx: CoreContext,
  tx: Tx,
  options: { email: string; passwordHash: string; channel: DecisionChannel },
): Promise<CreatedOwnerAccount> {
  const existing = await findUserByEmail(tx, options.email);
  if (existing?.password_hash)
    throw new AppError('CONFLICT', `an owner with email ${options.email} already exists`);
  const users = await selectSomeUsers(tx, 2);
  const onlyUser = users.length === 1 ? users[0] : undefined;
  const claimable =
    existing ??
    (onlyUser && onlyUser.password_hash === null && onlyUser.email === DEFAULT_OWNER_EMAIL
      ? onlyUser
      : undefined);
  let owner: Owner;
  if (claimable) {
    owner = { id: claimable.id, email: options.email };
    await updateUserCredentials(tx, claimable.id, {
      email: options.email,
      password_hash: options.passwordHash,
    });
  } else {
    owner = { id: newId('usr'), email: options.email };
    await insertUser(tx, { ...owner, password_hash: options.passwordHash, created_at: nowIso(ctx) });
  }
  await recordAuditEvent(ctx, tx, {
    ownerId: owner.id,
    actor: { type: 'owner', id: owner.id, label: owner.email, channel: options.channel },
    action: claimable ? 'owner.claimed' : 'owner.created',
    targetId: owner.id,
    details:
      claimable && claimable.email !== owner.email
        ? { email: owner.email, previousEmail: claimable.email }
        : { email: owner.email },
  });
  return { owner, claimed: claimable !== undefined };
}

/**
 * Creates an owner who signs in to the dashboard with email and password (the CLI's
 * `user:create`). Validates both; an email that already has a password is a CONFLICT.
 *
 * @example
 * const { owner, claimed } = await createOwnerAccount(ctx, { email: 'me@example.com', password: '…', channel: 'cli' });
 */
export async function createOwnerAccount(
  ctx: CoreContext,
  options: { email: string; password: string; channel: DecisionChannel },
): Promise<CreatedOwnerAccount> {
  const { email, password } = validateCredentials(options.email, options.password);
  // Hash before the transaction: scrypt takes a while and SQLite holds its write lock meanwhile.
  const passwordHash = await hashPassword(password);
  return withTransaction(ctx.database, (tx) =>
    insertOwnerAccount(ctx, tx, { email, passwordHash, channel: options.channel }),
  );
}
