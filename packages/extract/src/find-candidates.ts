/**
 * Code-shaped tokens in normalised text: single runs of ASCII letters and digits, and runs
 * split by single spaces or hyphens the way senders print codes (`123 456`, `123-456`,
 * `1 2 3 4 5 6`, `ABC-123`, `K Q T Z`, `482-1937`). A sender prefix (`G-123456`, `FB-12345`) is not
 * part of the code, nor is a word glued to it (`482193is`, `571118Válido`). Numbers of 9 and 10
 * digits are listed too: some banks send them, and scoring accepts them only shortly after a
 * keyword of their sentence. Three-digit numbers only from a sender known to send them.
 */

import { isDigitCode } from './positions/character-classes.js';

export interface Candidate {
  /** Span in the normalised text, separators included. */
  start: number;
  end: number;
  /** As the user would type it. */
  code: string;
  /** True when the code was printed in groups. */
  grouped: boolean;
  /** Sender prefix such as `G` in `G-123456`. */
  prefix?: string;
  /** Printed in a way codes seldom are: glued to a word, letters one by one, uneven groups. */
  unusual?: boolean;
  /**
   * Printed like a number with a thousands separator (`12 345`, `48-291`): a code only right
   * after its keyword (checked when scoring).
   */
  thousands?: boolean;
  /** Shorter than four digits, accepted because the sender is known to send such codes. */
  knownFormat?: string;
}

/** A sender's known format that widens what counts as code-shaped (see `sender-formats.ts`). */
export interface ShortCodeFormat {
  name: string;
  shortestCode: number;
}

/** Longest numeric code: 9 and 10 digits are accepted only when labelled (see `shapeScore`). */
export const MAX_NUMERIC_CODE = 10;

interface Chunk {
  start: number;
  end: number;
  text: string;
}

const CHUNK = /[A-Za-z0-9]+/g;
const DIGITS = /^\d+$/;
const UPPER_OR_DIGIT = /^[A-Z0-9]+$/;
const MIXED = /^(?=.*[A-Z])(?=.*\d)/;
const CAPITALS = /^[A-Z]+$/;
// A code glued to the word after it by a lost space: `482193is your code`, `571118Válido` (the
// word goes on past the ASCII letters a chunk holds).
const GLUED_WORD = /^(\d{4,8})([A-Za-z][a-z]*)$/;
// Letters right after a chunk, enough to tell a unit (`2048mb`) from a word.
const WORD_GOES_ON = /^[\p{L}\p{M}]{1,6}/u;
// Letters glued to a number that make it a quantity, not a code with a lost space (`2048mb`).
const UNIT_WORD =
  /^(?:[a-z]|km|kg|mb|gb|kb|tb|ml|mm|cm|hz|px|ms|mg|lb|oz|ft|kw|yr|hr|mi|mah|mbps|kbps|gbps|min|mins|hrs|sec|secs|pts|usd|eur|gbp|inr|rub|mph|kph|kwh|fps|dpi|ppm|nd|rd|st|th|am|pm)$/i;
const GROUP_SEPARATOR = /^(?: |-| - )$/;
const SENDER_PREFIX = /^[A-Z]{1,3}$/;
const MAX_CODE = 8;
const MIN_CODE = 4;

/** The code of a `GLUED_WORD` match, unless the letters after it are a unit or a lone letter. */
function gluedCode(match: RegExpExecArray, text: string, chunkEnd: number): string | undefined {
  const goesOn = WORD_GOES_ON.exec(text.slice(chunkEnd, chunkEnd + 6))?.[0] ?? '';
  const word = `${match[2] ?? ''}${goesOn}`;
  return word.length >= 2 && !UNIT_WORD.test(word) ? match[1] : undefined;
}

function isShortCode(text: string, format: ShortCodeFormat): boolean {
  return text.length < MIN_CODE && text.length >= format.shortestCode && DIGITS.test(text);
}

function isCodeLength(text: string): boolean {
  if (text.length > MAX_CODE) return text.length <= MAX_NUMERIC_CODE && DIGITS.test(text);
  return text.length >= MIN_CODE;
}

function groupCode(
  chunks: Chunk[],
  separators: string[],
): { code: string; unusual: boolean; thousands?: boolean } | undefined {
  const code = groupText(chunks, separators);
  if (code === undefined) return undefined;
  const lengths = chunks.map((chunk) => chunk.text.length);
  const even = lengths.every((length) => length === lengths[0]);
  const lettersOneByOne = lengths[0] === 1 && /[A-Z]/.test(code);
  const unusual = !even || lettersOneByOne;
  return isThousandsShaped(lengths) && DIGITS.test(code)
    ? { code, unusual, thousands: true }
    : { code, unusual };
}

/** Two digits, then a group of three: how `12 345` is written as a number, and as a short code. */
function isThousandsShaped(lengths: number[]): boolean {
  return lengths.length === 2 && lengths[0] === 2 && lengths[1] === 3;
}

function groupText(chunks: Chunk[], separators: string[]): string | undefined {
  const joined = chunks.map((chunk) => chunk.text).join('');
  const digitsOnly = chunks.every((chunk) => DIGITS.test(chunk.text));
  if (joined.length < MIN_CODE || joined.length > (digitsOnly ? MAX_NUMERIC_CODE : MAX_CODE))
    return undefined;
  const lengths = chunks.map((chunk) => chunk.text.length);
  const first = lengths[0] ?? 0;
  const single = lengths.every((length) => length === 1);
  if (digitsOnly) {
    // `1 2 3 4 5 6` (digits in boxes) or equal groups `123 456`, `12-34-56`. Unequal groups
    // like `1 000 000` (1–3 digits, then threes) are thousands separators, not codes, except a
    // pair like `12 345` right after its keyword (see `isThousandsShaped`); other pairs of two to
    // five digits each (`482-1937`, `55-21093`) are codes. A six-digit code and a number after a
    // dash (`482913 - 20% off`) are two things.
    if (first === 1 && single) return chunks.length >= MIN_CODE ? joined : undefined;
    if (first >= 2 && lengths.every((length) => length === first)) return joined;
    const thousands = first <= 3 && lengths.slice(1).every((length) => length === 3);
    if (thousands) return isThousandsShaped(lengths) ? joined : undefined;
    return chunks.length === 2 && lengths.every((length) => length >= 2 && length <= 5) ? joined : undefined;
  }
  // Upper-case letters and digits typed one by one, space apart: `K Q T Z`, `Q 7 K 2 M P`.
  if (single && chunks.every((chunk) => UPPER_OR_DIGIT.test(chunk.text)))
    return separators.every((separator) => separator === ' ') ? joined : undefined;
  // Upper-case groups (`ABC-123`, `X7K2-9QPL`, `QWZR-TPXK`): hyphenated (a space is too often a
  // label, as in `OTP 5521`), groups of 3-4. Letters-only groups are then scored like any
  // letters-only code: only right after a keyword that is not weak.
  // Two equal groups of three or four capitals split by a space (`KXWQ TRZM`): one code printed
  // in halves, not a label and a code (a label is a word of another length or case).
  if (separators.length === 1 && separators[0] === ' ')
    return chunks.length === 2 &&
      lengths[1] === first &&
      (first === 3 || first === 4) &&
      CAPITALS.test(joined)
      ? joined
      : undefined;
  if (separators.some((separator) => separator !== '-')) return undefined;
  // Groups of unequal length (`7Q-4K2X`) only when each mixes letters and digits: a word or a
  // sender before a number (`UA-1184`, `EK-2231`) has a group without one or the other.
  const upper = chunks.every((chunk) => UPPER_OR_DIGIT.test(chunk.text)) && /[A-Z]/.test(joined);
  if (!upper || chunks.length !== 2) return undefined;
  if (lengths.every((length) => length >= 3 && length <= 4)) return joined;
  const mixed = chunks.every((chunk) => MIXED.test(chunk.text));
  return mixed && lengths.every((length) => length >= 2 && length <= 5) ? joined : undefined;
}

/**
 * Lists every code-shaped token and token group. Filtering by context happens later. With
 * `format` (a sender known to send shorter codes), numbers down to its shortest length count.
 *
 * @example
 * findCandidates('G-123456 is your code').map((c) => c.code); // ['123456']
 * findCandidates('code: 123 456').map((c) => c.code); // ['code', '123456', '456'] (shape checks come later)
 */
export function findCandidates(text: string, format?: ShortCodeFormat): Candidate[] {
  const chunks: Chunk[] = [];
  for (const match of text.matchAll(CHUNK)) {
    chunks.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  const candidates: Candidate[] = [];
  for (let index = 0; index < chunks.length; index++) {
    const chunk = chunks[index]!;
    const previous = chunks[index - 1];
    const prefixed =
      previous &&
      SENDER_PREFIX.test(previous.text) &&
      text.slice(previous.end, chunk.start) === '-' &&
      DIGITS.test(chunk.text) &&
      !/[A-Za-z0-9-]/.test(text[previous.start - 1] ?? '');
    // Cheap test first: a glued code starts with a digit and ends with a letter.
    const gluedMatch =
      isDigitCode(chunk.text.charCodeAt(0)) && !isDigitCode(chunk.text.charCodeAt(chunk.text.length - 1))
        ? GLUED_WORD.exec(chunk.text)
        : null;
    const glued = gluedMatch ? gluedCode(gluedMatch, text, chunk.end) : undefined;
    if (glued)
      candidates.push({ start: chunk.start, end: chunk.start + glued.length, code: glued, grouped: false });
    else if (format && isShortCode(chunk.text, format))
      candidates.push({
        start: chunk.start,
        end: chunk.end,
        code: chunk.text,
        grouped: false,
        knownFormat: format.name,
      });
    else if (isCodeLength(chunk.text)) {
      candidates.push(
        prefixed
          ? { start: previous.start, end: chunk.end, code: chunk.text, grouped: false, prefix: previous.text }
          : { start: chunk.start, end: chunk.end, code: chunk.text, grouped: false },
      );
    }
    // Longest group first, so `1 2 3 4 5 6` does not also yield `1234`.
    const group: Chunk[] = [chunk];
    const separators: string[] = [];
    const groups: Candidate[] = [];
    for (let next = index + 1; next < chunks.length && group.length < MAX_CODE; next++) {
      const following = chunks[next]!;
      const last = group[group.length - 1]!;
      const separator = text.slice(last.end, following.start);
      if (!GROUP_SEPARATOR.test(separator)) break;
      group.push(following);
      separators.push(separator);
      const found = groupCode(group, separators);
      if (found) groups.push({ start: chunk.start, end: following.end, grouped: true, ...found });
    }
    const longest = groups.at(-1);
    if (longest) candidates.push(longest);
  }
  return candidates;
}
