import { z } from 'zod';

// The mailbox connectors' settings, declared once, here where both the configuration module
// and the email package can import them. Configuration (IMAP_* and GMAIL_* variables)
// produces the `…Config` shapes; the watchers take the `…Settings` shapes, which are the same
// fields after start-up has read the CA file or the stored refresh token.

const ImapConnection = z.object({
  host: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  user: z.string().min(1),
  /** Password (or app password); or `accessToken` for SASL XOAUTH2. */
  password: z.string().optional(),
  accessToken: z.string().optional(),
  /** Implicit TLS (IMAPS), certificate verified. `false` = plain IMAP (STARTTLS if offered). */
  tls: z.boolean(),
  /**
   * With `tls: false`: `true` refuses a server that does not offer STARTTLS, `false` never
   * upgrades (owner mailboxes allow that to loopback only). Unset: STARTTLS if offered.
   */
  startTls: z.boolean().optional(),
  mailbox: z.string().min(1),
  /** Re-issue IDLE this often (RFC 2177: servers may end an IDLE after 29 minutes). */
  idleRestartSeconds: z.number().int().positive(),
});

/** One IMAP mailbox as configuration names it (IMAP_*): the CA is a file path. */
export const ImapConfigSchema = ImapConnection.extend({
  /** PEM file with an extra CA to trust (IMAP_CA_FILE). */
  caFile: z.string().optional(),
});
export type ImapConfig = z.infer<typeof ImapConfigSchema>;

/** One IMAP mailbox as the watcher connects to it: the CA file already read. */
export const ImapSettingsSchema = ImapConnection.extend({
  /** Extra CA certificate(s), PEM, for a server whose certificate a private CA signed. */
  caPem: z.string().optional(),
  /**
   * A connection silent this long gets a NOOP; if that goes unanswered for as long again
   * the connection counts as dead and is replaced. Default 90 s.
   */
  socketTimeoutSeconds: z.number().positive().optional(),
});
export type ImapSettings = z.infer<typeof ImapSettingsSchema>;

/** Google's endpoints (overridable for tests) and the Gmail connector's OAuth client, as configured (GMAIL_*). */
export const GmailConfigSchema = z.object({
  clientId: z.string().optional(),
  clientSecret: z.string().optional(),
  /** From GMAIL_REFRESH_TOKEN; otherwise the file `email:gmail-auth` stored in DATA_DIR. */
  refreshToken: z.string().optional(),
  pollSeconds: z.number().positive(),
  apiRoot: z.string(),
  tokenUrl: z.string(),
  authUrl: z.string(),
});
export type GmailConfig = z.infer<typeof GmailConfigSchema>;

/** The Gmail connector once its client and refresh token are known. */
export const GmailSettingsSchema = GmailConfigSchema.pick({
  apiRoot: true,
  tokenUrl: true,
  pollSeconds: true,
}).extend({
  clientId: z.string(),
  clientSecret: z.string(),
  refreshToken: z.string(),
});
export type GmailSettings = z.infer<typeof GmailSettingsSchema>;
