import { RE2JS } from 're2js';
import { patternErrorMessage } from './pattern-error-message.js';

/**
 * Regular expressions that the relay runs against text an agent controls (policy `matches`
 * conditions, `<field>_pattern` scope constraints). JavaScript's RegExp backtracks, so one
 * pattern like `(a|a)*$` could hold the event loop for minutes on forty characters. These
 * run on re2js instead: a pure-JavaScript port of RE2 whose automata take time linear in the
 * input, whatever the pattern. RE2 cannot express back-references or lookaround, so such
 * patterns are refused, by name.
 *
 * Linear is not free: the cost is the input length times the size of the compiled program,
 * and counted repeats (`[a-z]{1000}`) inflate the program. Both factors are bounded here.
 */
export const SAFE_PATTERN_LIMITS = {
  /** Longest pattern, in characters. */
  maxPatternLength: 200,
  /** Largest compiled program, in engine instructions (`[a-z]{100}` is about 100). */
  maxProgramSize: 500,
  /** Largest combined program of all `<field>_pattern` keys of one scope (each use runs them all). */
  maxScopeProgramSize: 1000,
  /**
   * Longest text a pattern is run against; longer text never matches (callers fail closed).
   * Every text field of the API is at most 1000 characters, so valid input never reaches it.
   */
  maxInputLength: 1024,
} as const;

/** A compiled pattern: `test` is an unanchored search, like `RegExp.prototype.test`. */
export interface SafePattern {
  test(text: string): boolean;
  /** The pattern as written. */
  pattern(): string;
  /** Size of the compiled program, in engine instructions: the cost per input character. */
  programSize(): number;
}

/** Why a pattern was refused. */
export class UnsafePatternError extends Error {
  override readonly name = 'UnsafePatternError';
}

/**
 * Compiles a pattern that will run against agent-controlled text, or throws
 * {@link UnsafePatternError} naming the problem. Patterns use RE2 syntax (docs/policies.md),
 * are case-sensitive and are not anchored unless they say `^`/`$`.
 *
 * @example
 * compileSafePattern('^Invoice.*').test('Invoice #123'); // true
 * compileSafePattern('(?=a)'); // throws: lookahead (?=…) is not supported: …
 */
export function compileSafePattern(pattern: string): SafePattern {
  if (pattern.length === 0) throw new UnsafePatternError('pattern is empty');
  if (pattern.length > SAFE_PATTERN_LIMITS.maxPatternLength)
    throw new UnsafePatternError(`pattern is longer than ${SAFE_PATTERN_LIMITS.maxPatternLength} characters`);
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(pattern);
  } catch (error) {
    throw new UnsafePatternError(patternErrorMessage(error));
  }
  const size = compiled.programSize();
  if (size > SAFE_PATTERN_LIMITS.maxProgramSize)
    throw new UnsafePatternError(
      `pattern is too large: it compiles to ${size} steps, at most ${SAFE_PATTERN_LIMITS.maxProgramSize} are allowed (a counted repeat like {1,64} counts each repetition)`,
    );
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
export function testSafePattern(pattern: SafePattern, text: string): boolean {
  if (text.length > SAFE_PATTERN_LIMITS.maxInputLength)
    throw new UnsafePatternError(`text is longer than ${SAFE_PATTERN_LIMITS.maxInputLength} characters`);
  return pattern.test(text);
}
