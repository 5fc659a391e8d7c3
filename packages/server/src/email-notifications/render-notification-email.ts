import type { DecisionSubject } from '@agent-otp/core';
import { decisionFactsHtml, decisionFactsText, needsDashboard, riskLabel } from './decision-facts.js';
import { escapeHtml, headerLine } from './html-text.js';

/** Where the email's buttons go: approve/deny confirmation pages, or only the dashboard. */
export interface NotificationLinks {
  /** The request in the dashboard (always there). */
  dashboard: string;
  /** The one-time confirmation pages; absent for high-risk requests. */
  approve?: string;
  deny?: string;
}

export interface NotificationEmail {
  subject: string;
  text: string;
  html: string;
}

/**
 * The email telling an owner a request waits for them: the same facts as the dashboard card,
 * plain text and simple HTML, every value escaped. It never carries a code (a pending
 * request has none).
 *
 * @example
 * const mail = renderNotificationEmail(subject, { dashboard, approve, deny });
 */
export function renderNotificationEmail(
  subject: DecisionSubject,
  links: NotificationLinks,
): NotificationEmail {
  const risk = riskLabel(subject);
  const title = headerLine(`${risk && risk !== 'Low risk' ? `[${risk}] ` : ''}${subject.title}`);
  const decide =
    links.approve && links.deny && !needsDashboard(subject)
      ? {
          text: [
            'Approve (opens a page where you confirm):',
            links.approve,
            '',
            'Deny (opens a page where you confirm):',
            links.deny,
          ],
          html: `<p><a href="${escapeHtml(links.approve)}">Approve…</a> &nbsp; <a href="${escapeHtml(links.deny)}">Deny…</a></p>`,
        }
      : {
          text: ['This request is high risk: decide it in the dashboard.'],
          html: '<p>This request is high risk: decide it in the dashboard.</p>',
        };
  const text = [
    ...decisionFactsText(subject),
    '',
    ...decide.text,
    '',
    'Open it in the dashboard:',
    links.dashboard,
    '',
    'Each link works once and only until the request expires. If you did not expect this request, deny it.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:sans-serif">${decisionFactsHtml(subject)}${decide.html}<p><a href="${escapeHtml(links.dashboard)}">Open in the dashboard</a></p><p style="color:#555">Each link works once and only until the request expires. If you did not expect this request, deny it.</p></body></html>`;
  return { subject: `Agent OTP: ${title}`, text, html };
}
