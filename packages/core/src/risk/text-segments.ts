/**
 * The most characters of one value the risk rules read. Scopes, contexts and resources are
 * agent input and may be long; a verb or a `prod` that matters sits near the start, and a
 * cap keeps every assessment bounded whatever an agent sends.
 */
export const MAX_RISK_TEXT = 2000;

/** The most values (strings, numbers, keys) read from one scope or context object. */
export const MAX_RISK_VALUES = 200;

/** How deep into nested scope/context objects the rules look. */
export const MAX_RISK_DEPTH = 4;

function isLower(code: number): boolean {
  return code >= 97 && code <= 122;
}
function isUpper(code: number): boolean {
  return code >= 65 && code <= 90;
}
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/**
 * The words of an identifier or a URL, lowercased: split at every character that is not an
 * ASCII letter or digit and where a lowercase letter meets an uppercase one (`dropTable`).
 * One pass, no regular expression, at most {@link MAX_RISK_TEXT} characters read.
 *
 * @example
 * textSegments('postgres://prod-db/users'); // ['postgres', 'prod', 'db', 'users']
 * textSegments('db.dropTable');             // ['db', 'drop', 'table']
 */
export function textSegments(text: string): string[] {
  const segments: string[] = [];
  const end = Math.min(text.length, MAX_RISK_TEXT);
  let start = -1;
  for (let i = 0; i <= end; i += 1) {
    const code = i < end ? text.charCodeAt(i) : -1;
    const wordChar = isLower(code) || isUpper(code) || isDigit(code);
    const camelBreak = wordChar && start >= 0 && isUpper(code) && isLower(text.charCodeAt(i - 1));
    if (start >= 0 && (!wordChar || camelBreak)) {
      segments.push(text.slice(start, i).toLowerCase());
      start = -1;
    }
    if (wordChar && start < 0) start = i;
  }
  return segments;
}

/** One value met while walking a scope or context: the key it sits under and its text. */
export interface ScannedValue {
  key: string;
  text: string;
  /** Set when the value is a JSON number (amounts are often numbers). */
  number?: number;
}

/**
 * Every key and primitive value of a JSON object, depth first, bounded: at most
 * {@link MAX_RISK_VALUES} values, {@link MAX_RISK_DEPTH} levels, each text cut to
 * {@link MAX_RISK_TEXT} characters. Keys are reported as values too (a scope key such as
 * `delete_all` says as much as a value).
 *
 * @example
 * scanObject({ db: 'prod', limit: 5 }); // [{key:'db',text:'db'}, {key:'db',text:'prod'}, …]
 */
export function scanObject(
  object: Record<string, unknown>,
  skipKeys: readonly string[] = [],
): ScannedValue[] {
  const out: ScannedValue[] = [];
  const full = () => out.length >= MAX_RISK_VALUES;
  const visit = (value: unknown, key: string, depth: number): void => {
    if (full()) return;
    if (typeof value === 'string') out.push({ key, text: value.slice(0, MAX_RISK_TEXT) });
    else if (typeof value === 'number' && Number.isFinite(value))
      out.push({ key, text: String(value), number: value });
    else if (typeof value === 'boolean') out.push({ key, text: String(value) });
    else if (Array.isArray(value) && depth < MAX_RISK_DEPTH) {
      // Indexed, not mapped: a million-item array costs no more than MAX_RISK_VALUES items.
      for (let i = 0; i < value.length && !full(); i += 1) visit(value[i], key, depth + 1);
    } else if (value !== null && typeof value === 'object' && depth < MAX_RISK_DEPTH)
      visitMembers(value, depth + 1);
  };
  const visitMembers = (value: object, depth: number): void => {
    // for…in stops early; Object.entries would copy every member of a huge object first.
    for (const memberKey in value) {
      if (full()) return;
      if (!Object.hasOwn(value, memberKey) || (depth === 0 && skipKeys.includes(memberKey))) continue;
      out.push({ key: memberKey, text: memberKey.slice(0, MAX_RISK_TEXT) });
      visit((value as Record<string, unknown>)[memberKey], memberKey, depth);
    }
  };
  visitMembers(object, 0);
  return out;
}
