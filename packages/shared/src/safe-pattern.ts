/**
 * Regular expressions that the relay runs against text an agent controls (policy `matches`
 * conditions, `<field>_pattern` scope constraints). JavaScript regexes cannot be interrupted,
 * so a pattern is accepted only if it cannot backtrack catastrophically on bounded input:
 * bounded length, no back-references, no quantified group that itself contains a quantifier
 * (`(a+)+`), and at most a few unbounded quantifiers (each one multiplies the worst case by
 * the input length).
 */
export const SAFE_PATTERN_LIMITS = {
  /** Longest pattern, in characters. */
  maxPatternLength: 200,
  /** Most `*`, `+` or `{n,}` in one pattern. */
  maxUnboundedQuantifiers: 3,
  /** Longest text a pattern is run against; longer text never matches. */
  maxInputLength: 1024,
} as const;

/** Why a pattern was refused. */
export class UnsafePatternError extends Error {
  override readonly name = 'UnsafePatternError';
}

interface GroupFrame {
  containsQuantifier: boolean;
}

/** Reads a quantifier at `i`: its length and whether it repeats without bound. */
function quantifierAt(
  pattern: string,
  i: number,
): { length: number; unbounded: boolean; repeats: boolean } | null {
  const ch = pattern[i];
  if (ch === '*' || ch === '+') return { length: 1, unbounded: true, repeats: true };
  if (ch === '?') return { length: 1, unbounded: false, repeats: false };
  if (ch === '{') {
    const match = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i));
    if (!match) return null;
    const unbounded = match[2] !== undefined && match[3] === '';
    const max =
      match[2] === undefined ? Number(match[1]) : unbounded ? Number.POSITIVE_INFINITY : Number(match[3]);
    return { length: match[0].length, unbounded, repeats: max > 1 };
  }
  return null;
}

/** Walks the pattern's structure (escapes, classes, groups) and refuses the risky shapes. */
function checkStructure(pattern: string): void {
  const stack: GroupFrame[] = [{ containsQuantifier: false }];
  let unbounded = 0;
  let i = 0;
  let lastClosedGroup: GroupFrame | null = null;
  while (i < pattern.length) {
    const ch = pattern[i] as string;
    let closed: GroupFrame | null = null;
    if (ch === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next) || next === 'k') throw new UnsafePatternError('back-references are not allowed');
      i += 2;
    } else if (ch === '[') {
      i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      i++;
    } else if (ch === '(') {
      stack.push({ containsQuantifier: false });
      i++;
    } else if (ch === ')') {
      closed = stack.pop() ?? null;
      if (!closed || stack.length === 0) throw new UnsafePatternError('unbalanced parentheses');
      if (closed.containsQuantifier) (stack.at(-1) as GroupFrame).containsQuantifier = true;
      i++;
    } else {
      const quantifier = quantifierAt(pattern, i);
      if (quantifier) {
        if (quantifier.unbounded) unbounded++;
        if (quantifier.repeats && lastClosedGroup?.containsQuantifier)
          throw new UnsafePatternError('a repeated group may not contain another quantifier, as in (a+)+');
        (stack.at(-1) as GroupFrame).containsQuantifier ||= quantifier.repeats;
        i += quantifier.length;
        if (pattern[i] === '?') i++;
        lastClosedGroup = null;
        continue;
      }
      i++;
    }
    lastClosedGroup = closed;
  }
  if (unbounded > SAFE_PATTERN_LIMITS.maxUnboundedQuantifiers)
    throw new UnsafePatternError(
      `at most ${SAFE_PATTERN_LIMITS.maxUnboundedQuantifiers} unbounded quantifiers (*, +, {n,}) are allowed`,
    );
}

/**
 * Compiles a pattern that will run against agent-controlled text, or throws
 * {@link UnsafePatternError} naming the problem. Patterns use JavaScript syntax with the
 * `u` flag; they are not anchored unless they say `^`/`$`.
 *
 * @example
 * compileSafePattern('^Invoice.*').test('Invoice #123'); // true
 * compileSafePattern('(a+)+$'); // throws UnsafePatternError
 */
export function compileSafePattern(pattern: string): RegExp {
  if (pattern.length === 0) throw new UnsafePatternError('pattern is empty');
  if (pattern.length > SAFE_PATTERN_LIMITS.maxPatternLength)
    throw new UnsafePatternError(`pattern is longer than ${SAFE_PATTERN_LIMITS.maxPatternLength} characters`);
  let compiled: RegExp;
  try {
    compiled = new RegExp(pattern, 'u');
  } catch (error) {
    throw new UnsafePatternError(`not a valid regular expression: ${(error as Error).message}`);
  }
  checkStructure(pattern);
  return compiled;
}

/**
 * Runs a compiled safe pattern. Text longer than the input limit throws
 * {@link UnsafePatternError} instead of answering: a "no match" could let a deny rule be
 * skipped, so each caller decides how to fail closed.
 *
 * @example
 * testSafePattern(compileSafePattern('@acme\\.com$'), 'bob@acme.com'); // true
 */
export function testSafePattern(pattern: RegExp, text: string): boolean {
  if (text.length > SAFE_PATTERN_LIMITS.maxInputLength)
    throw new UnsafePatternError(`text is longer than ${SAFE_PATTERN_LIMITS.maxInputLength} characters`);
  return pattern.test(text);
}
