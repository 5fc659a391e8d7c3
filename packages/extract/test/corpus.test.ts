import { describe, expect, it } from 'vitest';
import { extractOTP } from '../src/index.js';
import { loadCorpus, scoreCorpus, toInput } from './corpus/index.js';

const REQUIRED_LANGUAGES = [
  'en',
  'zh',
  'ja',
  'ko',
  'es',
  'pt',
  'fr',
  'de',
  'it',
  'nl',
  'pl',
  'ru',
  'uk',
  'tr',
  'ar',
  'he',
  'fa',
  'hi',
  'th',
  'vi',
  'id',
  'sv',
  'fi',
  'el',
  'cs',
  'ro',
  'hu',
  'da',
  'ca',
  'ms',
  'bn',
];

describe('extraction corpus', () => {
  const corpus = loadCorpus();

  it('is large, covers every language and is at least a quarter negatives', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    const negatives = corpus.filter((corpusCase) => corpusCase.expected === null).length;
    expect(negatives / corpus.length).toBeGreaterThanOrEqual(0.25);
    const languages = new Set(corpus.map((corpusCase) => corpusCase.language));
    for (const language of REQUIRED_LANGUAGES) expect(languages, language).toContain(language);
  });

  it.each(corpus.map((corpusCase) => [corpusCase.id, corpusCase] as const))('%s', (_id, corpusCase) => {
    const result = extractOTP(toInput(corpusCase));
    expect(result?.code ?? null, corpusCase.why).toBe(corpusCase.expected);
    if (result) {
      expect(result.language, `language of ${corpusCase.id}`).toBe(corpusCase.language);
      expect(result.confidence).toBeGreaterThan(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
    }
  });

  it('reports accuracy per language and per category', () => {
    const score = scoreCorpus();
    const rows = Object.entries(score.byLanguage).map(
      ([language, tally]) => `${language} ${tally.correct}/${tally.total}`,
    );
    const categories = Object.entries(score.byCategory).map(
      ([name, tally]) => `${name} ${tally.correct}/${tally.total}`,
    );
    console.info(
      `corpus accuracy ${score.overall.correct}/${score.overall.total}\n  ${rows.join('  ')}\n  ${categories.join('  ')}`,
    );
    expect(score.overall.total).toBe(corpus.length);
    expect(Object.keys(score.byLanguage).sort()).toEqual([...REQUIRED_LANGUAGES].sort());
  });
});
