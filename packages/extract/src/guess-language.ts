import { hintCounts, LANGUAGES } from './lexicon/keyword-index.js';

const LATIN_TAGS = [
  'en',
  'es',
  'pt',
  'fr',
  'de',
  'it',
  'nl',
  'pl',
  'tr',
  'vi',
  'id',
  'sv',
  'fi',
  'cs',
  'ro',
  'hu',
  'da',
  'ca',
  'ms',
  'no',
  'hr',
  'sr',
  'sw',
  'tl',
];
// Languages of other scripts that SMS gateways often send in Latin letters (Hinglish, translit,
// Greeklish, Roman Urdu, Tamil); Serbian is written in both scripts.
const ROMANIZED_TAGS = ['hi', 'ru', 'uk', 'bg', 'el', 'ur', 'ta'];
const CYRILLIC_TAGS = ['ru', 'uk', 'bg', 'sr'] as const;

const SCRIPTS: Array<{ pattern: RegExp; tag: (text: string) => string }> = [
  { pattern: /[\p{Script=Hiragana}\p{Script=Katakana}]/gu, tag: () => 'ja' },
  { pattern: /\p{Script=Hangul}/gu, tag: () => 'ko' },
  {
    pattern: /\p{Script=Han}/gu,
    tag: (text) => (/[\p{Script=Hiragana}\p{Script=Katakana}]/u.test(text) ? 'ja' : 'zh'),
  },
  { pattern: /\p{Script=Thai}/gu, tag: () => 'th' },
  { pattern: /\p{Script=Hebrew}/gu, tag: () => 'he' },
  { pattern: /\p{Script=Devanagari}/gu, tag: () => 'hi' },
  { pattern: /\p{Script=Bengali}/gu, tag: () => 'bn' },
  { pattern: /\p{Script=Greek}/gu, tag: () => 'el' },
  { pattern: /\p{Script=Tamil}/gu, tag: () => 'ta' },
  { pattern: /\p{Script=Cyrillic}/gu, tag: cyrillicTag },
  {
    pattern: /\p{Script=Arabic}/gu,
    // Letters only Urdu uses (retroflex ٹ ڈ ڑ, noon ghunna, bari ye), then letters only Persian
    // uses against Arabic-only yeh, kaf and teh marbuta.
    tag: (text) => {
      if (count(text, /[ٹڈڑںےۓھ]/gu) > 0) return 'ur';
      return count(text, /[پچژگیک]/gu) > count(text, /[يكة]/gu) ? 'fa' : 'ar';
    },
  },
];

// Letters that give a Latin-script language away.
const LATIN_LETTERS: Record<string, RegExp> = {
  vi: /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/gu,
  tr: /[ışğ]/gu,
  pl: /[ąęłńśźż]/gu,
  // Not å: Danish and Norwegian write it too (and æ ø instead of ä ö).
  sv: /[äö]/gu,
  de: /[ßü]/gu,
  es: /[ñ¿¡]/gu,
  pt: /[ãõ]/gu,
  fr: /[èêëîïûœ]/gu,
  it: /[ò]/gu,
  cs: /[ěčřůťď]/gu,
  ro: /[șțşţ]/gu,
  hu: /[őű]/gu,
  da: /[æø]/gu,
};

function count(text: string, pattern: RegExp): number {
  return text.match(pattern)?.length ?? 0;
}

// Letters that give one Cyrillic language away: Ukrainian і ї є ґ, Russian ы э ё (Bulgarian and
// Serbian have none of them), Bulgarian ъ inside words, Serbian ђ ј љ њ ћ џ.
const CYRILLIC_LETTERS: Record<(typeof CYRILLIC_TAGS)[number], RegExp> = {
  uk: /[іїєґ]/gu,
  ru: /[ыэё]/gu,
  bg: /ъ(?=\p{L})/gu,
  sr: /[ђјљњћџ]/gu,
};

/** Short messages may hold none of the telltale letters, so function words count too. */
function cyrillicTag(text: string): string {
  const hints = hintCounts(text);
  let winner: { tag: string; score: number } = { tag: 'ru', score: -1 };
  for (const tag of CYRILLIC_TAGS) {
    const score = 2 * count(text, CYRILLIC_LETTERS[tag]) + (hints.get(tag) ?? 0);
    if (score > winner.score) winner = { tag, score };
  }
  return winner.tag;
}

/**
 * Best guess at the language of a message, among `among` when the matched keyword is spelled
 * the same in several languages ("code" is English and French). Script decides first; within
 * Latin script, frequent function words and telltale letters decide.
 *
 * @example
 * guessLanguage('votre code est 123456', ['en', 'fr']); // 'fr'
 * guessLanguage('รหัส otp คือ 123456', []); // 'th'
 */
export function guessLanguage(lowerText: string, among: readonly string[]): string | undefined {
  const latinCount = count(lowerText, /\p{Script=Latin}/gu);
  let best: { tag: string; count: number } | undefined;
  for (const script of SCRIPTS) {
    const scriptCount = count(lowerText, script.pattern);
    if (scriptCount > 0 && scriptCount > (best?.count ?? 0))
      best = { tag: script.tag(lowerText), count: scriptCount };
  }
  const latinAmong = among.filter((tag) => LATIN_TAGS.includes(tag) || ROMANIZED_TAGS.includes(tag));
  if (among.length > 0) {
    if (best && among.includes(best.tag)) return best.tag;
    if (latinAmong.length === 0) return among[0];
  } else if (best && best.count * 2 >= latinCount) {
    // A few Latin letters ("OTP", a brand) inside another script do not make a Latin message.
    return best.tag;
  }
  // An English keyword alone ("verification code") is borrowed by Tagalog, Malay, Swahili and
  // Roman Urdu messages: the sentence around it decides, English winning ties.
  const englishOnly = latinAmong.length === 1 && latinAmong[0] === 'en';
  const choices = latinAmong.length > 0 && !englishOnly ? latinAmong : [...LATIN_TAGS, ...ROMANIZED_TAGS];
  const hints = hintCounts(lowerText);
  let winner: { tag: string; score: number } | undefined;
  for (const tag of choices) {
    const letters = LATIN_LETTERS[tag];
    const bonus = englishOnly && tag === 'en' ? 1 : 0;
    const score = (hints.get(tag) ?? 0) + 2 * (letters ? count(lowerText, letters) : 0) + bonus;
    if (!winner || score > winner.score) winner = { tag, score };
  }
  return winner?.tag ?? LANGUAGES[0]?.tag;
}
