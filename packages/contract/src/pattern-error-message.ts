import { RE2JSSyntaxException } from 're2js';

const LINEAR = 'is not supported: patterns run on a linear-time engine (RE2 syntax)';

/** Perl group openings RE2 refuses, by their first characters. */
const UNSUPPORTED_GROUPS: Array<[string, string]> = [
  ['(?=', 'lookahead (?=…)'],
  ['(?!', 'negative lookahead (?!…)'],
  ['(?<=', 'lookbehind (?<=…)'],
  ['(?<!', 'negative lookbehind (?<!…)'],
  ['(?>', 'atomic group (?>…)'],
  ['(?#', 'comment group (?#…)'],
];

/** The construct a refused escape stands for, or null when it is just an unknown escape. */
function escapeConstruct(sequence: string): string | null {
  if (/^\\[1-9]/.test(sequence)) return `back-reference ${sequence}`;
  if (sequence.startsWith('\\k')) return 'back-reference \\k<…>';
  if (sequence.startsWith('\\u')) return 'the escape \\u (write \\x{00E9} for a code point)';
  if (sequence.startsWith('\\c')) return 'the control escape \\c';
  return null;
}

/** Names what RE2 cannot express, or null for an ordinary syntax error. */
function unsupportedConstruct(description: string, at: string): string | null {
  const group = UNSUPPORTED_GROUPS.find(([opening]) => at.startsWith(opening));
  if (group) return group[1];
  if (description === 'invalid escape sequence') return escapeConstruct(at);
  if (description === 'invalid nested repetition operator' && at.endsWith('+'))
    return `possessive quantifier ${at}`;
  return null;
}

/**
 * Turns an error of the RE2 engine into a sentence for the person who wrote the pattern:
 * constructs RE2 cannot express (lookaround, back-references, possessive quantifiers, atomic
 * groups) are named as such, other syntax errors say what is wrong and where.
 *
 * @example
 * patternErrorMessage(new RE2JSSyntaxException('invalid or unsupported Perl syntax', '(?='));
 * // 'lookahead (?=…) is not supported: patterns run on a linear-time engine (RE2 syntax)'
 */
export function patternErrorMessage(error: unknown): string {
  if (!(error instanceof RE2JSSyntaxException)) return 'not a valid regular expression';
  const description = error.getDescription();
  const at = error.getPattern() ?? '';
  const construct = unsupportedConstruct(description, at);
  if (construct) return `${construct} ${LINEAR}`;
  if (description === 'invalid repeat count')
    return `invalid repeat count ${at}: counts go up to 1000 and the minimum may not exceed the maximum`;
  if (description === 'expression too large')
    return 'the pattern is too large for the linear-time engine: use fewer or smaller counted repeats';
  return `not a valid regular expression: ${description}${at ? ` at ${at}` : ''}`;
}
