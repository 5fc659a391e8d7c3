import { z } from 'zod';
import { prefixedId, Timestamp } from './common.js';
import { MailboxPresetIdSchema, MailboxTlsModeSchema } from './mailbox-presets.js';

export const MailboxIdSchema = prefixedId('mbx');
/**
 * The id under which the mailbox the relay's operator configured (IMAP_HOST) is listed for
 * the default owner: read-only, never stored in the mailboxes table.
 */
export const OPERATOR_MAILBOX_ID = 'mbx_00000000000000000000000000';

/** Hosts a password may be sent to without TLS: this machine only. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/**
 * Whether an IMAP server may be reached without TLS: only on this machine, where the password
 * crosses no network. Everywhere else `tls: none` is refused.
 *
 * @example
 * plainImapAllowed('127.0.0.1') === true; plainImapAllowed('imap.example.com') === false;
 */
export function plainImapAllowed(host: string): boolean {
  const lower = host.toLowerCase();
  return LOOPBACK_HOSTS.has(lower) || /^127(\.\d{1,3}){3}$/.test(lower);
}

const IMAP_SETTINGS_EXAMPLE = {
  host: 'imap.example.com',
  port: 993,
  tls: 'implicit',
  login: 'owner@example.com',
  folder: 'INBOX',
} as const;

const ImapMailboxSettingsFields = z.strictObject({
  host: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or an IP address')
    .meta({ example: 'imap.example.com' }),
  port: z.number().int().min(1).max(65535).meta({ example: 993 }),
  tls: MailboxTlsModeSchema,
  login: z.string().trim().min(1).max(320).meta({ example: 'owner@example.com' }),
  folder: z.string().trim().min(1).max(200).default('INBOX').meta({ example: 'INBOX' }),
  preset: MailboxPresetIdSchema.optional(),
});

function refuseCleartextAway(settings: { host: string; tls: string }, ctx: z.RefinementCtx): void {
  if (settings.tls === 'none' && !plainImapAllowed(settings.host))
    ctx.addIssue({
      code: 'custom',
      path: ['tls'],
      message: `'none' would send the password in clear to ${settings.host}; it is allowed only to a server on this machine (127.0.0.1, ::1, localhost): use 'implicit' or 'starttls'`,
    });
}

/** An IMAP mailbox's settings: everything but the password, which is sent and stored apart. */
export const ImapMailboxSettingsSchema = ImapMailboxSettingsFields.superRefine(refuseCleartextAway).meta({
  id: 'ImapMailboxSettings',
  example: IMAP_SETTINGS_EXAMPLE,
});
export type ImapMailboxSettings = z.infer<typeof ImapMailboxSettingsSchema>;

/** A Gmail mailbox connected through OAuth: its address; the refresh token is the credential. */
export const GmailMailboxSettingsSchema = z
  .strictObject({ address: z.string().email().max(320) })
  .meta({ id: 'GmailMailboxSettings', example: { address: 'owner@gmail.com' } });
export type GmailMailboxSettings = z.infer<typeof GmailMailboxSettingsSchema>;

export const MailboxStateSchema = z.enum(['connecting', 'idle', 'reconnecting', 'failing', 'stopped']).meta({
  description:
    '`connecting` until the first connection, `idle` while it watches, `reconnecting` after a drop, `failing` when reconnecting has not worked for a while or the server refuses the login, `stopped` when nothing runs it.',
});

export const MailboxHealthSchema = z.object({
  state: MailboxStateSchema,
  stateSince: Timestamp.nullable(),
  lastError: z.string().nullable().meta({ description: 'The last error in words; never a password.' }),
  lastMessageAt: Timestamp.nullable().meta({ description: 'When the connector last saw a message.' }),
  reconnectAttempts: z.number().int().min(0),
  updatedAt: Timestamp.nullable().meta({
    description: 'When the instance running it last wrote this health.',
  }),
  runningOn: z.string().optional().meta({ description: 'The relay instance holding the mailbox’s lease.' }),
});
export type MailboxHealth = z.infer<typeof MailboxHealthSchema>;

const MAILBOX_EXAMPLE = {
  id: 'mbx_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  kind: 'imap',
  name: 'Work mail',
  settings: IMAP_SETTINGS_EXAMPLE,
  hasCredential: true,
  health: {
    state: 'idle',
    stateSince: '2026-01-05T09:30:02.000Z',
    lastError: null,
    lastMessageAt: '2026-01-05T09:41:17.000Z',
    reconnectAttempts: 0,
    updatedAt: '2026-01-05T09:41:17.000Z',
    runningOn: 'ins_7f3a9c',
  },
  createdAt: '2026-01-05T09:30:00.000Z',
  updatedAt: '2026-01-05T09:30:00.000Z',
} as const;

/** A mailbox as its owner sees it: settings and health, never the password (only that one is stored). */
export const MailboxSchema = z
  .object({
    id: MailboxIdSchema,
    kind: z.enum(['imap', 'gmail']),
    name: z.string(),
    settings: z.union([ImapMailboxSettingsFields, GmailMailboxSettingsSchema]),
    hasCredential: z
      .boolean()
      .meta({ description: 'A password (or refresh token) is stored; it is never returned.' }),
    health: MailboxHealthSchema,
    configuredBy: z.literal('operator').optional().meta({
      description:
        'Present on the mailbox the relay’s operator configured (IMAP_HOST), listed read-only for the default owner: it cannot be edited, tested or removed here (409).',
    }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Mailbox', example: MAILBOX_EXAMPLE });
export type Mailbox = z.infer<typeof MailboxSchema>;

export const MailboxListSchema = z
  .object({ mailboxes: z.array(MailboxSchema) })
  .meta({ id: 'MailboxList', example: { mailboxes: [MAILBOX_EXAMPLE] } });
export type MailboxList = z.infer<typeof MailboxListSchema>;

const MailboxName = z.string().trim().min(1).max(100).meta({ example: 'Work mail' });
/** A password or app password; bounded so a request cannot make the relay seal megabytes. */
const MailboxPassword = z.string().min(1).max(1024).meta({ example: 'abcd efgh ijkl mnop' });

/** Connects an IMAP mailbox: its connector starts at once. */
export const CreateMailboxSchema = z
  .strictObject({
    kind: z.literal('imap'),
    name: MailboxName,
    settings: ImapMailboxSettingsSchema,
    password: MailboxPassword,
  })
  .meta({
    id: 'CreateMailbox',
    example: {
      kind: 'imap',
      name: 'Work mail',
      settings: IMAP_SETTINGS_EXAMPLE,
      password: 'abcd efgh ijkl mnop',
    },
  });
export type CreateMailbox = z.infer<typeof CreateMailboxSchema>;

/** Changes a mailbox: only the fields given; settings are merged into the stored ones, then checked whole. */
export const UpdateMailboxSchema = z
  .strictObject({
    name: MailboxName.optional(),
    settings: ImapMailboxSettingsFields.partial().optional(),
    password: MailboxPassword.optional(),
  })
  .meta({
    id: 'UpdateMailbox',
    example: { name: 'Work mail (app password)', password: 'qrst uvwx yzab cdef' },
  });
export type UpdateMailbox = z.infer<typeof UpdateMailboxSchema>;

/** Tests settings that are not saved yet. */
export const TestMailboxSchema = z
  .strictObject({
    kind: z.literal('imap'),
    settings: ImapMailboxSettingsSchema,
    password: MailboxPassword,
  })
  .meta({
    id: 'TestMailbox',
    example: { kind: 'imap', settings: IMAP_SETTINGS_EXAMPLE, password: 'abcd efgh ijkl mnop' },
  });
export type TestMailbox = z.infer<typeof TestMailboxSchema>;
