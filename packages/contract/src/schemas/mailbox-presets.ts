import { z } from 'zod';

/**
 * How an IMAP connection is secured: TLS from the first byte (port 993), STARTTLS upgrade of a
 * plain connection (port 143), or none at all, which the relay accepts only to a server on
 * the same machine (a password sent in clear elsewhere would cross a network).
 */
export const MailboxTlsModeSchema = z.enum(['implicit', 'starttls', 'none']);
export type MailboxTlsMode = z.infer<typeof MailboxTlsModeSchema>;

export const MailboxPresetIdSchema = z.enum(['gmail', 'outlook', 'icloud', 'fastmail', 'yahoo']);
export type MailboxPresetId = z.infer<typeof MailboxPresetIdSchema>;

/** A provider's IMAP server and how its users get a password that IMAP accepts. */
export const MailboxPresetSchema = z
  .object({
    id: MailboxPresetIdSchema,
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    tls: MailboxTlsModeSchema,
    /** What the provider expects as the IMAP login. */
    loginHint: z.string(),
    /** Why a normal password is refused and where to create the app password. */
    passwordHint: z.string(),
    /** The provider's own page on app passwords or IMAP access (text: shown, never fetched). */
    helpUrl: z.string(),
  })
  .meta({ id: 'MailboxPreset' });
export type MailboxPreset = z.infer<typeof MailboxPresetSchema>;

/**
 * The providers most owners use, so the form fills in the server and says which password works.
 * Every one of them needs an app password (or a provider setting) rather than the account's
 * own password, which is the first thing that goes wrong; the hints say so.
 */
export const MAILBOX_PRESETS: readonly MailboxPreset[] = [
  {
    id: 'gmail',
    name: 'Gmail',
    host: 'imap.gmail.com',
    port: 993,
    tls: 'implicit',
    loginHint: 'Your full Gmail address.',
    passwordHint:
      'Gmail refuses your Google password over IMAP: turn on 2-Step Verification, then create an app password (16 letters) and paste it here. Or use "Connect Gmail" when the relay offers it.',
    helpUrl: 'https://support.google.com/accounts/answer/185833',
  },
  {
    id: 'outlook',
    name: 'Outlook / Office 365',
    host: 'outlook.office365.com',
    port: 993,
    tls: 'implicit',
    loginHint: 'Your full Outlook or Microsoft 365 address.',
    passwordHint:
      'Microsoft turns off password sign-in over IMAP for most accounts: use an app password where your account still offers one (Security settings, with two-step verification on); a work account needs its administrator to allow IMAP.',
    helpUrl:
      'https://support.microsoft.com/office/pop-imap-and-smtp-settings-for-outlook-com-d088b986-291d-42b8-9564-9c414e2aa040',
  },
  {
    id: 'icloud',
    name: 'iCloud Mail',
    host: 'imap.mail.me.com',
    port: 993,
    tls: 'implicit',
    loginHint: 'Your iCloud Mail address (name@icloud.com).',
    passwordHint:
      'iCloud needs an app-specific password: create one on account.apple.com under Sign-In and Security (two-factor authentication must be on).',
    helpUrl: 'https://support.apple.com/102654',
  },
  {
    id: 'fastmail',
    name: 'Fastmail',
    host: 'imap.fastmail.com',
    port: 993,
    tls: 'implicit',
    loginHint: 'Your full Fastmail address.',
    passwordHint:
      'Fastmail needs an app password with IMAP access: Settings, Privacy & Security, Manage app passwords.',
    helpUrl: 'https://www.fastmail.help/hc/en-us/articles/360058752854',
  },
  {
    id: 'yahoo',
    name: 'Yahoo Mail',
    host: 'imap.mail.yahoo.com',
    port: 993,
    tls: 'implicit',
    loginHint: 'Your full Yahoo address.',
    passwordHint:
      'Yahoo refuses your account password over IMAP: generate an app password under Account Security and paste it here.',
    helpUrl: 'https://help.yahoo.com/kb/SLN15241.html',
  },
];

/** The preset with this id, or undefined for a mailbox configured by hand. */
export function mailboxPreset(id: string | undefined): MailboxPreset | undefined {
  return MAILBOX_PRESETS.find((preset) => preset.id === id);
}

/** `GET /api/v1/mailboxes/presets`: what the dashboard's "Add mailbox" offers. */
export const MailboxPresetsResponseSchema = z
  .object({
    presets: z.array(MailboxPresetSchema),
    gmailConnect: z.boolean().meta({
      description:
        'Whether "Connect Gmail" (OAuth in the browser) is offered: the operator configured a Google OAuth client (GMAIL_CLIENT_ID and GMAIL_CLIENT_SECRET).',
    }),
  })
  .meta({ id: 'MailboxPresets', example: { presets: MAILBOX_PRESETS.slice(0, 2), gmailConnect: true } });
export type MailboxPresetsResponse = z.infer<typeof MailboxPresetsResponseSchema>;

/** `POST /api/v1/mailboxes/gmail/start`: the page the owner's browser opens to consent. */
export const GmailConnectStartSchema = z
  .object({
    authorizeUrl: z.string().meta({
      description:
        "Google's consent page for read-only Gmail access (PKCE); Google sends the browser back to the relay's /api/v1/mailboxes/gmail/callback within 10 minutes.",
    }),
  })
  .meta({
    id: 'GmailConnectStart',
    example: {
      authorizeUrl:
        'https://accounts.google.com/o/oauth2/v2/auth?client_id=1234-abc.apps.googleusercontent.com&redirect_uri=https%3A%2F%2Frelay.example.com%2Fapi%2Fv1%2Fmailboxes%2Fgmail%2Fcallback&response_type=code&scope=https%3A%2F%2Fwww.googleapis.com%2Fauth%2Fgmail.readonly&state=…&code_challenge=…&code_challenge_method=S256&access_type=offline&prompt=consent',
    },
  });
export type GmailConnectStart = z.infer<typeof GmailConnectStartSchema>;
