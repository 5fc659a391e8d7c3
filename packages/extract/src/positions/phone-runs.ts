import { isDigitCode, isWhitespaceCode } from './character-classes.js';
import { firstIndexWhereNot } from './sorted-search.js';
import type { Span } from './text-layout.js';

// `[\d +().-]`: digits, space, plus, brackets, dot, hyphen.
const PHONE_PUNCTUATION = new Set([32, 43, 40, 41, 46, 45]);
const AREA_CODE = /\(\d{1,4}\)\s?\d/g;

function isPhoneRunCode(code: number): boolean {
  return isDigitCode(code) || PHONE_PUNCTUATION.has(code);
}

/**
 * Builds the test "do the digits around this span make a phone number?" (`+1 (555) 123-4567`,
 * `0912 345 678`): nine digits or more in the run of phone characters around it, seven after a
 * leading `+`, or an area code in brackets (the span's own digits alone never make one). The runs, digit counts and bracketed area codes are
 * indexed once per text; walking the run again for every candidate was quadratic on a message
 * that is one long run of digits and spaces.
 *
 * @example
 * const isPhone = phoneNumberTest('Call +1 (555) 123-4567 or use 123456');
 * isPhone({ start: 18, end: 22 }); // true
 * isPhone({ start: 30, end: 36 }); // false
 */
export function phoneNumberTest(text: string): (span: Span) => boolean {
  // Indexed on first use: most messages have no candidate that gets this far.
  let test: ((span: Span) => boolean) | undefined;
  return (span) => {
    test ??= indexPhoneRuns(text);
    return test(span);
  };
}

function indexPhoneRuns(text: string): (span: Span) => boolean {
  const length = text.length;
  const runStart = new Int32Array(length + 1);
  const digits = new Int32Array(length + 1);
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    runStart[index + 1] = isPhoneRunCode(code) ? (runStart[index] ?? 0) : index + 1;
    digits[index + 1] = (digits[index] ?? 0) + (isDigitCode(code) ? 1 : 0);
  }
  const runEnd = new Int32Array(length + 1);
  const firstVisible = new Int32Array(length + 1);
  runEnd[length] = length;
  firstVisible[length] = length;
  for (let index = length - 1; index >= 0; index--) {
    const code = text.charCodeAt(index);
    runEnd[index] = isPhoneRunCode(code) ? (runEnd[index + 1] ?? length) : index;
    firstVisible[index] = isWhitespaceCode(code) ? (firstVisible[index + 1] ?? length) : index;
  }
  const areaCodes = [...text.matchAll(AREA_CODE)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
  return (span) => {
    const from = runStart[span.start] ?? span.start;
    const to = runEnd[span.end] ?? span.end;
    const digitCount = (digits[to] ?? 0) - (digits[from] ?? 0);
    // A 9- or 10-digit code is not a phone number by its own length; digits around it are.
    if (digitCount >= 9 && digitCount > (digits[span.end] ?? 0) - (digits[span.start] ?? 0)) return true;
    if (text[firstVisible[from] ?? from] === '+' && digitCount >= 7) return true;
    const areaCode = areaCodes[firstIndexWhereNot(areaCodes, (match) => match.start < from)];
    return areaCode !== undefined && areaCode.end <= to;
  };
}
