import type { DecisionSubject } from '@agent-otp/core';
import { decisionFactsHtml } from './decision-facts.js';
import { escapeHtml } from './html-text.js';

// The minimal server-rendered pages behind email links. No script (the relay's CSP allows
// none inline anyway), inline styles only, and nothing that loads from elsewhere.

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;line-height:1.5}' +
  'th{padding-right:1rem}button{font-size:1.1rem;padding:.6rem 1.4rem;margin-top:1rem}' +
  '.deny{background:#b00020;color:#fff;border:0}.approve{background:#0b6b2e;color:#fff;border:0}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)} · Agent OTP</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/**
 * The confirmation page a link opens: the request's facts and one button that POSTs the
 * token. Opening it changes nothing, so a mail scanner that follows links decides nothing.
 *
 * @example
 * c.html(confirmationPage(subject, 'approved', token));
 */
export function confirmationPage(
  subject: DecisionSubject,
  outcome: 'approved' | 'denied',
  token: string,
): string {
  const verb = outcome === 'approved' ? 'Approve' : 'Deny';
  return page(
    `${verb} this request?`,
    `${decisionFactsHtml(subject)}<form method="post" action="/email-decision"><input type="hidden" name="token" value="${escapeHtml(token)}"><button type="submit" class="${outcome === 'approved' ? 'approve' : 'deny'}">${verb} this request</button></form><p>Not what you expected? Close this page: nothing happens until you press the button.</p>`,
  );
}

/**
 * A page that says what happened or why a link does not work, with the way on.
 *
 * @example
 * c.html(messagePage('This link has expired', 'Decide in the dashboard.', dashboardUrl), 410);
 */
export function messagePage(title: string, text: string, link?: { href: string; label: string }): string {
  return page(
    title,
    `<h1 style="font-size:1.3em">${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>${
      link ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.label)}</a></p>` : ''
    }`,
  );
}
