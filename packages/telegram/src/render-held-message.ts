import { createHash } from 'node:crypto';
import type { HeldMessageView } from '@agent-otp/core';
import { escapeHtml, formatTime, userText } from './html.js';
import type { RenderedDecision } from './render-decision.js';

function outcomeLine(view: HeldMessageView): string {
  switch (view.status) {
    case 'pending':
      return '⏳ <i>Requests of several agents match it equally well, so the relay did not guess. Give it to one; the others never see it.</i>';
    case 'assigned':
      return `📨 <b>Given to ${userText(view.assignedTo?.agentName ?? 'a request', 100)}</b> (<code>${escapeHtml(
        view.assignedTo?.requestId ?? '',
      )}</code>) by ${userText(view.closedBy ?? 'the owner', 120)} at ${formatTime(view.closedAt ?? view.createdAt)}`;
    case 'discarded':
      return `🗑 <b>Discarded</b> by ${userText(view.closedBy ?? 'the owner', 120)} at ${formatTime(view.closedAt ?? view.createdAt)}`;
    case 'expired':
      return `⌛ <b>Expired</b> at ${formatTime(view.expiresAt)} without being assigned.`;
  }
}

/**
 * The message about a held message: sender, time, each candidate (agent, reason, sender
 * pattern or "any sender") while it waits, or how it ended. Never the code or the subject:
 * the relay has neither in the clear. Every user-supplied value is escaped.
 *
 * @example
 * const { html, buttons } = renderHeldMessage(view);
 */
export function renderHeldMessage(view: HeldMessageView): RenderedDecision {
  const pending = view.status === 'pending';
  const lines = [
    `${pending ? '🔔' : 'ℹ️'} <b>Which agent should get the code from ${userText(view.sender, 200)}?</b>`,
    '',
    `<b>Source:</b> ${view.source === 'sms' ? 'SMS' : 'email'}`,
    `<b>Received:</b> ${formatTime(view.receivedAt)}`,
    ...(pending
      ? view.candidates.map(
          (c) =>
            `• <b>${userText(c.agent.name, 100)}</b>: ${userText(c.reason, 200)} (sender pattern <code>${userText(
              c.senderLabel,
              100,
            )}</code>)`,
        )
      : []),
    `<b>Expires:</b> ${formatTime(view.expiresAt)}`,
    `<b>Held message:</b> <code>${escapeHtml(view.id)}</code>`,
    '',
    outcomeLine(view),
  ];
  const html = lines.join('\n');
  const buttons = pending;
  const hash = createHash('sha256')
    .update(JSON.stringify({ html, buttons, candidates: view.candidates.map((c) => c.requestId) }))
    .digest('hex');
  return { html, buttons, hash };
}
