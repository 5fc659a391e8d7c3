import { describe, expect, it } from 'vitest';
import { extractOTP } from '../src/index.js';
import { loadCorpus, scoreCorpus, type Tally, toInput } from './corpus/index.js';

// The accuracy gate on the tuning split (issue 14), just below what it measured after the fifth
// round of cases (round5-*.json, 275 cases, 121 of them negatives, mostly en, de and tr) and the
// extractor tuned on them (2,221/2,221 right, no wrong code, no miss, 39 languages): one failure
// overall fails it (2,220/2,221 is 99.955%), and so does one failure in any language or category
// of fewer than 20 cases.
const FLOORS = {
  accuracy: 0.9996,
  maxWrongRate: 0.0004,
  maxMissRate: 0.0004,
  groupAccuracy: 0.95,
};

function percent(part: number, total: number): string {
  return `${((100 * part) / Math.max(1, total)).toFixed(1)}%`;
}

function row(name: string, tally: Tally): string {
  const { total, correct, wrong, missed } = tally;
  return `${name.padEnd(18)} ${`${correct}/${total}`.padStart(8)}  right ${percent(correct, total).padStart(6)}  wrong ${percent(wrong, total).padStart(5)}  missed ${percent(missed, total).padStart(5)}`;
}

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
  // Folded in with the former held-out split (issue 14).
  'bg',
  'hr',
  'no',
  'sr',
  'sw',
  'ta',
  'tl',
  'ur',
];

describe('extraction corpus', () => {
  const corpus = loadCorpus();

  it('is large, covers every language and is at least a third negatives', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(2200);
    const negatives = corpus.filter((corpusCase) => corpusCase.expected === null).length;
    expect(negatives / corpus.length).toBeGreaterThanOrEqual(1 / 3);
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

  it('reports accuracy, wrong codes and misses per language and category, above the floors', () => {
    const score = scoreCorpus();
    const table = (group: Record<string, Tally>) =>
      Object.entries(group)
        .sort(([left], [right]) => left.localeCompare(right))
        .map(([name, tally]) => `  ${row(name, tally)}`);
    console.info(
      [
        `tuning split: ${row('overall', score.overall)}`,
        'per language:',
        ...table(score.byLanguage),
        'per category:',
        ...table(score.byCategory),
        ...score.failures.map(
          (failure) =>
            `  FAILED ${failure.id}: expected ${failure.expected}, got ${failure.actual} (${failure.why})`,
        ),
      ].join('\n'),
    );
    expect(score.overall.total).toBe(corpus.length);
    expect(Object.keys(score.byLanguage).sort()).toEqual([...REQUIRED_LANGUAGES].sort());
    const { total, correct, wrong, missed } = score.overall;
    expect(correct / total).toBeGreaterThanOrEqual(FLOORS.accuracy);
    expect(wrong / total).toBeLessThanOrEqual(FLOORS.maxWrongRate);
    expect(missed / total).toBeLessThanOrEqual(FLOORS.maxMissRate);
    for (const [name, tally] of [...Object.entries(score.byLanguage), ...Object.entries(score.byCategory)])
      expect(tally.correct / tally.total, name).toBeGreaterThanOrEqual(FLOORS.groupAccuracy);
  });
});
