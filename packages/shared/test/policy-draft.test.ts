import { describe, expect, it } from 'vitest';
import { alwaysAllowDraft, describeCondition } from '../src/policy-draft.js';
import type { DecisionSubjectResponse } from '../src/schemas/approvals.js';

// "Always allow like this" (issue 15): the draft accepts the request it came from and
// nothing broader; the dashboard and Telegram both offer exactly this.

function subject(overrides: Partial<DecisionSubjectResponse>): DecisionSubjectResponse {
  return {
    kind: 'permission',
    id: 'prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
    ownerId: 'usr_1',
    agent: { id: 'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N', name: 'mailer' },
    status: 'pending_approval',
    pending: true,
    title: 'mailer requests permission',
    reason: 'invoice',
    fields: [],
    summary: [],
    details: {},
    agentKey: null,
    createdAt: '2026-12-01T08:00:00.000Z',
    expiresAt: '2026-12-01T08:05:00.000Z',
    decision: null,
    risk: null,
    ...overrides,
  };
}

describe('alwaysAllowDraft', () => {
  it('matches the action, the resource and a scope no broader, for this agent only', () => {
    const draft = alwaysAllowDraft(
      subject({
        details: {
          action: 'gmail.send',
          resource: 'email:a@acme.com',
          scope: {
            max_emails: 1,
            subject_pattern: '^Invoice',
            allowed_to: ['a@acme.com'],
            window: { from: 'x' },
          },
          requestedScope: {
            max_emails: 1,
            subject_pattern: '^Invoice',
            allowed_to: ['a@acme.com'],
            window: { from: 'x' },
          },
          context: {},
        },
      }),
    );
    expect(draft).toEqual({
      name: 'Always allow mailer: gmail.send on email:a@acme.com',
      description: 'Created with "Always allow like this" from request prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N.',
      priority: 0,
      action: 'auto_approve',
      appliesTo: 'permission',
      agentId: 'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
      conditions: {
        action: { equals: 'gmail.send' },
        resource: { equals: 'email:a@acme.com' },
        'scope.max_emails': { lessThanOrEqual: 1 },
        'scope.subject_pattern': { equals: '^Invoice' },
        'scope.allowed_to': { in: ['a@acme.com'] },
      },
    });
  });

  it("compares with what the agent asked for, not a policy template's scope", () => {
    const draft = alwaysAllowDraft(
      subject({
        details: {
          action: 'a',
          resource: 'r',
          scope: { max_uses: 1 },
          requestedScope: { max_uses: 5 },
          context: {},
        },
      }),
    );
    expect(draft.conditions['scope.max_uses']).toEqual({ lessThanOrEqual: 5 });
  });

  it('for a code: the sender pattern (or none at all) and the sources', () => {
    const otp = (senderPattern: string | null) =>
      alwaysAllowDraft(
        subject({
          kind: 'otp',
          details: { sources: ['sms', 'email'], senderPattern, expectedSender: null, contentPattern: null },
        }),
      );
    expect(otp('*@acme.com').conditions).toEqual({
      'otp.senderPattern': { equals: '*@acme.com' },
      'otp.sources': { in: ['sms', 'email'] },
    });
    expect(otp(null).conditions['otp.senderPattern']).toEqual({ exists: false });
    expect(otp(null).name).toBe('Always allow mailer: codes from any sender');
    expect(otp(null).appliesTo).toBe('otp');
  });

  it('keeps the name within the 200 characters a policy name may have', () => {
    const draft = alwaysAllowDraft(
      subject({ details: { action: 'a', resource: 'r'.repeat(400), scope: {}, context: {} } }),
    );
    expect(draft.name.length).toBe(200);
  });
});

describe('describeCondition', () => {
  it('reads each operator in words', () => {
    expect(describeCondition('scope.max_emails', { lessThanOrEqual: 1 })).toBe('scope.max_emails at most 1');
    expect(describeCondition('otp.sources', { in: ['sms', 'email'] })).toBe('otp.sources within sms, email');
    expect(describeCondition('otp.senderPattern', { exists: false })).toBe('otp.senderPattern is not set');
    expect(describeCondition('action', { equals: 'gmail.send' })).toBe('action is gmail.send');
  });
});
