import {
  findOwnerMailbox,
  listOwnerMailboxes,
  type MailboxRow,
  markCaptureSourceRevoked,
  markMailboxRemoved,
  updateMailbox as updateMailboxRow,
  withTransaction,
} from '@agent-otp/db';
import {
  AppError,
  type CreateMailbox,
  ImapMailboxSettingsSchema,
  type Mailbox,
  type UpdateMailbox,
} from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { type CoreContext, nowIso } from '../context.js';
import {
  mailboxCredentialBinding,
  mailboxCredentialBox,
  parseMailboxSettings,
  toApiMailbox,
} from './mailbox-view.js';
import { storeNewMailbox } from './store-new-mailbox.js';

/** Every live mailbox of one owner, oldest first. */
export async function listMailboxes(ctx: CoreContext, ownerId: string): Promise<Mailbox[]> {
  return (await listOwnerMailboxes(ctx.database.db, ownerId)).map((row) =>
    toApiMailbox(row, ctx.clock.now()),
  );
}

/** One of the owner's mailboxes; another owner's id is NOT_FOUND, exactly like an unknown one. */
export async function getMailbox(ctx: CoreContext, ownerId: string, mailboxId: string): Promise<Mailbox> {
  return toApiMailbox(await ownedMailboxRow(ctx, ownerId, mailboxId), ctx.clock.now());
}

/** The stored row of one of the owner's live mailboxes, or NOT_FOUND. */
export async function ownedMailboxRow(
  ctx: CoreContext,
  ownerId: string,
  mailboxId: string,
): Promise<MailboxRow> {
  const row = await findOwnerMailbox(ctx.database.db, ownerId, mailboxId);
  if (!row) throw new AppError('NOT_FOUND', `no mailbox ${mailboxId}`);
  return row;
}

/**
 * Connects an IMAP mailbox for an owner: the password is sealed with the credential key
 * (bound to the new row) before anything is written, and the mailbox gets its own capture
 * source, so the connector's codes reach this owner's requests only. Supervisors start it
 * at their next look (the caller pokes the local one at once).
 *
 * @example
 * const mailbox = await addMailbox(ctx, { ownerId, input: { kind: 'imap', name, settings, password }, actor });
 */
export async function addMailbox(
  ctx: CoreContext,
  options: { ownerId: string; input: CreateMailbox; actor: Actor },
): Promise<Mailbox> {
  return storeNewMailbox(ctx, {
    ownerId: options.ownerId,
    actor: options.actor,
    kind: 'imap',
    name: options.input.name,
    settings: options.input.settings,
    secret: options.input.password,
    auditDetails: { host: options.input.settings.host },
  });
}

/**
 * Changes a mailbox's name, settings (merged into the stored ones, then checked whole, so
 * `tls: none` to a remote host is refused however it is reached) or password. The connector
 * restarts with the new settings at the supervisor's next look.
 *
 * @example
 * await editMailbox(ctx, { ownerId, mailboxId, change: { password: 'new app password' }, actor });
 */
export async function editMailbox(
  ctx: CoreContext,
  options: { ownerId: string; mailboxId: string; change: UpdateMailbox; actor: Actor },
): Promise<Mailbox> {
  return withTransaction(ctx.database, async (tx) => {
    const row = await findOwnerMailbox(tx, options.ownerId, options.mailboxId);
    if (!row) throw new AppError('NOT_FOUND', `no mailbox ${options.mailboxId}`);
    const { name, settings, password } = options.change;
    if (settings && row.kind !== 'imap')
      throw new AppError('VALIDATION_ERROR', 'settings: a Gmail mailbox has no IMAP settings to change');
    let merged: string | undefined;
    if (settings) {
      const parsed = ImapMailboxSettingsSchema.safeParse({ ...parseMailboxSettings(row), ...settings });
      if (!parsed.success)
        throw new AppError(
          'VALIDATION_ERROR',
          parsed.error.issues.map((issue) => `settings.${issue.path.join('.')}: ${issue.message}`).join('; '),
        );
      merged = JSON.stringify(parsed.data);
    }
    const now = nowIso(ctx);
    const change = {
      updated_at: now,
      ...(name !== undefined ? { name } : {}),
      ...(merged !== undefined ? { settings: merged } : {}),
      ...(password !== undefined
        ? { credential: mailboxCredentialBox(ctx).seal(password, mailboxCredentialBinding(row.id)) }
        : {}),
    };
    await updateMailboxRow(tx, row.id, change);
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'mailbox.changed',
      targetId: row.id,
      // Which fields changed, never the password itself.
      details: { fields: Object.keys(options.change).sort() },
    });
    return toApiMailbox({ ...row, ...change }, ctx.clock.now());
  });
}

/**
 * Removes a mailbox: its sealed credential is erased in the same statement, its capture
 * source is revoked, and the connector stops at the supervisor's next look.
 *
 * @example
 * await removeMailbox(ctx, { ownerId, mailboxId, actor });
 */
export async function removeMailbox(
  ctx: CoreContext,
  options: { ownerId: string; mailboxId: string; actor: Actor },
): Promise<void> {
  await withTransaction(ctx.database, async (tx) => {
    const row = await findOwnerMailbox(tx, options.ownerId, options.mailboxId);
    if (!row) throw new AppError('NOT_FOUND', `no mailbox ${options.mailboxId}`);
    const now = nowIso(ctx);
    await markMailboxRemoved(tx, options.ownerId, row.id, now);
    await markCaptureSourceRevoked(tx, row.source_id, now);
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'mailbox.removed',
      targetId: row.id,
      details: { name: row.name },
    });
  });
}

/** The owner's saved mailbox with its password opened, for a connection test of stored settings. */
export async function openOwnedMailboxForTest(
  ctx: CoreContext,
  ownerId: string,
  mailboxId: string,
): Promise<{
  settings: ReturnType<typeof parseMailboxSettings>;
  kind: MailboxRow['kind'];
  password: string;
}> {
  const row = await ownedMailboxRow(ctx, ownerId, mailboxId);
  if (row.credential === null) throw new AppError('CONFLICT', `mailbox ${mailboxId} has no stored password`);
  return {
    kind: row.kind,
    settings: parseMailboxSettings(row),
    password: mailboxCredentialBox(ctx).open(row.credential, mailboxCredentialBinding(row.id)),
  };
}
