// Issue 9 item 7: a message goes to the most specific matching request; requests of different
// agents that tie are never decided by the relay. Pure ranking, no database.
import { describe, expect, it } from 'vitest';
import {
  describeSenderPattern,
  type IncomingMessage,
  type MatchableRequest,
  oldestPerAgent,
  routeMessage,
  senderTier,
} from '../src/index.js';

let clock = 0;
function request(agentId: string, senderPattern: string | null, extra: Partial<MatchableRequest> = {}) {
  clock += 1;
  const createdAt = new Date(Date.UTC(2026, 10, 30, 12, 0, clock)).toISOString();
  return {
    id: `otp_${String(clock).padStart(4, '0')}`,
    agentId,
    sources: ['email', 'sms'] as const,
    senderPattern,
    contentPattern: null,
    createdAt,
    notBefore: '2026-11-30T11:00:00.000Z',
    expiresAt: '2026-11-30T13:00:00.000Z',
    ...extra,
  } satisfies MatchableRequest;
}

const mail = (from: string, text = 'Your code is 123456'): IncomingMessage => ({
  source: 'email',
  from,
  text,
  receivedAt: new Date('2026-11-30T12:30:00.000Z'),
});
const textOf = (m: IncomingMessage) => m.text ?? '';
const ids = (rs: readonly { id: string }[]) => rs.map((r) => r.id);

describe('senderTier', () => {
  it.each([
    ['codes@bank.test', 'exact'],
    ['Acme', 'exact'],
    ['+15551234567', 'exact'],
    ['*@bank.test', 'domain'],
    ['no-reply*@bank.test', 'domain'],
    ['*@*.bank.test', 'subdomain'],
    ['*@bank.*', 'glob'],
    ['*@*', 'glob'],
    ['*bank*', 'glob'],
    ['bank*', 'glob'],
    ['+1555*', 'glob'],
    ['codes?@bank.test', 'domain'],
    ['acme[1]@bank.test', 'exact'],
    ['*', 'glob'],
    [null, 'any'],
    ['', 'any'],
  ] as const)('%s → %s', (pattern, tier) => {
    expect(senderTier(pattern)).toBe(tier);
  });

  it('shows a missing pattern as "any sender"', () => {
    expect(describeSenderPattern(null)).toBe('any sender');
    expect(describeSenderPattern('*@bank.test')).toBe('*@bank.test');
  });
});

describe('routeMessage', () => {
  it('an older broad request of another agent loses to a newer specific one', () => {
    for (const broad of [null, '*', '*bank*', '*@bank*']) {
      const old = request('newsletter', broad);
      const bank = request('bank', '*@bank.test');
      const decision = routeMessage([old, bank], mail('alerts@bank.test'), textOf);
      expect(decision).toEqual({ kind: 'deliver', ranked: [bank, old] });
    }
  });

  it('an exact address beats a domain glob', () => {
    const domain = request('a', '*@bank.test');
    const exact = request('b', 'alerts@bank.test');
    expect(routeMessage([domain, exact], mail('Alerts@Bank.test'), textOf)).toEqual({
      kind: 'deliver',
      ranked: [exact, domain],
    });
  });

  it('same agent, same tier: oldest first, no hold', () => {
    const first = request('a', '*@acme.test');
    const second = request('a', '*@acme.test');
    const decision = routeMessage([second, first], mail('x@acme.test'), textOf);
    expect(decision.kind).toBe('deliver');
    if (decision.kind === 'deliver') expect(ids(decision.ranked)).toEqual([first.id, second.id]);
  });

  it('different agents in the best tier: ambiguous, with the lower tiers as fallback', () => {
    const a = request('a', '*@acme.test');
    const b = request('b', '*@acme.test');
    const broad = request('c', null);
    const decision = routeMessage([broad, b, a], mail('x@acme.test'), textOf);
    expect(decision).toEqual({ kind: 'ambiguous', requests: [a, b], fallback: [broad] });
  });

  it('a content pattern does not break a tie (an agent could satisfy almost any message with one)', () => {
    const a = request('a', '*@acme.test', { contentPattern: 'code' });
    const b = request('b', '*@acme.test');
    expect(routeMessage([a, b], mail('x@acme.test'), textOf).kind).toBe('ambiguous');
  });

  it('requests that do not match are not candidates at all', () => {
    const other = request('a', '*@other.test');
    const content = request('b', '*@acme.test', { contentPattern: 'password reset' });
    const sms = request('c', null, { sources: ['sms'] });
    const late = request('d', null, { notBefore: '2026-11-30T12:45:00.000Z' });
    expect(routeMessage([other, content, sms, late], mail('x@acme.test'), textOf)).toEqual({ kind: 'none' });
  });

  it('oldestPerAgent keeps one request per agent, the oldest', () => {
    const a1 = request('a', null);
    const b1 = request('b', null);
    const a2 = request('a', null);
    expect(ids(oldestPerAgent([a1, b1, a2]))).toEqual([a1.id, b1.id]);
  });

  it('stays linear: 5,000 tied requests of 5,000 agents route in one pass', () => {
    const many = Array.from({ length: 5_000 }, (_, i) => request(`agent-${i}`, '*@acme.test'));
    const decision = routeMessage(many, mail('x@acme.test'), textOf);
    expect(decision.kind).toBe('ambiguous');
    if (decision.kind === 'ambiguous') expect(decision.requests).toHaveLength(5_000);
  });
});
