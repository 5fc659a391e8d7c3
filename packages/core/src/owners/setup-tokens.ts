import {
  deleteExpiredSetupTokens,
  insertSetupToken,
  isSetupTokenLive,
  spendSetupToken,
  withTransaction,
} from '@agent-otp/db';
import { AppError } from '@agent-otp/shared';
import { type CoreContext, nowIso } from '../context.js';
import { newId } from '../ids.js';
import { hashSecret, newSecret } from '../secrets.js';
import {
  anyOwnerHasPassword,
  type CreatedOwnerAccount,
  insertOwnerAccount,
  validateCredentials,
} from './owner-accounts.js';
import { hashPassword } from './passwords.js';

/** How long a first-run setup link works. */
export const SETUP_TOKEN_TTL_SECONDS = 3600;

/**
 * Issues a one-time first-run setup token when no owner has a password yet, or returns
 * undefined when setup is already done. Only its hash is stored.
 *
 * @example
 * const setup = await issueSetupToken(ctx);
 * if (setup) console.log(`${ctx.publicUrl}/setup?token=${setup.token}`);
 */
export async function issueSetupToken(
  ctx: CoreContext,
  ttlSeconds = SETUP_TOKEN_TTL_SECONDS,
): Promise<{ token: string; expiresAt: string } | undefined> {
  if (await anyOwnerHasPassword(ctx)) return undefined;
  const { secret, hash } = newSecret('st');
  const now = ctx.clock.now();
  const expiresAt = new Date(now.getTime() + ttlSeconds * 1000).toISOString();
  await deleteExpiredSetupTokens(ctx.database.db, now.toISOString());
  await insertSetupToken(ctx.database.db, {
    id: newId('stp'),
    token_hash: hash,
    created_at: now.toISOString(),
    expires_at: expiresAt,
    used_at: null,
  });
  return { token: secret, expiresAt };
}

/**
 * Spends a setup token and creates the first owner with a password (claiming the
 * passwordless default owner when it is the only one). Fails with CONFLICT ("already set
 * up: sign in", with the sign-in page's address) once any owner has a password, and with
 * UNAUTHORIZED for an unknown, used or expired token before that.
 *
 * @example
 * const { owner } = await completeSetup(ctx, { token, email: 'me@example.com', password: '…' });
 */
export async function completeSetup(
  ctx: CoreContext,
  options: { token: string; email: string; password: string },
): Promise<CreatedOwnerAccount> {
  const { email, password } = validateCredentials(options.email, options.password);
  const invalid = new AppError(
    'UNAUTHORIZED',
    'this setup link is not valid (used, expired or mistyped); restart `agent-otp serve` for a new one',
  );
  // Once an owner has a password no link is printed any more, so "restart serve for a new
  // one" would send the owner in circles: say where to go instead. (GET /api/v1/setup tells
  // anyone the same, so this reveals nothing new.)
  if (await anyOwnerHasPassword(ctx)) throw alreadySetUp(ctx);
  const tokenHash = hashSecret(options.token);
  // A cheap look-up first, so strangers without a token cannot make the server run scrypt.
  if (!(await isSetupTokenLive(ctx.database.db, tokenHash, nowIso(ctx)))) throw invalid;
  const passwordHash = await hashPassword(password);
  return withTransaction(ctx.database, async (tx) => {
    const now = nowIso(ctx);
    if (!(await spendSetupToken(tx, tokenHash, now))) throw invalid;
    if (await anyOwnerHasPassword(ctx, tx)) throw alreadySetUp(ctx);
    return insertOwnerAccount(ctx, tx, { email, passwordHash, channel: 'dashboard' });
  });
}

/** The refusal once an owner has a password: where to sign in instead. */
function alreadySetUp(ctx: CoreContext): AppError {
  return new AppError('CONFLICT', `This relay is already set up: sign in at ${ctx.publicUrl}/sign-in`);
}
