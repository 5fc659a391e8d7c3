import type { DecisionSubject } from '@agent-otp/core';
import { AGENT_KEY_HISTORY_TEXT, shortFingerprint } from '@agent-otp/shared';
import { escapeHtml } from './html-text.js';

// The facts an owner reads before deciding, as the dashboard card and Telegram show them:
// title, reason, the labelled fields, risk (level and reasons) and expiry. Shared by the
// notification email and the confirmation page so both say the same thing.

const RISK_LABELS = { low: 'Low risk', elevated: 'Elevated risk', high: 'High risk' } as const;

/** Whether a request must be decided in the dashboard (high risk asks for more than a link). */
export function needsDashboard(subject: DecisionSubject): boolean {
  return subject.risk?.level === 'high';
}

/** "Low risk", "High risk"…, or undefined for requests from before risk was assessed. */
export function riskLabel(subject: DecisionSubject): string | undefined {
  return subject.risk ? RISK_LABELS[subject.risk.level] : undefined;
}

/** The facts as plain text lines (for the text part of the email). */
export function decisionFactsText(subject: DecisionSubject): string[] {
  const lines = [subject.title, '', `Reason: ${subject.reason}`, 'Approving allows:'];
  for (const line of subject.summary) lines.push(`  - ${line}`);
  const key = keyLine(subject);
  if (key) lines.push(`Key: ${key}`);
  for (const field of subject.fields) lines.push(`${field.label}: ${field.value}`);
  const risk = riskLabel(subject);
  if (risk && subject.risk) {
    lines.push('', risk);
    for (const reason of subject.risk.reasons) lines.push(`  - ${reason.text}`);
  }
  lines.push('', `Expires: ${subject.expiresAt}`);
  return lines;
}

/** The short key and how it compares with the agent's last request, as every channel words it. */
function keyLine(subject: DecisionSubject): string | undefined {
  if (!subject.agentKey) return undefined;
  return `${shortFingerprint(subject.agentKey.fingerprint)} (${AGENT_KEY_HISTORY_TEXT[subject.agentKey.history]})`;
}

/** The facts as simple HTML (escaped), for the email's HTML part and the confirmation page. */
export function decisionFactsHtml(subject: DecisionSubject): string {
  const key = keyLine(subject);
  const rows = [
    ['Reason', subject.reason],
    ['Approving allows', subject.summary.join('; ')],
    ...(key ? [['Key', key]] : []),
    ...subject.fields.map((field) => [field.label, field.value]),
    ['Expires', subject.expiresAt],
  ]
    .map(
      ([label, value]) =>
        `<tr><th align="left" valign="top">${escapeHtml(label ?? '')}</th><td>${escapeHtml(value ?? '')}</td></tr>`,
    )
    .join('');
  const risk = riskLabel(subject);
  const riskBlock =
    risk && subject.risk
      ? `<p><strong>${escapeHtml(risk)}</strong></p>${
          subject.risk.reasons.length > 0
            ? `<ul>${subject.risk.reasons.map((reason) => `<li>${escapeHtml(reason.text)}</li>`).join('')}</ul>`
            : ''
        }`
      : '';
  return `<h1 style="font-size:1.2em">${escapeHtml(subject.title)}</h1>${riskBlock}<table cellpadding="4">${rows}</table>`;
}
