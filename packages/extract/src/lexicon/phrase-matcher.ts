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
}

// Scripts written without spaces between words: their phrases match anywhere.
const UNSPACED_SCRIPT =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u;
const WORD_CHARACTER = /[\p{L}\p{M}\p{N}]/u;
const LETTER = /[\p{L}\p{M}]/u;
const REGEX_SPECIAL = /[\\^$.*+?()[\]{}|/]/;

// A `*` inside a phrase (`одноразов* парол*`) stands for the rest of that word: letters, never a
// space or punctuation, and at most 24 of them: a hostile run of `одноразоводноразов…` without a
// space would otherwise be rescanned from every place the phrase starts (quadratic).
const REST_OF_WORD = '[^\\s\\-\\d.,:;!?()\'"«»]{0,24}';

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
 * `normalizeText` and `foldForMatching`. One alternation of plain literals finds where some
 * phrase starts; the phrases starting with that character are then tried longest first, so
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

  constructor(entries: ReadonlyArray<{ phrase: Phrase; meta: Meta }>) {
    const unique = new Map<string, { phrase: Phrase; meta: Meta }>();
    for (const entry of entries) if (!unique.has(entry.phrase)) unique.set(entry.phrase, entry);
    const parsed = [...unique.values()]
      .map((entry) => ({ ...parsePhrase(entry.phrase), meta: entry.meta }))
      .filter((entry) => entry.body.length > 0)
      .sort((a, b) => b.body.length - a.body.length);
    const sources: string[] = [];
    for (const { body, lettersBefore, lettersAfter, meta } of parsed) {
      const source = [...body].map(characterSource).join('');
      sources.push(source);
      const first = body[0] ?? '';
      const list = this.#byFirstCharacter.get(first) ?? [];
      list.push({
        meta,
        pattern: new RegExp(source, 'y'),
        boundedStart: !lettersBefore && !UNSPACED_SCRIPT.test(first),
        boundedEnd: !lettersAfter && !UNSPACED_SCRIPT.test(body.at(-1) ?? ''),
        lettersAfter,
      });
      this.#byFirstCharacter.set(first, list);
    }
    this.#scanner = new RegExp(sources.join('|') || '(?!)', 'g');
  }

  /** Every phrase that fits at `start`, longest first, with where each one ends. */
  phrasesAt(folded: string, start: number): Array<{ meta: Meta; end: number }> {
    const fits: Array<{ meta: Meta; end: number }> = [];
    if (WORD_CHARACTER.test(folded[start - 1] ?? '') && !this.#hasUnboundedAt(folded, start)) return fits;
    for (const phrase of this.#byFirstCharacter.get(folded[start] ?? '') ?? []) {
      // Checked first: skipping the letters after a phrase costs as long as the word, and at
      // every start inside a long word that would add up to quadratic time.
      if (phrase.boundedStart && WORD_CHARACTER.test(folded[start - 1] ?? '')) continue;
      phrase.pattern.lastIndex = start;
      const match = phrase.pattern.exec(folded);
      if (!match) continue;
      let end = start + match[0].length;
      if (phrase.lettersAfter) while (end < folded.length && LETTER.test(folded[end] ?? '')) end++;
      if (phrase.boundedEnd && WORD_CHARACTER.test(folded[end] ?? '')) continue;
      fits.push({ meta: phrase.meta, end });
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
      const best = this.phrasesAt(folded, start)[0];
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

  #hasUnboundedAt(folded: string, start: number): boolean {
    return (this.#byFirstCharacter.get(folded[start] ?? '') ?? []).some((phrase) => !phrase.boundedStart);
  }
}
