import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  type CompiledPolicy,
  evaluatePolicySet,
  PolicyFileError,
  type PolicyInput,
  parsePolicyYaml,
} from '@agent-otp/core';
import { compileSafePattern, UnsafePatternError } from '@agent-otp/shared';
import { describe, expect, it } from 'vitest';

const example = (name: string) =>
  readFileSync(fileURLToPath(new URL(`../../../docs/examples/${name}`, import.meta.url)), 'utf8');

const agent = { id: 'agt_1', name: 'mailer' };
const permission = (overrides: Partial<PolicyInput>): PolicyInput => ({
  kind: 'permission',
  ownerId: 'usr_1',
  action: 'noop',
  resource: 'r',
  scope: {},
  context: {},
  agent,
  ...overrides,
});

function parseFailure(text: string): PolicyFileError {
  try {
    parsePolicyYaml(text, 'policies.yaml');
  } catch (error) {
    if (error instanceof PolicyFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be refused');
}

describe('the seed README policies', () => {
  const policies = parsePolicyYaml(example('seed-policies.yaml'), 'seed-policies.yaml');

  it('auto-approves a small file read and grants the template scope instead of the requested one', () => {
    const outcome = evaluatePolicySet(
      policies,
      permission({
        action: 'file.read',
        resource: 'file:/notes.md',
        scope: { size_limit: 4096, anything: true },
      }),
    );
    expect(outcome.decision).toBe('auto_approve');
    expect(outcome.policy?.name).toBe('Auto-approve file reads');
    expect(outcome.scope).toEqual({ max_size: 1048576, allowed_extensions: ['.txt', '.md', '.json'] });
  });

  it('denies a large file read, and one that states no size (the default deny)', () => {
    for (const scope of [{ size_limit: 1048576 }, { size_limit: 50_000_000 }, {}, { size_limit: 'small' }]) {
      const outcome = evaluatePolicySet(policies, permission({ action: 'file.read', scope }));
      expect(outcome.decision).toBe('deny');
      expect(outcome.policy?.name).toBe('Default deny');
    }
  });

  it('requires approval for every bank.* action', () => {
    for (const action of ['bank.transfer', 'bank.read']) {
      const outcome = evaluatePolicySet(policies, permission({ action }));
      expect(outcome).toMatchObject({
        decision: 'require_approval',
        policy: { name: 'Financial operations require approval', priority: 100 },
      });
    }
    expect(evaluatePolicySet(policies, permission({ action: 'banking.transfer' })).decision).toBe('deny');
  });

  it('auto-approves internal e-mail only', () => {
    const internal = evaluatePolicySet(
      policies,
      permission({ action: 'gmail.send', context: { recipient: 'alice@mycompany.com' } }),
    );
    expect(internal).toMatchObject({
      decision: 'auto_approve',
      policy: { name: 'Auto-approve internal emails' },
    });
    for (const recipient of ['client@example.com', 'alice@mycompany.com.evil.io', 'alice@mycompanyXcom']) {
      const outcome = evaluatePolicySet(
        policies,
        permission({ action: 'gmail.send', context: { recipient } }),
      );
      expect(outcome.decision).toBe('deny');
    }
  });

  it('denies everything else', () => {
    expect(evaluatePolicySet(policies, permission({ action: 'slack.post' })).decision).toBe('deny');
  });

  it('does not govern OTP requests (permission policies unless they say otherwise)', () => {
    const outcome = evaluatePolicySet(policies, {
      ...permission({ kind: 'otp', action: 'otp.request' }),
      otp: { sources: ['email'], senderPattern: null, expectedSender: null, contentPattern: null },
    });
    expect(outcome).toMatchObject({ decision: 'require_approval', policy: null });
  });
});

describe('OTP policies', () => {
  const policies = parsePolicyYaml(example('otp-policies.yaml'), 'otp-policies.yaml');
  const otp = (agentName: string, sources: string[], senderPattern: string | null): PolicyInput => ({
    ...permission({ kind: 'otp', action: 'otp.request', agent: { id: 'agt_x', name: agentName } }),
    otp: { sources, senderPattern, expectedSender: null, contentPattern: null },
  });

  it('targets OTP requests because they test otp.*', () => {
    expect(policies.map((p) => p.appliesTo)).toEqual(['otp', 'otp']);
  });

  it('auto-approves GitHub e-mail codes for github-bot only', () => {
    expect(evaluatePolicySet(policies, otp('github-bot', ['email'], '*@github.com')).decision).toBe(
      'auto_approve',
    );
    expect(evaluatePolicySet(policies, otp('github-bot', ['email', 'sms'], '*@github.com')).decision).toBe(
      'require_approval',
    );
    expect(evaluatePolicySet(policies, otp('github-bot', ['email'], '*@gitlab.com')).decision).toBe(
      'require_approval',
    );
    expect(evaluatePolicySet(policies, otp('other', ['email'], '*@github.com')).decision).toBe(
      'require_approval',
    );
  });

  it('denies SMS for scraper', () => {
    expect(evaluatePolicySet(policies, otp('scraper', ['sms'], null)).decision).toBe('deny');
    expect(evaluatePolicySet(policies, otp('scraper', ['email', 'sms'], null)).decision).toBe('deny');
    expect(evaluatePolicySet(policies, otp('scraper', ['email'], null)).decision).toBe('require_approval');
  });
});

describe('operators', () => {
  const decide = (conditions: string, input: Partial<PolicyInput>) =>
    evaluatePolicySet(
      parsePolicyYaml(`- name: t\n  conditions: ${conditions}\n  action: auto_approve\n`, 'p.yaml'),
      permission(input),
    ).decision;

  it.each([
    ['{ action: { equals: "a.b" } }', { action: 'a.b' }, 'auto_approve'],
    ['{ action: { notEquals: "a.b" } }', { action: 'a.b' }, 'require_approval'],
    ['{ resource: { startsWith: "file:" } }', { resource: 'file:/x' }, 'auto_approve'],
    ['{ resource: { endsWith: ".md" } }', { resource: 'file:/x.txt' }, 'require_approval'],
    ['{ resource: { contains: "secret" } }', { resource: 'file:/secret/x' }, 'auto_approve'],
    ['{ scope.tags: { contains: "a" } }', { scope: { tags: ['a', 'b'] } }, 'auto_approve'],
    ['{ resource: { matches: "^file:/[a-z]+$" } }', { resource: 'file:/abc' }, 'auto_approve'],
    ['{ action: { in: ["x", "y"] } }', { action: 'y' }, 'auto_approve'],
    ['{ action: { notIn: ["x", "y"] } }', { action: 'y' }, 'require_approval'],
    ['{ scope.n: { lessThan: 5 } }', { scope: { n: 5 } }, 'require_approval'],
    ['{ scope.n: { lessThanOrEqual: 5 } }', { scope: { n: 5 } }, 'auto_approve'],
    ['{ scope.n: { greaterThan: 5 } }', { scope: { n: 6 } }, 'auto_approve'],
    ['{ scope.n: { greaterThanOrEqual: 5 } }', { scope: { n: 4 } }, 'require_approval'],
    ['{ scope.n: { greaterThan: 5 } }', { scope: { n: '6' } }, 'require_approval'],
    ['{ context.ticket: { exists: true } }', { context: { ticket: 'T-1' } }, 'auto_approve'],
    ['{ context.ticket: { exists: false } }', { context: { ticket: 'T-1' } }, 'require_approval'],
    ['{ context.ticket: { exists: false } }', { context: {} }, 'auto_approve'],
    ['{ context.ticket: { notEquals: "x" } }', { context: {} }, 'require_approval'],
    ['{ scope.limits.count: { lessThan: 3 } }', { scope: { limits: { count: 2 } } }, 'auto_approve'],
    ['{ agent.name: { equals: "mailer" } }', {}, 'auto_approve'],
    ['{ context.toString: { exists: true } }', { context: {} }, 'require_approval'],
  ] as const)('%s on %j → %s', (conditions, input, expected) => {
    expect(decide(conditions, input as Partial<PolicyInput>)).toBe(expected);
  });
});

describe('priority, ties and failure', () => {
  const yaml = (...policies: string[]) => policies.join('\n');

  it('the highest priority wins regardless of order', () => {
    const policies = parsePolicyYaml(
      yaml(
        '- { name: low, conditions: {}, action: auto_approve, priority: 1 }',
        '- { name: high, conditions: {}, action: deny, priority: 2 }',
      ),
      'p.yaml',
    );
    expect(evaluatePolicySet(policies, permission({})).policy?.name).toBe('high');
  });

  it('at equal priority the more cautious action wins, then the earlier policy', () => {
    const policies = parsePolicyYaml(
      yaml(
        '- { name: approve, conditions: {}, action: auto_approve }',
        '- { name: ask-1, conditions: {}, action: require_approval }',
        '- { name: ask-2, conditions: {}, action: require_approval }',
      ),
      'p.yaml',
    );
    expect(evaluatePolicySet(policies, permission({})).policy?.name).toBe('ask-1');
    expect(evaluatePolicySet([...policies].reverse(), permission({})).policy?.name).toBe('ask-1');
  });

  it('no match means require_approval', () => {
    expect(evaluatePolicySet([], permission({}))).toMatchObject({
      decision: 'require_approval',
      policy: null,
    });
  });

  it('never auto-approves when another policy cannot be evaluated (text too long for its pattern)', () => {
    const policies = parsePolicyYaml(
      yaml(
        '- { name: block-evil, conditions: { context.recipient: { matches: "@evil\\\\.com$" } }, action: deny, priority: 5 }',
        '- { name: approve-all, conditions: {}, action: auto_approve }',
      ),
      'p.yaml',
    );
    const long = `${'a'.repeat(5000)}@evil.com`;
    const outcome = evaluatePolicySet(policies, permission({ context: { recipient: long } }));
    expect(outcome.decision).toBe('require_approval');
    expect(outcome.failed).toEqual([{ policy: 'block-evil', error: expect.stringContaining('longer than') }]);
    expect(evaluatePolicySet(policies, permission({ context: { recipient: 'x@evil.com' } })).decision).toBe(
      'deny',
    );
    expect(evaluatePolicySet(policies, permission({ context: { recipient: 'x@good.com' } })).decision).toBe(
      'auto_approve',
    );
  });

  it('a stored policy that no longer compiles counts as failing', () => {
    const [approve] = parsePolicyYaml('- { name: ok, conditions: {}, action: auto_approve }', 'p.yaml');
    const broken: CompiledPolicy = {
      ...(approve as CompiledPolicy),
      id: 'pol_x',
      name: 'broken',
      broken: 'bad JSON',
    };
    const outcome = evaluatePolicySet([approve as CompiledPolicy, broken], permission({}));
    expect(outcome.decision).toBe('require_approval');
  });
});

describe('invalid policy files name the line', () => {
  it.each([
    ['- name: a\n  conditions: {}\n  action: maybe\n', 3, 'action'],
    [
      '- name: a\n  action: deny\n- name: b\n  conditions:\n    scope.size: { lessThen: 3 }\n  action: deny\n',
      5,
      'lessThen',
    ],
    ['- name: a\n  conditions:\n    weird.path: { equals: 1 }\n  action: deny\n', 3, 'unknown path'],
    ['- name: a\n  conditions:\n    resource: { matches: "(?=a)b" }\n  action: deny\n', 3, 'lookahead'],
    ['- name: a\n  conditions:\n    resource: { matches: "[" }\n  action: deny\n', 3, 'regular expression'],
    [
      '- name: a\n  conditions: { otp.sources: { contains: sms } }\n  action: deny\n  appliesTo: permission\n',
      2,
      'otp',
    ],
    ['- name: a\n  action: deny\n  priority: "high"\n', 3, 'priority'],
    ['- name: a\n  action: deny\n  action: auto_approve\n', 3, 'unique'],
    ['- name: a\n  action: deny\n- name: b\n  action: deny: x\n', 4, 'nested mappings'],
    ['name: a\n', 1, 'list of policies'],
  ])('%j → line %i', (text, line, words) => {
    const error = parseFailure(text);
    expect(error.line).toBe(line);
    expect(error.message).toContain(`policies.yaml:${line}:`);
    expect(error.message.toLowerCase()).toContain(words.toLowerCase());
  });

  it('accepts an empty file and a "policies:" wrapper', () => {
    expect(parsePolicyYaml('', 'p.yaml')).toEqual([]);
    expect(parsePolicyYaml('policies:\n  - { name: a, action: deny }\n', 'p.yaml')).toHaveLength(1);
  });
});

describe('safe patterns (run against agent-controlled text)', () => {
  // Issue 9 item 2: patterns run on a linear-time engine (RE2), so nested quantifiers are
  // harmless; what RE2 cannot express, and oversized patterns, are refused.
  it.each(['(a|aa)+\\1', '(?=a)b', '(?<!a)b', 'a++', 'x'.repeat(201), '[a-z]{600}'])(
    'refuses %s',
    (pattern) => {
      expect(() => compileSafePattern(pattern)).toThrow(UnsafePatternError);
    },
  );

  it.each([
    ['^Invoice.*', 'Invoice #1'],
    ['.*@mycompany\\.com$', 'bob@mycompany.com'],
    ['^[A-Z]{3}-\\d{4}$', 'ABC-1234'],
    ['(foo|bar)?baz', 'foobaz'],
    ['(ab)+', 'abab'],
    ['[(a+)+]', '+'],
    ['(a+)+$', 'aaa'],
    ['(a*)*b', 'aab'],
    ['(\\w+\\s?)*$', 'two words'],
    ['(.*a){5}', 'aaaaa'],
    ['a*b*c*d*', ''],
  ])('accepts %s', (pattern, text) => {
    expect(compileSafePattern(pattern).test(text)).toBe(true);
  });
});

describe('a policy’s risk (issue 15)', () => {
  const file = [
    '- { name: watched, conditions: { resource: { contains: billing } }, action: require_approval, risk: high }',
    '- { name: quiet, conditions: {}, action: require_approval, priority: -1 }',
  ].join('\n');
  const policies = parsePolicyYaml(file, 'p.yaml');

  it('is the winner’s risk, and null when the winner says nothing or nothing matches', () => {
    expect(evaluatePolicySet(policies, permission({ resource: 'db:billing' })).risk).toBe('high');
    expect(evaluatePolicySet(policies, permission({ resource: 'db:notes' })).risk).toBeNull();
    expect(evaluatePolicySet([], permission({})).risk).toBeNull();
  });

  it('refuses a level that is not low, elevated or high, naming the file, line and field', () => {
    const error = parseFailure('- name: t\n  action: deny\n  risk: extreme\n');
    expect(error.message).toMatch(/risk/);
    expect(error.message).toMatch(/^policies\.yaml:3:\d+: policy 1 \("t"\) risk/);
  });
});
