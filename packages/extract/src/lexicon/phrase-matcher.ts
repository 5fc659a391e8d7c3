import { foldForMatching, normalizeText } from '../normalize-text.js';
import type { Phrase } from './lexicon-types.js';

/** One occurrence of a lexicon phrase in folded text. */
export interface PhraseMatch<Meta> {
  start: number;
  end: number;
  text: string;
  meta: Meta;
}

interface CompiledPhrase<Meta> {
  meta: Meta;
  /** Sticky regex for the phrase body alone. */
  pattern: RegExp;
  /** Whole-word start required (scripts written with spaces, no `~`). */
  boundedStart: boolean;
  /** Whole-word end required (scripts written with spaces, no `*`). */
  boundedEnd: boolean;
  /** `*`: letters after the phrase belong to the match. */
  lettersAfter: boolean;
  /** The phrase's second character when it is a plain one: a cheap test before the regex. */
  second?: string;
}

// Scripts written without spaces between words: their phrases match anywhere.
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;
const LETTER = /[\p{L}\p{M}]/u;
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;
// Second characters that match only themselves (not a space, hyphen, apostrophe or `*`).
const PLAIN_SECOND = /^[^\s\-'*]$/u;

// A `*` inside a phrase (`одноразов* парол*`) stands for the rest of that word: letters, never a
// space or punctuation, and at most 24 of them: a hostile run of `одноразоводноразов…` without a
// space would otherwise be rescanned from every place the phrase starts (quadratic).
const REST_OF_WORD = '[^\\s\\-\\d.,:;!?()\'"«»]{0,24}';

// The scanner looks only for where a phrase may start, by its first characters: hundreds of
// phrases share far fewer beginnings ("cod", "kod", "код"), and an alternation of a few short
// literals runs several times faster than one of every whole phrase. `phrasesAt` then checks
// the whole phrase at that place, as it always did.
const SCANNED_PREFIX = 4;

function characterSource(character: string): string {
  if (character === '*') return REST_OF_WORD;
  if (character === ' ') return '[\\s\\-]+';
  if (character === '-') return '[\\s\\-]?';
  if (character === "'") return "['’ʼ`]";
  return REGEX_SPECIAL.test(character) ? `\\${character}` : character;
}

function parsePhrase(phrase: Phrase): { body: string; lettersBefore: boolean; lettersAfter: boolean } {
  const lettersBefore = phrase.startsWith('~');
  const lettersAfter = phrase.endsWith('*');
  const body = foldForMatching(
    normalizeText(phrase.slice(lettersBefore ? 1 : 0, lettersAfter ? -1 : undefined)),
  );
  return { body, lettersBefore, lettersAfter };
}

/**
 * Finds every phrase of a lexicon (syntax in `lexicon-types.ts`) in text that went through
 * `normalizeText` and `foldForMatching`. One alternation of the phrases' first characters finds
 * where some phrase may start; the phrases starting with that character are then tried longest first, so
 * "verification code" wins over "code". Word boundaries are checked in code: hundreds of
 * Unicode lookarounds in one regex make V8's compiler take seconds.
 *
 * @example
 * const matcher = new PhraseMatcher([{ phrase: 'code*', meta: 'generic' }]);
 * matcher.find('your codes: 1234'); // [{ start: 5, end: 10, text: 'codes', meta: 'generic' }]
 * matcher.find('barcode'); // []
 */
export class PhraseMatcher<Meta> {
  readonly #scanner: RegExp;
  readonly #byFirstCharacter = new Map<string, CompiledPhrase<Meta>[]>();
  /** First characters of phrases that may start inside a word (`~`). */
  readonly #unboundedFirst = new Set<string>();

  constructor(entries: ReadonlyArray<{ phrase: Phrase; meta: Meta }>) {
    const unique = new Map<string, { phrase: Phrase; meta: Meta }>();
    for (const entry of entries) if (!unique.has(entry.phrase)) unique.set(entry.phrase, entry);
    const parsed = [...unique.values()]
      .map((entry) => ({ ...parsePhrase(entry.phrase), meta: entry.meta }))
      .filter((entry) => entry.body.length > 0)
      .sort((a, b) => b.body.length - a.body.length);
    const starts = new Set<string>();
    for (const { body, lettersBefore, lettersAfter, meta } of parsed) {
      const source = [...body].map(characterSource).join('');
      starts.add([...body].slice(0, SCANNED_PREFIX).map(characterSource).join(''));
      const first = body[0] ?? '';
      const list = this.#byFirstCharacter.get(first) ?? [];
      list.push({
        meta,
        pattern: new RegExp(source, 'y'),
        boundedStart: !lettersBefore && !UNSPACED_SCRIPT.test(first),
        boundedEnd: !lettersAfter && !UNSPACED_SCRIPT.test(body.at(-1) ?? ''),
        lettersAfter,
        second: PLAIN_SECOND.test(body[1] ?? '') ? body[1] : undefined,
      });
      this.#byFirstCharacter.set(first, list);
      if (!list.at(-1)?.boundedStart) this.#unboundedFirst.add(first);
    }
    this.#scanner = new RegExp([...starts].join('|') || '(?!)', 'g');
  }

  /** Every phrase that fits at `start` (only the first when `firstOnly`), longest first, with where each one ends. */
  phrasesAt(folded: string, start: number, firstOnly = false): Array<{ meta: Meta; end: number }> {
    const fits: Array<{ meta: Meta; end: number }> = [];
    const first = folded[start] ?? '';
    const insideWord = WORD_CHARACTER.test(folded[start - 1] ?? '');
    if (insideWord && !this.#unboundedFirst.has(first)) return fits;
    const second = folded[start + 1];
    for (const phrase of this.#byFirstCharacter.get(first) ?? []) {
      // Checked first: skipping the letters after a phrase costs as long as the word, and at
      // every start inside a long word that would add up to quadratic time.
      if (phrase.boundedStart && insideWord) continue;
      if (phrase.second !== undefined && phrase.second !== second) continue;
      phrase.pattern.lastIndex = start;
      const match = phrase.pattern.exec(folded);
      if (!match) continue;
      let end = start + match[0].length;
      if (phrase.lettersAfter) while (end < folded.length && LETTER.test(folded[end] ?? '')) end++;
      if (phrase.boundedEnd && WORD_CHARACTER.test(folded[end] ?? '')) continue;
      fits.push({ meta: phrase.meta, end });
      if (firstOnly) break;
    }
    return fits;
  }

  /** All non-overlapping matches in `folded` (output of `foldForMatching`), left to right. */
  find(folded: string): PhraseMatch<Meta>[] {
    const matches: PhraseMatch<Meta>[] = [];
    const scanner = this.#scanner;
    scanner.lastIndex = 0;
    for (let found = scanner.exec(folded); found !== null; found = scanner.exec(folded)) {
      const start = found.index;
      const best = this.phrasesAt(folded, start, true)[0];
      if (!best) {
        scanner.lastIndex = start + 1;
        continue;
      }
      matches.push({ start, end: best.end, text: folded.slice(start, best.end), meta: best.meta });
      scanner.lastIndex = best.end;
    }
    return matches;
  }

  /** How many phrases occur in `folded`. */
  count(folded: string): number {
    return this.find(folded).length;
  }
}
