import type { RiskLevel } from '@agent-otp/shared';
import { type ScannedValue, scanObject, textSegments } from './text-segments.js';

/** The built-in rules' IDs; the owner can change each one's level or turn it off. */
export const RISK_RULE_IDS = [
  'destructive-verb',
  'production-resource',
  'money',
  'broad-otp',
  'new-key',
] as const;
export type RiskRuleId = (typeof RISK_RULE_IDS)[number];

/** What the owner reads in settings about each rule, and the level it has until they change it. */
export const BUILT_IN_RISK_RULES: Record<RiskRuleId, { description: string; defaultLevel: RiskLevel }> = {
  'destructive-verb': {
    description:
      'The action or scope contains a verb that deletes or gives away something: delete, drop, destroy, truncate, purge, wipe, revoke, erase, transfer ownership…',
    defaultLevel: 'high',
  },
  'production-resource': {
    description:
      'The resource, scope or context names production: a host, path or database segment that is prod, production or live.',
    defaultLevel: 'elevated',
  },
  money: {
    description:
      'The action or scope moves money (pay, payment, transfer, charge, refund, withdraw…) or the scope or context holds an amount with a currency.',
    defaultLevel: 'high',
  },
  'broad-otp': {
    description:
      'A verification-code request with no sender pattern: any sender’s code would be released to the agent.',
    defaultLevel: 'elevated',
  },
  'new-key': {
    description: 'A verification-code request with a public key this agent has never used before.',
    defaultLevel: 'elevated',
  },
};

/** Verbs that delete, revoke or give away. Matched as whole segments, never as substrings. */
const DESTRUCTIVE_VERBS = new Set([
  'delete',
  'drop',
  'destroy',
  'truncate',
  'purge',
  'wipe',
  'revoke',
  'erase',
  'remove',
  'rm',
  'terminate',
  'deprovision',
  'unlink',
  'shred',
  'nuke',
]);
/** Two-word verbs, as consecutive segments (`transfer_ownership`, `transferOwnership`, `force-push`). */
const DESTRUCTIVE_PAIRS = new Set(['transfer ownership', 'force push', 'hard reset']);

const MONEY_VERBS = new Set([
  'pay',
  'payment',
  'payments',
  'payout',
  'payouts',
  'transfer',
  'transfers',
  'charge',
  'charges',
  'refund',
  'refunds',
  'withdraw',
  'withdrawal',
  'wire',
  'remit',
  'purchase',
  'buy',
]);

const PRODUCTION_SEGMENTS = new Set(['prod', 'production', 'live']);

/** ISO 4217 codes people write beside amounts; a bare three-letter word elsewhere is not a currency. */
const CURRENCY_CODES = new Set([
  'usd',
  'eur',
  'gbp',
  'jpy',
  'chf',
  'cad',
  'aud',
  'nzd',
  'cny',
  'inr',
  'sek',
  'nok',
  'dkk',
  'pln',
  'brl',
  'mxn',
  'sgd',
  'hkd',
  'krw',
  'zar',
  'btc',
  'eth',
  'usdc',
]);
const CURRENCY_SYMBOLS = new Set(['$', '€', '£', '¥', '₹', '₩', '₿']);
const AMOUNT_KEYS = new Set([
  'amount',
  'amount_cents',
  'amountcents',
  'price',
  'total',
  'value',
  'sum',
  'cost',
]);

/** What the rules read of a request. */
export interface RiskInput {
  kind: 'otp' | 'permission';
  action: string;
  resource: string;
  scope: Record<string, unknown>;
  context: Record<string, unknown>;
  /** OTP requests only: the sender pattern, null when there is none. */
  senderPattern?: string | null;
  /** OTP requests only: whether this agent used this public key before (undefined: unknown). */
  keySeenBefore?: boolean;
  /** OTP requests only: whether the agent made any earlier request. */
  agentHasHistory?: boolean;
}

/** What one rule found: plain words; the level is set by the caller from the owner's settings. */
export type RuleFinding = string | null;

function quote(text: string): string {
  const short = text.length > 80 ? `${text.slice(0, 79)}…` : text;
  return `\`${short}\``;
}

/** The first segment (or consecutive pair) of `segments` in `words`/`pairs`, as it reads. */
function findWord(
  segments: readonly string[],
  words: ReadonlySet<string>,
  pairs?: ReadonlySet<string>,
): string | null {
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as string;
    const next = segments[i + 1];
    if (pairs && next !== undefined && pairs.has(`${segment} ${next}`)) return `${segment}_${next}`;
    if (words.has(segment)) return segment;
  }
  return null;
}

/** The scope's and context's keys and values, walked once per request and shared by every rule. */
export type ScannedRequest = Array<{ where: 'scope' | 'context'; value: ScannedValue; segments: string[] }>;

/**
 * Walks a request's scope and context once (bounded, see {@link scanObject}).
 *
 * @example
 * const scanned = scanRequest(input); // [{ where: 'scope', value: { key: 'db', text: 'prod' } }, …]
 */
export function scanRequest(input: RiskInput): ScannedRequest {
  if (input.kind !== 'permission') return [];
  return [
    ...scanObject(input.scope).map((value) => ({
      where: 'scope' as const,
      value,
      segments: textSegments(value.text),
    })),
    // The free-text reason is prose ("I live in…"), not a resource name: left out.
    ...scanObject(input.context, ['reason']).map((value) => ({
      where: 'context' as const,
      value,
      segments: textSegments(value.text),
    })),
  ];
}

function destructiveVerb(input: RiskInput, scanned: ScannedRequest): RuleFinding {
  if (input.kind !== 'permission') return null;
  const verb = findWord(textSegments(input.action), DESTRUCTIVE_VERBS, DESTRUCTIVE_PAIRS);
  if (verb) return `deletes data: the action ${quote(input.action)} contains the verb '${verb}'`;
  for (const { where, value, segments } of scanned) {
    if (where !== 'scope') continue;
    const found = findWord(segments, DESTRUCTIVE_VERBS, DESTRUCTIVE_PAIRS);
    if (found) return `deletes data: the scope's ${quote(value.key)} contains the verb '${found}'`;
  }
  return null;
}

function productionResource(input: RiskInput, scanned: ScannedRequest): RuleFinding {
  if (input.kind !== 'permission') return null;
  const inResource = findWord(textSegments(input.resource), PRODUCTION_SEGMENTS);
  if (inResource)
    return `touches production: the resource ${quote(input.resource)} has the segment '${inResource}'`;
  for (const { where, value, segments } of scanned) {
    const found = findWord(segments, PRODUCTION_SEGMENTS);
    if (found) return `touches production: the ${where}'s ${quote(value.key)} has the segment '${found}'`;
  }
  return null;
}

/** `$12`, `12 EUR`, `EUR 12`, `12.50usd`: a number with a currency code or symbol right beside it. */
function amountWithCurrency(text: string, segments: readonly string[]): boolean {
  const end = Math.min(text.length, 2000);
  for (let i = 0; i < end; i += 1) {
    const char = text[i] as string;
    if (CURRENCY_SYMBOLS.has(char)) {
      const next = text.charCodeAt(i + 1);
      const before = text.charCodeAt(i - 1);
      if ((next >= 48 && next <= 57) || (before >= 48 && before <= 57)) return true;
    }
  }
  for (let i = 0; i < segments.length; i += 1) {
    const segment = segments[i] as string;
    const digits = /^\d/.test(segment);
    // "12usd" is one segment: digits then a currency code.
    const glued = digits && CURRENCY_CODES.has(segment.replace(/^\d+/, ''));
    const beside =
      (digits && CURRENCY_CODES.has(segments[i + 1] ?? '')) ||
      (CURRENCY_CODES.has(segment) && /^\d/.test(segments[i + 1] ?? ''));
    if (glued || beside) return true;
  }
  return false;
}

function money(input: RiskInput, scanned: ScannedRequest): RuleFinding {
  if (input.kind !== 'permission') return null;
  const actionSegments = textSegments(input.action);
  const verb = findWord(actionSegments, MONEY_VERBS, DESTRUCTIVE_PAIRS);
  // transfer_ownership is the destructive rule's; here only money verbs count.
  if (verb && !verb.includes('_')) return `moves money: the action ${quote(input.action)} contains '${verb}'`;
  const values = scanned;
  const hasCurrencyKey = values.some(
    ({ value }) => value.key.toLowerCase() === 'currency' && value.text !== 'currency',
  );
  for (const { where, value, segments } of values) {
    if (amountWithCurrency(value.text, segments))
      return `moves money: the ${where}'s ${quote(value.key)} is an amount with a currency (${quote(value.text)})`;
    if (hasCurrencyKey && value.number !== undefined && AMOUNT_KEYS.has(value.key.toLowerCase()))
      return `moves money: the ${where} holds an amount (${quote(value.key)}: ${value.text}) and a currency`;
  }
  return null;
}

function broadOtp(input: RiskInput): RuleFinding {
  if (input.kind !== 'otp' || input.senderPattern) return null;
  return 'broad request: no sender pattern, so a code from any sender would be released';
}

function newKey(input: RiskInput): RuleFinding {
  if (input.kind !== 'otp' || input.keySeenBefore !== false) return null;
  return input.agentHasHistory
    ? 'new key: this agent never used this public key before (its earlier requests used another)'
    : 'new key: the first request of this agent, with a key never seen before';
}

/** Each rule's check, pure and bounded: the same input always gives the same findings. */
export const RISK_RULE_CHECKS: Record<
  RiskRuleId,
  (input: RiskInput, scanned: ScannedRequest) => RuleFinding
> = {
  'destructive-verb': destructiveVerb,
  'production-resource': productionResource,
  money,
  'broad-otp': broadOtp,
  'new-key': newKey,
};
