import { CONTEXT_PHRASES, type ContextCategory } from './context-phrases.js';
import { LATIN_LANGUAGES } from './latin-languages.js';
import type { LanguageLexicon } from './lexicon-types.js';
import { OTHER_SCRIPT_LANGUAGES, UNIVERSAL_KEYWORDS } from './other-script-languages.js';
import { PhraseMatcher } from './phrase-matcher.js';

export type KeywordStrength = 'strong' | 'generic' | 'weak';

export interface KeywordMeta {
  /** The phrase as written in the lexicon, without `~`/`*`, used in `reason`. */
  label: string;
  strength: KeywordStrength;
  /** Every language whose lexicon holds this phrase; empty for universal tokens like "OTP". */
  languages: string[];
}

export const LANGUAGES: LanguageLexicon[] = [...LATIN_LANGUAGES, ...OTHER_SCRIPT_LANGUAGES];

const STRENGTH_ORDER: KeywordStrength[] = ['strong', 'generic', 'weak'];

function bare(phrase: string): string {
  return phrase.replace(/^~|\*$/g, '');
}

function buildKeywordEntries(): Array<{ phrase: string; meta: KeywordMeta }> {
  const byPhrase = new Map<string, { phrase: string; meta: KeywordMeta }>();
  const add = (phrase: string, strength: KeywordStrength, language: string | undefined) => {
    const existing = byPhrase.get(phrase);
    if (existing) {
      if (language && !existing.meta.languages.includes(language)) existing.meta.languages.push(language);
      return;
    }
    byPhrase.set(phrase, {
      phrase,
      meta: { label: bare(phrase), strength, languages: language ? [language] : [] },
    });
  };
  for (const strength of STRENGTH_ORDER) {
    for (const lexicon of LANGUAGES)
      for (const phrase of lexicon[strength]) add(phrase, strength, lexicon.tag);
  }
  for (const phrase of UNIVERSAL_KEYWORDS.strong) add(phrase, 'strong', undefined);
  for (const phrase of UNIVERSAL_KEYWORDS.generic) add(phrase, 'generic', undefined);
  // A word spelled the same in several languages ("code", "kod", "pin") names all of them,
  // whichever lexicon entry (`code*`, `~code*`) the regex happens to pick.
  const languagesByBare = new Map<string, Set<string>>();
  for (const { phrase, meta } of byPhrase.values()) {
    const set = languagesByBare.get(bare(phrase)) ?? new Set<string>();
    for (const language of meta.languages) set.add(language);
    languagesByBare.set(bare(phrase), set);
  }
  for (const { phrase, meta } of byPhrase.values()) {
    const universal =
      UNIVERSAL_KEYWORDS.strong.includes(phrase) || UNIVERSAL_KEYWORDS.generic.includes(phrase);
    meta.languages = universal ? [] : [...(languagesByBare.get(bare(phrase)) ?? [])];
  }
  return [...byPhrase.values()];
}

const KEYWORD_ENTRIES = buildKeywordEntries();

/** Every OTP keyword of every language. */
export const KEYWORD_MATCHER = new PhraseMatcher<KeywordMeta>(KEYWORD_ENTRIES);

/**
 * Every language with a keyword that matches exactly this text: `kodem` is Polish `kod*`, even
 * though the Indonesian `kode*` also spells it. A universal token ("otp") gives no language.
 *
 * @example
 * keywordLanguages('kodem'); // ['pl', 'tr', 'sv', 'id']
 */
export function keywordLanguages(matchedText: string): string[] {
  const languages = new Set<string>();
  for (const { meta, end } of KEYWORD_MATCHER.phrasesAt(matchedText, 0)) {
    if (end !== matchedText.length) continue;
    if (meta.languages.length === 0) return [];
    for (const language of meta.languages) languages.add(language);
  }
  return [...languages];
}

/** Contexts that turn a number into something else (orders, prices, promo codes…). */
export const CONTEXT_MATCHER = new PhraseMatcher<ContextCategory>(
  Object.entries(CONTEXT_PHRASES).flatMap(([category, phrases]) =>
    phrases.map((phrase) => ({ phrase, meta: category as ContextCategory })),
  ),
);

/** Words that may sit between a keyword and its code ("is", "enter", "your"), in every language. */
export const CONNECTOR_MATCHER = new PhraseMatcher<true>(
  LANGUAGES.flatMap((lexicon) => lexicon.connectors.map((phrase) => ({ phrase, meta: true as const }))),
);

/**
 * Every language's function words in one matcher (each phrase names the languages that list it),
 * so a message is scanned once for all of them instead of once per language.
 */
export const HINT_MATCHER = new PhraseMatcher<readonly string[]>(
  [...mergeHints().entries()].map(([phrase, tags]) => ({ phrase, meta: tags })),
);

function mergeHints(): Map<string, string[]> {
  const byPhrase = new Map<string, string[]>();
  for (const lexicon of LANGUAGES)
    for (const phrase of lexicon.hints) byPhrase.set(phrase, [...(byPhrase.get(phrase) ?? []), lexicon.tag]);
  return byPhrase;
}

/**
 * How many of each language's function words a text holds.
 *
 * @example
 * hintCounts('votre code est 123456').get('fr'); // 2 ('votre', 'est')
 */
export function hintCounts(folded: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const match of HINT_MATCHER.find(folded))
    for (const tag of match.meta) counts.set(tag, (counts.get(tag) ?? 0) + 1);
  return counts;
}
