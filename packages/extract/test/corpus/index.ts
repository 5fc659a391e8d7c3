import { readdirSync, readFileSync } from 'node:fs';
import type { ExtractInput, ExtractResult } from '../../src/index.js';
import { extractOTP } from '../../src/index.js';
import { type CorpusCase, NEGATIVE_CATEGORIES, POSITIVE_CATEGORIES } from './corpus-case.js';

export type { CorpusCase } from './corpus-case.js';

const CASES_DIRECTORY = new URL('./cases/', import.meta.url);
const HELD_OUT_DIRECTORY = new URL('./held-out/', import.meta.url);
const CATEGORIES: ReadonlySet<string> = new Set([...POSITIVE_CATEGORIES, ...NEGATIVE_CATEGORIES]);
const NEGATIVE: ReadonlySet<string> = new Set(NEGATIVE_CATEGORIES);

function assertCase(value: unknown, file: string): asserts value is CorpusCase {
  const record = value as Partial<CorpusCase> | null;
  const problems: string[] = [];
  if (!record || typeof record !== 'object') throw new Error(`${file}: case is not an object`);
  for (const field of ['id', 'language', 'category', 'source', 'why'] as const) {
    if (typeof record[field] !== 'string' || record[field] === '') problems.push(`missing ${field}`);
  }
  if (record.expected !== null && typeof record.expected !== 'string')
    problems.push('expected must be string or null');
  if (record.text === undefined && record.html === undefined && record.subject === undefined)
    problems.push('no content');
  if (record.category && !CATEGORIES.has(record.category))
    problems.push(`unknown category ${record.category}`);
  if (record.category && NEGATIVE.has(record.category) !== (record.expected === null)) {
    problems.push('negative categories expect null and positive ones a code');
  }
  if (problems.length > 0) throw new Error(`${file} ${record.id ?? '?'}: ${problems.join(', ')}`);
}

let cached: CorpusCase[] | undefined;
let cachedHeldOut: CorpusCase[] | undefined;

/** Every case of every `*.json` file in `directory`, validated, in file then file order. */
function readSplit(directory: URL): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const parsed: unknown = JSON.parse(readFileSync(new URL(file, directory), 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`${file}: expected an array of cases`);
    for (const value of parsed) {
      assertCase(value, file);
      cases.push(value);
    }
  }
  return cases;
}

/** Throws on an id used twice, counting the ids of `others` (another split) as used. */
function assertUniqueIds(cases: readonly CorpusCase[], others: readonly CorpusCase[] = []): void {
  const ids = new Set(others.map((corpusCase) => corpusCase.id));
  for (const corpusCase of cases) {
    if (ids.has(corpusCase.id)) throw new Error(`duplicate corpus id ${corpusCase.id}`);
    ids.add(corpusCase.id);
  }
}

/** Every case of every `cases/*.json` file (the split the extractor is tuned on), validated. */
export function loadCorpus(): CorpusCase[] {
  if (cached) return cached;
  const cases = readSplit(CASES_DIRECTORY);
  assertUniqueIds(cases);
  cached = cases;
  return cases;
}

/**
 * Every case of every `held-out/*.json` file: the split nobody tuning the extractor reads, so
 * its accuracy is an honest estimate on messages written elsewhere (issue 14). Ids are unique
 * across both splits.
 */
export function loadHeldOut(): CorpusCase[] {
  if (cachedHeldOut) return cachedHeldOut;
  const cases = readSplit(HELD_OUT_DIRECTORY);
  assertUniqueIds(cases, loadCorpus());
  cachedHeldOut = cases;
  return cases;
}

/** The extractor input a case describes. */
export function toInput(corpusCase: CorpusCase): ExtractInput {
  const { source, from, subject, text, html } = corpusCase;
  return { source, from, subject, text, html };
}

export interface Tally {
  total: number;
  correct: number;
  /** A code returned that differs from the expected one, including any code for a negative. */
  wrong: number;
  /** No code returned for a message that holds one. */
  missed: number;
}

function emptyTally(): Tally {
  return { total: 0, correct: 0, wrong: 0, missed: 0 };
}

export interface CorpusScore {
  overall: Tally;
  byLanguage: Record<string, Tally>;
  byCategory: Record<string, Tally>;
  /** Found codes whose `language` matches the case's language. */
  languageTags: Tally;
  failures: Array<{ id: string; expected: string | null; actual: string | null; why: string }>;
}

type Outcome = 'correct' | 'wrong' | 'missed';

function count(tally: Tally, outcome: Outcome): void {
  tally.total++;
  tally[outcome]++;
}

function countIn(tallies: Record<string, Tally>, key: string, outcome: Outcome): void {
  const tally = tallies[key] ?? emptyTally();
  count(tally, outcome);
  tallies[key] = tally;
}

/**
 * Runs the extractor over the whole tuning corpus and tallies exact-match accuracy, wrong codes
 * and misses per language and per category.
 *
 * @example
 * const { overall, byLanguage } = scoreCorpus();
 * console.log(overall.correct / overall.total, byLanguage.ja);
 */
export function scoreCorpus(
  extract: (input: ExtractInput) => ExtractResult | null = extractOTP,
): CorpusScore {
  const score: CorpusScore = {
    overall: emptyTally(),
    byLanguage: {},
    byCategory: {},
    languageTags: emptyTally(),
    failures: [],
  };
  for (const corpusCase of loadCorpus()) {
    const result = extract(toInput(corpusCase));
    const actual = result?.code ?? null;
    const correct = actual === corpusCase.expected;
    const outcome: Outcome = correct ? 'correct' : actual === null ? 'missed' : 'wrong';
    count(score.overall, outcome);
    countIn(score.byLanguage, corpusCase.language, outcome);
    countIn(score.byCategory, corpusCase.category, outcome);
    if (result && correct)
      count(score.languageTags, result.language === corpusCase.language ? 'correct' : 'wrong');
    if (!correct)
      score.failures.push({ id: corpusCase.id, expected: corpusCase.expected, actual, why: corpusCase.why });
  }
  return score;
}
