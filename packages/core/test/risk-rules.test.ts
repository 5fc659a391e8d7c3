import {
  assessRisk,
  BUILT_IN_RISK_RULES,
  RISK_RULE_IDS,
  type RiskInput,
  type RiskRuleId,
} from '@agent-otp/core';
import type { RiskLevel } from '@agent-otp/shared';
import { describe, expect, it } from 'vitest';
import { MAX_RISK_VALUES, scanObject, textSegments } from '../src/risk/text-segments.js';

const defaults = Object.fromEntries(
  RISK_RULE_IDS.map((id) => [id, BUILT_IN_RISK_RULES[id].defaultLevel]),
) as Record<RiskRuleId, RiskLevel>;
const permission = (overrides: Partial<RiskInput>): RiskInput => ({
  kind: 'permission',
  action: 'calendar.create',
  resource: 'calendar:primary',
  scope: {},
  context: {},
  ...overrides,
});
const rulesOf = (input: RiskInput) => assessRisk(input, {}, null, defaults).reasons.map((r) => r.rule);

describe('textSegments', () => {
  it('splits identifiers, URLs and camelCase into lowercase words', () => {
    expect(textSegments('postgres://prod-db/users')).toEqual(['postgres', 'prod', 'db', 'users']);
    expect(textSegments('db.dropTable')).toEqual(['db', 'drop', 'table']);
    expect(textSegments('repo.transfer_ownership')).toEqual(['repo', 'transfer', 'ownership']);
    expect(textSegments('')).toEqual([]);
  });
});

describe('built-in risk rules', () => {
  it('rates db.drop_table on postgres://prod/users high, with both reasons in plain words', () => {
    const risk = assessRisk(
      permission({ action: 'db.drop_table', resource: 'postgres://prod/users' }),
      {},
      null,
      defaults,
    );
    expect(risk.level).toBe('high');
    expect(risk.reasons).toEqual([
      {
        rule: 'destructive-verb',
        level: 'high',
        text: "deletes data: the action `db.drop_table` contains the verb 'drop'",
      },
      {
        rule: 'production-resource',
        level: 'elevated',
        text: "touches production: the resource `postgres://prod/users` has the segment 'prod'",
      },
    ]);
  });

  it('rates calendar.create low, with no reason', () => {
    expect(assessRisk(permission({}), {}, null, defaults)).toEqual({ level: 'low', reasons: [] });
  });

  it('matches verbs and production names as whole segments only', () => {
    expect(
      rulesOf(
        permission({ action: 'files.dropbox_sync', resource: 'https://productivity.example/reproduce' }),
      ),
    ).toEqual([]);
    expect(rulesOf(permission({ action: 'repo.transferOwnership' }))).toEqual(['destructive-verb']);
    expect(rulesOf(permission({ resource: 'https://api.live.example.com/v1' }))).toEqual([
      'production-resource',
    ]);
    expect(rulesOf(permission({ scope: { database: 'production' } }))).toEqual(['production-resource']);
    expect(rulesOf(permission({ scope: { mode: 'purge_all' } }))).toEqual(['destructive-verb']);
  });

  it('ignores the free-text reason for production names', () => {
    expect(rulesOf(permission({ context: { reason: 'I live in Lisbon and need a prod reminder' } }))).toEqual(
      [],
    );
  });

  it('sees money in verbs and in amounts with a currency', () => {
    expect(rulesOf(permission({ action: 'stripe.refund' }))).toEqual(['money']);
    expect(rulesOf(permission({ action: 'bank.transfer' }))).toEqual(['money']);
    expect(rulesOf(permission({ scope: { limit: '$250' } }))).toEqual(['money']);
    expect(rulesOf(permission({ context: { note: 'up to 40 EUR' } }))).toEqual(['money']);
    expect(rulesOf(permission({ scope: { amount: 1200, currency: 'usd' } }))).toEqual(['money']);
    expect(rulesOf(permission({ scope: { max_emails: 3, subject: 'Invoice 2026' } }))).toEqual([]);
    // transfer_ownership gives something away, it does not pay.
    expect(rulesOf(permission({ action: 'repo.transfer_ownership' }))).toEqual(['destructive-verb']);
  });

  it('flags an OTP request with no sender pattern, and a key the agent never used', () => {
    const otp: RiskInput = { kind: 'otp', action: 'otp.request', resource: '', scope: {}, context: {} };
    expect(rulesOf({ ...otp, senderPattern: null, keySeenBefore: true })).toEqual(['broad-otp']);
    expect(rulesOf({ ...otp, senderPattern: '*@acme.com', keySeenBefore: true })).toEqual([]);
    const fresh = assessRisk(
      { ...otp, senderPattern: '*@acme.com', keySeenBefore: false, agentHasHistory: true },
      {},
      null,
      defaults,
    );
    expect(fresh.reasons[0]?.text).toMatch(/never used this public key before/);
  });

  it('uses the owner’s levels, skips rules turned off, and adds the policy’s risk', () => {
    const input = permission({ action: 'db.drop_table', resource: 'postgres://prod/users' });
    const risk = assessRisk(
      input,
      { 'destructive-verb': 'off', 'production-resource': 'low' },
      null,
      defaults,
    );
    expect(risk).toEqual({
      level: 'low',
      reasons: [expect.objectContaining({ rule: 'production-resource', level: 'low' })],
    });
    const withPolicy = assessRisk(
      permission({}),
      {},
      { name: 'calendar writes', risk: 'elevated' },
      defaults,
    );
    expect(withPolicy).toEqual({
      level: 'elevated',
      reasons: [
        { rule: 'policy', level: 'elevated', text: 'the policy "calendar writes" rates it elevated' },
      ],
    });
  });
});

describe('bounded on attack-size input', () => {
  it('reads a capped prefix of a megabyte-long action and resource', () => {
    const huge = `${'a'.repeat(1_000_000)}.drop`;
    expect(rulesOf(permission({ action: huge, resource: `${'x/'.repeat(500_000)}prod` }))).toEqual([]);
    expect(textSegments('ab'.repeat(1_000_000)).join('').length).toBeLessThanOrEqual(2000);
  });

  it('walks at most a bounded number of values of a huge or deep scope', () => {
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, 'v']));
    expect(scanObject({ ...wide, last: 'prod' }).length).toBe(MAX_RISK_VALUES);
    expect(rulesOf(permission({ scope: { ...wide, last: 'prod' } }))).toEqual([]);
    let deep: Record<string, unknown> = { db: 'prod' };
    for (let i = 0; i < 10_000; i += 1) deep = { nested: deep };
    expect(rulesOf(permission({ scope: deep }))).toEqual([]);
    const longArray = { hosts: Array.from({ length: 1_000_000 }, () => 'staging') };
    expect(scanObject(longArray).length).toBe(MAX_RISK_VALUES);
  });

  it('finds money in a long run of digits and currency-like text without backtracking', () => {
    const digits = `${'9'.repeat(1_000_000)} usd`;
    expect(rulesOf(permission({ scope: { note: digits } }))).toEqual([]);
    expect(rulesOf(permission({ scope: { note: `${'€ '.repeat(500_000)}` } }))).toEqual([]);
  });
});
