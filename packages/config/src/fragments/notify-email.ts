import * as z from 'zod/mini';

// Owner notification email (issue 15): where the relay sends "a request waits for you" mail.
// Spread into the one schema; only `agent-otp serve` sends.

/** A bare address or `Name <address>`: what nodemailer and every SMTP server accept in From. */
const FROM_ADDRESS = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

/** Environment variables of owner notification email. */
export const notifyEmailEnvironment = {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://…:465` (TLS from the start). Secret. */
  SMTP_URL: z.optional(z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' })),
  /** The From of notification emails, e.g. `Agent OTP <otp@example.com>`. */
  SMTP_FROM: z.optional(
    z.string().check(z.trim(), z.regex(FROM_ADDRESS, 'must be an address, or Name <address>')),
  ),
};

type NotifyEmailEnvironment = z.output<z.ZodMiniObject<typeof notifyEmailEnvironment>>;

/** A sender needs an address to send from; a From with no server to send through is a mistake. */
export function checkNotifyEmailEnvironment(env: NotifyEmailEnvironment, ctx: z.core.$RefinementCtx): void {
  if (env.SMTP_URL && !env.SMTP_FROM)
    ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is required when SMTP_URL is set' });
  if (env.SMTP_FROM && !env.SMTP_URL)
    ctx.addIssue({ code: 'custom', path: ['SMTP_FROM'], message: 'is set but SMTP_URL is not' });
}

/**
 * The parsed notification email settings: undefined when SMTP is not configured (then
 * nothing is sent and nothing else changes).
 *
 * @example
 * const { notifyEmail } = notifyEmailConfig(env); // { smtpUrl, from } | undefined
 */
export function notifyEmailConfig(env: NotifyEmailEnvironment) {
  return {
    notifyEmail: env.SMTP_URL && env.SMTP_FROM ? { smtpUrl: env.SMTP_URL, from: env.SMTP_FROM } : undefined,
  };
}
