import type { GmailConfig, ImapConfig } from '@agent-otp/shared';
import * as z from 'zod/mini';
import { booleanFromEnv, numberBetween, text, trimmedText, wholeNumber } from './env-types.js';

// The mailbox connectors' settings (in `serve` and in the standalone `email:watch`). Spread
// into the one schema; still parsed exactly once. The parsed shapes (`ImapConfig`,
// `GmailConfig`) are declared once, in shared's mailbox-settings, beside the owner's own.

const flag = booleanFromEnv;
const httpUrl = (fallback: string) => z._default(z.url({ protocol: /^https?$/ }), fallback);

/** The environment variables of the IMAP and Gmail connectors. */
export const emailEnvironment = {
  IMAP_HOST: z.optional(trimmedText()),
  IMAP_PORT: z.optional(wholeNumber(1, 65535)),
  IMAP_USER: z.optional(text()),
  IMAP_PASSWORD: z.optional(text()),
  /** An OAuth2 access token for SASL XOAUTH2 (Gmail, Microsoft 365) instead of a password. */
  IMAP_ACCESS_TOKEN: z.optional(text()),
  IMAP_TLS: z._default(flag, true),
  IMAP_MAILBOX: z._default(z.string().check(z.minLength(1), z.maxLength(512)), 'INBOX'),
  /** PEM file with an extra CA to trust (a private mail server's own CA). */
  IMAP_CA_FILE: z.optional(text()),
  /** IDLE is re-issued this often; RFC 2177 servers may drop an IDLE after 30 minutes. */
  IMAP_IDLE_RESTART_SECONDS: z._default(wholeNumber(5, 1500), 600),
  /** The capture-source token `agent-otp email:watch` uses (kept off the command line). */
  AGENT_OTP_SOURCE_TOKEN: z.optional(text()),
  GMAIL_CLIENT_ID: z.optional(text()),
  GMAIL_CLIENT_SECRET: z.optional(text()),
  GMAIL_REFRESH_TOKEN: z.optional(text()),
  GMAIL_POLL_SECONDS: z._default(numberBetween(0.2, 300), 3),
  GMAIL_API_ROOT: httpUrl('https://gmail.googleapis.com/gmail/v1'),
  GOOGLE_TOKEN_URL: httpUrl('https://oauth2.googleapis.com/token'),
  GOOGLE_AUTH_URL: httpUrl('https://accounts.google.com/o/oauth2/v2/auth'),
  /**
   * Allow owners' mailboxes (added in the dashboard or with `mailbox:add`) on hosts that are or
   * resolve to private, loopback, link-local or other internal addresses. Off by default, so an
   * owner cannot make the relay probe its own network; the operator's IMAP_HOST is exempt.
   */
  MAILBOX_ALLOW_PRIVATE: z._default(flag, false),
  /**
   * An owner's mailbox failing (or reconnecting) for longer than this tells its owner once per
   * episode (Telegram, dashboard). Fractions allowed (0.01 = 0.6 s, for tests).
   */
  MAILBOX_FAILING_NOTICE_MINUTES: z._default(numberBetween(0.001, 1440), 5),
};

type EmailEnvironment = z.output<z.ZodMiniObject<typeof emailEnvironment>>;

/** Settings that only make sense together: a host needs a user and a password or token. */
export function checkEmailEnvironment(env: EmailEnvironment, ctx: z.core.$RefinementCtx): void {
  const problem = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const imapSet = ['IMAP_PORT', 'IMAP_USER', 'IMAP_PASSWORD', 'IMAP_ACCESS_TOKEN', 'IMAP_CA_FILE'] as const;
  if (!env.IMAP_HOST) {
    for (const name of imapSet) if (env[name] !== undefined) problem(name, 'is set but IMAP_HOST is not');
  } else {
    if (!env.IMAP_USER) problem('IMAP_USER', 'is required when IMAP_HOST is set');
    if (!env.IMAP_PASSWORD && !env.IMAP_ACCESS_TOKEN)
      problem('IMAP_PASSWORD', 'IMAP_PASSWORD or IMAP_ACCESS_TOKEN is required when IMAP_HOST is set');
    if (env.IMAP_PASSWORD && env.IMAP_ACCESS_TOKEN)
      problem('IMAP_ACCESS_TOKEN', 'set IMAP_PASSWORD or IMAP_ACCESS_TOKEN, not both');
  }
  if (env.GMAIL_CLIENT_ID && !env.GMAIL_CLIENT_SECRET)
    problem('GMAIL_CLIENT_SECRET', 'is required with GMAIL_CLIENT_ID (the desktop client’s secret)');
  if (!env.GMAIL_CLIENT_ID && env.GMAIL_REFRESH_TOKEN)
    problem('GMAIL_REFRESH_TOKEN', 'is set but GMAIL_CLIENT_ID is not');
}

/**
 * The parsed mailbox connector settings.
 *
 * @example
 * const { imap, gmail } = emailConfig(env);
 */
export function emailConfig(env: EmailEnvironment): {
  imap: ImapConfig | undefined;
  gmail: GmailConfig;
  sourceToken: string | undefined;
  /** Owners' mailboxes may reach internal addresses (MAILBOX_ALLOW_PRIVATE). */
  mailboxAllowPrivate: boolean;
  /** How long a mailbox fails before its owner is told (MAILBOX_FAILING_NOTICE_MINUTES). */
  mailboxFailingNoticeMs: number;
} {
  const imap: ImapConfig | undefined =
    env.IMAP_HOST && env.IMAP_USER
      ? {
          host: env.IMAP_HOST,
          port: env.IMAP_PORT ?? (env.IMAP_TLS ? 993 : 143),
          user: env.IMAP_USER,
          password: env.IMAP_PASSWORD,
          accessToken: env.IMAP_ACCESS_TOKEN,
          tls: env.IMAP_TLS,
          mailbox: env.IMAP_MAILBOX,
          caFile: env.IMAP_CA_FILE,
          idleRestartSeconds: env.IMAP_IDLE_RESTART_SECONDS,
        }
      : undefined;
  return {
    imap,
    sourceToken: env.AGENT_OTP_SOURCE_TOKEN,
    mailboxAllowPrivate: env.MAILBOX_ALLOW_PRIVATE,
    mailboxFailingNoticeMs: Math.round(env.MAILBOX_FAILING_NOTICE_MINUTES * 60_000),
    gmail: {
      clientId: env.GMAIL_CLIENT_ID,
      clientSecret: env.GMAIL_CLIENT_SECRET,
      refreshToken: env.GMAIL_REFRESH_TOKEN,
      pollSeconds: env.GMAIL_POLL_SECONDS,
      apiRoot: env.GMAIL_API_ROOT.replace(/\/+$/, ''),
      tokenUrl: env.GOOGLE_TOKEN_URL,
      authUrl: env.GOOGLE_AUTH_URL,
    },
  };
}
