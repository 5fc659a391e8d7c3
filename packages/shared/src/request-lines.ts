// What a request would allow, in plain words, one fact per line. Every channel that asks the
// owner to decide (dashboard card, Telegram, email, CLI) shows these same lines, built here
// from the scope's conventions (`max_uses`, `max_<field>`, `<field>_pattern`,
// `allowed_<field>`, `require_details`; every other key is informational) so a reader never
// has to parse JSON to know what approving grants. Pure: no clock, no locale, no I/O.

/** The longest text of one value before it is shortened with "…" (lines stay readable). */
const MAX_VALUE_TEXT = 120;
/** How many list items are named before "and N more". */
const MAX_LIST_ITEMS = 5;

const SOURCE_NAMES: Readonly<Record<string, string>> = { sms: 'SMS', email: 'email' };

/** Keys whose value is the end of a time window ("until …"). */
const UNTIL_KEYS = /^(until|expires?(_at)?|not_after|valid_until|end(s|_at|_time)?|before|deadline)$/i;
/** Keys whose value is the start of a time window ("from …"). */
const FROM_KEYS = /^(from|not_before|valid_from|start(s|_at|_time)?|after)$/i;
/** Keys that hold an amount of money, paired with a `currency` key when there is one. */
const AMOUNT_KEYS = /^(amount|total|price|sum|value|limit)$/i;
/** An ISO 8601 date-time (what agents send for times). */
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/;
/** A time of day ("18:00", "09:30:00"). */
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d)?$/;

/**
 * Controls (line breaks included: a fact is one line) and bidirectional overrides, which
 * could make an agent's text read differently from what it says (an approval line must not
 * be reorderable).
 */
const CONTROL_OR_BIDI = /[\p{Cc}\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/gu;

/** Every value an agent supplied passes through here: one visible line, at most `max` long. */
function shorten(text: string, max = MAX_VALUE_TEXT): string {
  const visible = text.replace(CONTROL_OR_BIDI, '\uFFFD');
  return visible.length > max ? `${visible.slice(0, max - 1)}…` : visible;
}

/** `max_emails` → `emails`, `subject_pattern` → `subject`, `send-to` → `send to`. */
function words(key: string): string {
  return key.replaceAll(/[_-]+/g, ' ').trim();
}

/** "emails" with 1 → "email": English plural of a counted field name, good enough for keys. */
function counted(count: number, noun: string): string {
  if (count !== 1) return `${count} ${noun}`;
  if (/ies$/.test(noun)) return `1 ${noun.slice(0, -3)}y`;
  if (/(ss|sh|ch|x)es$/.test(noun)) return `1 ${noun.slice(0, -2)}`;
  if (/[^s]s$/.test(noun)) return `1 ${noun.slice(0, -1)}`;
  return `1 ${noun}`;
}

/** "a", "a or b", "a, b or c", "a, b, c, d, e and 3 more". */
function oneOf(items: readonly unknown[], joiner: 'or' | 'and' = 'or'): string {
  const texts = items.slice(0, MAX_LIST_ITEMS).map((item) => valueText(item));
  const rest = items.length - texts.length;
  if (rest > 0) return `${texts.join(', ')} and ${rest} more`;
  if (texts.length <= 1) return texts[0] ?? '(none)';
  return `${texts.slice(0, -1).join(', ')} ${joiner} ${texts.at(-1)}`;
}

/** A time as it reads in a line: "18:00 UTC on 2026-12-01", keeping the agent's offset if not UTC. */
function timeText(value: string): string {
  if (!ISO_DATE_TIME.test(value)) return value;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const iso = date.toISOString();
  return `${iso.slice(11, 16)} UTC on ${iso.slice(0, 10)}`;
}

/** Any scope or context value as text: lists joined, objects as "key value" pairs. */
function valueText(value: unknown): string {
  if (value === null || value === undefined) return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return shorten(ISO_DATE_TIME.test(value) ? timeText(value) : value);
  if (Array.isArray(value)) return value.length === 0 ? '(none)' : oneOf(value, 'and');
  if (typeof value === 'object')
    return shorten(
      Object.entries(value as Record<string, unknown>)
        .map(([key, inner]) => `${words(key)} ${valueText(inner)}`)
        .join(', '),
    );
  return shorten(String(value));
}

/** One informational key (no enforced meaning) as a line, by the shape and name of its value. */
function informationLine(key: string, value: unknown): string {
  const name = words(key);
  if (typeof value === 'string' && (ISO_DATE_TIME.test(value) || TIME_OF_DAY.test(value))) {
    if (UNTIL_KEYS.test(key)) return `until ${timeText(value)}`;
    if (FROM_KEYS.test(key)) return `from ${timeText(value)}`;
  }
  if (typeof value === 'boolean') return `${name}: ${value ? 'yes' : 'no'}`;
  if (Array.isArray(value)) return `${name}: ${value.length === 0 ? '(none)' : oneOf(value, 'and')}`;
  if (value !== null && typeof value === 'object')
    return Object.entries(value as Record<string, unknown>)
      .map(([inner, innerValue]) => `${name} ${informationLine(inner, innerValue)}`)
      .join('; ');
  return `${name}: ${valueText(value)}`;
}

/** `max_<field>`: a count of a plural thing ("at most 3 recipients"), an amount, or a bound. */
function maximumLine(field: string, value: unknown, currency: string | undefined): string {
  const name = words(field);
  if (typeof value !== 'number') return `${name}: at most ${valueText(value)}`;
  if (currency && AMOUNT_KEYS.test(field)) return `${name} at most ${value} ${currency}`;
  // A plural field counts things ("max_emails: 1" → "at most 1 email"); a singular one is a bound.
  if (/s$/i.test(field) && Number.isInteger(value)) return `at most ${counted(value, name)}`;
  return `${name} at most ${value}`;
}

/**
 * The scope of a permission as lines: uses first, then every enforced rule, then every other
 * key by the shape of its value.
 *
 * @example
 * describeScope({ max_emails: 1, subject_pattern: '^Invoice.*' });
 * // ['1 use', 'at most 1 email', 'subject must match ^Invoice.*']
 */
export function describeScope(scope: Readonly<Record<string, unknown>>): string[] {
  const lines: string[] = [];
  const maxUses = scope.max_uses;
  // A token is spent once unless the scope says otherwise (the contract's default for max_uses).
  lines.push(typeof maxUses === 'number' && maxUses !== 1 ? `up to ${maxUses} uses` : '1 use');
  const currency = typeof scope.currency === 'string' ? scope.currency : undefined;
  let currencyUsed = false;
  for (const [key, value] of Object.entries(scope)) {
    if (key === 'max_uses') continue;
    if (key === 'require_details' && Array.isArray(value)) {
      lines.push(`each use must report ${oneOf(value, 'and')}`);
    } else if (key.endsWith('_pattern') && key.length > '_pattern'.length) {
      lines.push(`${words(key.slice(0, -'_pattern'.length))} must match ${shorten(String(value))}`);
    } else if (key.startsWith('allowed_') && Array.isArray(value)) {
      const name = words(key.slice('allowed_'.length));
      lines.push(
        value.length === 1
          ? `${name} must be ${valueText(value[0])}`
          : `${name} must be one of ${oneOf(value)}`,
      );
    } else if (key.startsWith('max_') && key.length > 'max_'.length) {
      const field = key.slice('max_'.length);
      if (currency && AMOUNT_KEYS.test(field)) currencyUsed = true;
      lines.push(maximumLine(field, value, currency));
    } else if (key !== 'currency') {
      lines.push(informationLine(key, value));
    }
  }
  if (currency && !currencyUsed) lines.push(`currency: ${currency}`);
  return lines;
}

/** What a permission request would allow, as the owner reads it before deciding. */
export interface PermissionFacts {
  action: string;
  resource: string;
  /** The scope approving grants (a policy's template may have replaced the requested one). */
  scope: Readonly<Record<string, unknown>>;
  /** What the agent asked for, when a policy's template replaced it. */
  requestedScope?: Readonly<Record<string, unknown>>;
  /** The agent's context except its `reason` (shown once, on its own). */
  context: Readonly<Record<string, unknown>>;
}

/**
 * A permission request in plain lines: "may gmail.send on email:client@example.com", then
 * the scope ("1 use", "subject must match ^Invoice.*"), what the agent asked for when a
 * policy changed it, and the agent's context.
 *
 * @example
 * describePermission({ action: 'gmail.send', resource: 'email:a@b.com', scope: { max_emails: 1 }, context: {} });
 * // ['may gmail.send on email:a@b.com', '1 use', 'at most 1 email']
 */
export function describePermission(facts: PermissionFacts): string[] {
  const lines = [`may ${shorten(facts.action)} on ${shorten(facts.resource)}`, ...describeScope(facts.scope)];
  if (facts.requestedScope)
    lines.push(
      `a policy replaced what the agent asked for: ${describeScope(facts.requestedScope).join('; ')}`,
    );
  for (const [key, value] of Object.entries(facts.context))
    lines.push(`the agent says ${informationLine(key, value)}`);
  return lines;
}

/** What an OTP request would release, as the owner reads it before deciding. */
export interface OtpFacts {
  sources: readonly string[];
  senderPattern: string | null;
  expectedSender: string | null;
  contentPattern: string | null;
}

/**
 * An OTP request in plain lines: "a code from *@acme.com by SMS or email", the sender the
 * agent expects and the content pattern, if any.
 *
 * @example
 * describeOtpRequest({ sources: ['sms', 'email'], senderPattern: '*@acme.com', expectedSender: null, contentPattern: null });
 * // ['a code from *@acme.com by SMS or email']
 */
export function describeOtpRequest(facts: OtpFacts): string[] {
  const sources = oneOf(facts.sources.map((source) => SOURCE_NAMES[source] ?? source));
  const from = facts.senderPattern ? shorten(facts.senderPattern) : 'any sender';
  const lines = [`a code from ${from} by ${sources}`];
  if (facts.expectedSender) lines.push(`the agent expects it from ${shorten(facts.expectedSender)}`);
  if (facts.contentPattern) lines.push(`only from a message matching ${shorten(facts.contentPattern)}`);
  return lines;
}

/**
 * A key fingerprint in a form a person can compare at a glance: its first 16 hex digits,
 * upper case, in groups of 4 (the full fingerprint stays available to copy).
 *
 * @example
 * shortFingerprint('3f9a21c07b44e1d2aa…'); // '3F9A 21C0 7B44 E1D2'
 */
export function shortFingerprint(fingerprint: string): string {
  const hex = fingerprint
    .replaceAll(/[^0-9a-f]/gi, '')
    .slice(0, 16)
    .toUpperCase();
  return hex.match(/.{1,4}/g)?.join(' ') ?? '';
}

/** How a request's key compares with the agent's previous request (the `agentKey.history` field). */
export const AGENT_KEY_HISTORIES = ['same_as_last_request', 'new_key', 'first_request'] as const;
export type AgentKeyHistory = (typeof AGENT_KEY_HISTORIES)[number];

/** The words for each {@link AgentKeyHistory}, shared by every channel. */
export const AGENT_KEY_HISTORY_TEXT: Readonly<Record<AgentKeyHistory, string>> = {
  same_as_last_request: "same key as this agent's last request",
  new_key: 'new key for this agent',
  first_request: "this agent's first request: no earlier key to compare",
};
