import { createHash } from 'node:crypto';
import type { DecisionSubject } from '@agent-otp/core';
import { AGENT_KEY_HISTORY_TEXT, shortFingerprint } from '@agent-otp/shared';
import { escapeHtml, formatTime, userText } from './html.js';

/** What a message about a request shows: HTML text, and whether it carries the buttons. */
export interface RenderedDecision {
  html: string;
  buttons: boolean;
  /** Digest of both; a message is edited only when this changes. */
  hash: string;
}

/** Statuses after a decision that deserve a line of their own (the quiet follow-ups). */
const STATUS_LINES: Record<string, string> = {
  otp_received: '📨 The code arrived and waits, encrypted, for the agent.',
  consumed: '🔓 The agent has read the code; it is gone from the relay.',
  used: '🔓 The agent has used its permission.',
  expired: '⌛ Expired',
  cancelled:
    '🚫 Cancelled: withdrawn by the agent, ended by you (cancel or revoke), or the agent was revoked.',
};

const CHANNEL_NAMES: Record<string, string> = {
  cli: 'the CLI',
  dashboard: 'the dashboard',
  telegram: 'Telegram',
  api: 'the API',
  policy: 'a policy',
  system: 'the relay',
};

function headline(subject: DecisionSubject): string {
  if (subject.pending) return '🔔';
  if (subject.decision?.outcome === 'denied') return '❌';
  if (subject.status === 'expired' && !subject.decision) return '⌛';
  if (subject.status === 'cancelled' && !subject.decision) return '🚫';
  if (subject.decision?.outcome === 'approved') return '✅';
  return 'ℹ️';
}

const RISK_HEADINGS = {
  high: '🛑 <b>High risk</b>',
  elevated: '⚠️ <b>Elevated risk</b>',
  low: '🟢 <b>Low risk</b>',
};

/** The level (icon and word, never the icon alone) and each reason, in the owner's words. */
function riskLines(risk: DecisionSubject['risk']): string[] {
  if (!risk) return [];
  return [RISK_HEADINGS[risk.level], ...risk.reasons.map((reason) => `• ${userText(reason.text, 300)}`)];
}

/** What approving allows in plain words (the same lines as the dashboard card), and the key. */
function summaryLines(subject: DecisionSubject): string[] {
  const lines = ['<b>Approving allows:</b>', ...subject.summary.map((line) => `• ${userText(line, 300)}`)];
  if (subject.agentKey)
    lines.push(
      `<b>Key:</b> <code>${escapeHtml(shortFingerprint(subject.agentKey.fingerprint))}</code> (${escapeHtml(AGENT_KEY_HISTORY_TEXT[subject.agentKey.history])})`,
    );
  return lines;
}

/**
 * Whether approving this request needs the dashboard: a pending high-risk request is approved
 * only with a passkey (issue 15), which Telegram cannot ask for. Denying stays in Telegram.
 *
 * @example
 * if (approvesInDashboard(subject)) keyboard = decisionKeyboard(id, { approveInDashboard: url });
 */
export function approvesInDashboard(subject: Pick<DecisionSubject, 'pending' | 'risk'>): boolean {
  return subject.pending && subject.risk?.level === 'high';
}

function outcomeLines(subject: DecisionSubject, approvalUrl: string | undefined): string[] {
  if (approvesInDashboard(subject))
    return [
      `🔐 <b>Approve in the dashboard</b> with your passkey${approvalUrl ? `: ${escapeHtml(approvalUrl)}` : ''}`,
      '⏳ <i>Waiting for your decision. High risk: it can be denied here, not approved.</i>',
    ];
  if (subject.pending) return ['⏳ <i>Waiting for your decision.</i>'];
  const lines: string[] = [];
  const decision = subject.decision;
  if (decision) {
    const verb = decision.outcome === 'approved' ? '✅ <b>Approved</b>' : '❌ <b>Denied</b>';
    const channel = CHANNEL_NAMES[decision.channel] ?? decision.channel;
    lines.push(
      `${verb} by ${userText(decision.by, 120)} via ${escapeHtml(channel)} at ${formatTime(decision.at)}`,
    );
  }
  const status = STATUS_LINES[subject.status];
  if (subject.status === 'expired') {
    lines.push(
      decision
        ? `⌛ <b>Expired</b> at ${formatTime(subject.expiresAt)} before it was used.`
        : `⌛ <b>Expired</b> at ${formatTime(subject.expiresAt)} without a decision.`,
    );
  } else if (status) {
    // Revoking an agent cancels its open requests too, and the owner can end one from the
    // dashboard (issue 15), so the line names every cause.
    lines.push(
      status.startsWith('🚫')
        ? '🚫 <b>Cancelled</b>: withdrawn by the agent, ended by you (cancel or revoke), or the agent was revoked.'
        : status,
    );
  } else if (!decision) {
    lines.push(`Status: <code>${escapeHtml(subject.status)}</code>`);
  }
  return lines;
}

/**
 * The message about a request, for any kind of request the relay asks an owner to decide
 * (OTP access, one-time permissions): title, risk level and reasons, reason, every field, expiry, and either
 * "waiting" with buttons (for a high-risk request, a link to approve it in the dashboard) or
 * the outcome (who decided, through which channel, when).
 * Every user-supplied value is escaped.
 *
 * @example
 * const { html, buttons } = renderDecisionMessage(subject);
 */
export function renderDecisionMessage(
  subject: DecisionSubject,
  options: { approvalUrl?: string } = {},
): RenderedDecision {
  const lines = [
    `${headline(subject)} <b>${userText(subject.title, 200)}</b>`,
    ...riskLines(subject.risk),
    '',
    `<b>Reason:</b> ${userText(subject.reason, 500)}`,
    `<b>Agent:</b> ${userText(subject.agent.name, 100)}`,
    ...summaryLines(subject),
    ...subject.fields.map((f) => `<b>${userText(f.label, 60)}:</b> <code>${userText(f.value, 200)}</code>`),
    `<b>Expires:</b> ${formatTime(subject.expiresAt)}`,
    `<b>Request:</b> <code>${escapeHtml(subject.id)}</code>`,
    '',
    ...outcomeLines(subject, options.approvalUrl),
  ];
  const html = lines.join('\n');
  const buttons = subject.pending;
  const hash = createHash('sha256').update(JSON.stringify({ html, buttons })).digest('hex');
  return { html, buttons, hash };
}
