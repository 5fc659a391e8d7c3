import { approvalUrl, type CoreContext, getDecisionSubject, sleep } from '@agent-otp/core';
import { findOwner } from '@agent-otp/db';
import nodemailer from 'nodemailer';
import type { Logger } from '../logger.js';
import { watchNewPendingRequests } from '../notifications/new-pending-requests.js';
import { needsDashboard } from './decision-facts.js';
import { decisionLinkKey, signDecisionLink } from './decision-link-token.js';
import { type NotificationLinks, renderNotificationEmail } from './render-notification-email.js';

/** Between attempts when the SMTP server refuses or cannot be reached: 5 s, 30 s, 2 min, 10 min. */
export const DEFAULT_RETRY_DELAYS_MS = [5_000, 30_000, 120_000, 600_000];

export interface EmailNotifierOptions {
  ctx: CoreContext;
  logger: Logger;
  /** SMTP_URL (credentials included; never logged). */
  smtpUrl: string;
  /** SMTP_FROM. */
  from: string;
  /** Delays before each retry; after the last one the email is given up (logged). */
  retryDelaysMs?: readonly number[];
}

export interface EmailNotifier {
  /** Resolves once every email started so far was sent or given up (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The confirmation page URL of a token: `PUBLIC_URL/email-decision/<token>`. */
export function emailDecisionUrl(publicUrl: string, token: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/email-decision/${token}`;
}

/**
 * Emails the owner once per request that starts waiting for their decision, with one-time
 * approve/deny links (or only a dashboard link for high-risk requests). Runs beside the
 * request path, never in it: a slow or failing SMTP server delays nothing and crashes
 * nothing; failures are retried with growing delays and logged without any link.
 *
 * Every instance on one PostgreSQL database hears every request (LISTEN/NOTIFY), so set
 * SMTP_URL on one instance only, or each would send its own copy.
 *
 * @example
 * const notifier = startEmailNotifier({ ctx, logger, smtpUrl, from });
 * await notifier.stop();
 */
export function startEmailNotifier(options: EmailNotifierOptions): EmailNotifier {
  const { ctx, from } = options;
  const logger = options.logger.child({ component: 'email-notify' });
  const retryDelays = options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  const key = decisionLinkKey(ctx.auditKey.secret);
  const transport = nodemailer.createTransport({
    url: options.smtpUrl,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  /** Sends one request's email; false when the request no longer waits (nothing to send). */
  async function sendOnce(ownerId: string, requestId: string): Promise<boolean> {
    const subject = await getDecisionSubject(ctx, ownerId, requestId);
    if (!subject?.pending) return false;
    const owner = await findOwner(ctx.database.db, ownerId);
    if (!owner) return false;
    const links: NotificationLinks = { dashboard: approvalUrl(ctx, requestId) };
    if (!needsDashboard(subject)) {
      const expiresAt = Math.floor(Date.parse(subject.expiresAt) / 1000);
      const base = { requestId, ownerId, expiresAt };
      links.approve = emailDecisionUrl(
        ctx.publicUrl,
        signDecisionLink(key, { ...base, outcome: 'approved' }),
      );
      links.deny = emailDecisionUrl(ctx.publicUrl, signDecisionLink(key, { ...base, outcome: 'denied' }));
    }
    const mail = renderNotificationEmail(subject, links);
    const info = await transport.sendMail({ from, to: owner.email, ...mail });
    logger.info({ requestId, messageId: info.messageId }, 'email: notification sent');
    return true;
  }

  async function deliver(ownerId: string, requestId: string): Promise<void> {
    for (let attempt = 0; !watch.signal.aborted; attempt += 1) {
      try {
        await sendOnce(ownerId, requestId);
        return;
      } catch (error) {
        const delay = retryDelays[attempt];
        // The error names the server and its answer, never the message: no link token reaches a log.
        // `code` is a redacted log key (OTP codes), so nodemailer's error code goes out as `failure`.
        const err = { message: (error as Error).message, failure: (error as { code?: unknown }).code };
        if (delay === undefined) {
          logger.error({ requestId, attempts: attempt + 1, err }, 'email: notification given up');
          return;
        }
        logger.warn(
          { requestId, attempt: attempt + 1, retryInMs: delay, err },
          'email: could not send a notification; retrying',
        );
        await sleep(delay, watch.signal);
      }
    }
  }

  const watch = watchNewPendingRequests(ctx, deliver);
  return {
    idle: () => watch.idle(),
    async stop() {
      await watch.stop();
      transport.close();
    },
  };
}
