/** Where a value holds text the databases cannot store faithfully, and what is wrong with it. */
export interface UnstorableText {
  /** Dotted path of the offending string (`reason`, `context.note`), or of the object whose key it is. */
  path: string;
  /** The same path as keys, for callers that point into a parsed document (a YAML line). */
  segments: string[];
  message: string;
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const LONE_SURROGATES = new RegExp(LONE_SURROGATE.source, 'g');

/**
 * Why one string cannot be stored: PostgreSQL refuses NUL (U+0000) in `text` and `jsonb`,
 * and a lone UTF-16 surrogate has no UTF-8 form (the driver would silently turn it into
 * U+FFFD, so what is stored would differ from what was checked).
 *
 * @example
 * describeUnstorableString('a\u0000b'); // → 'must not contain NUL (U+0000) characters'
 * describeUnstorableString('fine 🙂'); // → undefined
 */
export function describeUnstorableString(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain NUL (U+0000) characters';
  if (LONE_SURROGATE.test(text)) return 'must be valid Unicode text (it holds a lone UTF-16 surrogate)';
  return undefined;
}

/**
 * The same text without what no database can store: NUL removed, lone surrogates replaced by
 * U+FFFD. For display text that arrives from a third party (a Telegram name, an email
 * subject), where refusing would lose a message over a character nobody reads.
 *
 * @example
 * toStorableText('Ann\u0000ie'); // → 'Annie'
 */
export function toStorableText(text: string): string {
  return text.replaceAll('\u0000', '').replace(LONE_SURROGATES, '\uFFFD');
}

/**
 * Finds the first string (value or object key) anywhere in `value` that no database could
 * store as sent. Iterative, so a deeply nested hostile body cannot overflow the stack, and
 * linear in the size of the value.
 *
 * @example
 * findUnstorableText({ reason: 'a\u0000b' }, 'body');
 * // → { path: 'body.reason', message: 'must not contain NUL (U+0000) characters' }
 */
export function findUnstorableText(value: unknown, rootPath = ''): UnstorableText | undefined {
  // Each entry links to its parent instead of copying its path, so a deep value costs O(n).
  interface Entry {
    value: unknown;
    key?: string;
    parent?: Entry;
  }
  const found = (entry: Entry, message: string): UnstorableText => {
    const segments: string[] = [];
    for (let at: Entry | undefined = entry; at?.key !== undefined; at = at.parent) segments.push(at.key);
    segments.reverse();
    return { path: [rootPath, ...segments].filter(Boolean).join('.') || 'value', segments, message };
  };
  const stack: Entry[] = [{ value }];
  for (let entry = stack.pop(); entry !== undefined; entry = stack.pop()) {
    const current = entry.value;
    if (typeof current === 'string') {
      const message = describeUnstorableString(current);
      if (message) return found(entry, message);
    } else if (Array.isArray(current)) {
      for (let index = current.length - 1; index >= 0; index--)
        stack.push({ value: current[index], key: String(index), parent: entry });
    } else if (current !== null && typeof current === 'object') {
      const entries = Object.entries(current);
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, child] = entries[index]!;
        const keyProblem = describeUnstorableString(key);
        if (keyProblem) return found(entry, `key ${JSON.stringify(key)} ${keyProblem}`);
        stack.push({ value: child, key, parent: entry });
      }
    }
  }
  return undefined;
}
