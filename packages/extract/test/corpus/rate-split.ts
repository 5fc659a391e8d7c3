import type { ExtractInput, ExtractResult } from '../../src/index.js';
import { extractOTP } from '../../src/index.js';
import type { CorpusCase } from './corpus-case.js';
import { toInput } from './index.js';

/** Every case lands in exactly one bucket: the expected result, a wrong code, or a missed code. */
export interface Outcomes {
  total: number;
  correct: number;
  /** A code was returned that differs from the expected one, including any code for a negative. */
  wrong: number;
  /** No code was returned for a message that holds one. */
  missed: number;
}

export interface SplitOutcomes {
  overall: Outcomes;
  byLanguage: Record<string, Outcomes>;
  byCategory: Record<string, Outcomes>;
}

type Bucket = 'correct' | 'wrong' | 'missed';

function bucketOf(expected: string | null, actual: string | null): Bucket {
  if (actual === expected) return 'correct';
  return actual === null ? 'missed' : 'wrong';
}

function tally(outcomes: Record<string, Outcomes>, key: string, bucket: Bucket): void {
  const row = outcomes[key] ?? { total: 0, correct: 0, wrong: 0, missed: 0 };
  row.total++;
  row[bucket]++;
  outcomes[key] = row;
}

/**
 * Runs the extractor over `cases` and counts outcomes overall, per language and per category.
 * It keeps no case ids: the held-out split must only ever be reported in aggregate (issue 14).
 *
 * @example
 * const { overall } = rateSplit(loadHeldOut());
 * console.info(overall.wrong / overall.total);
 */
export function rateSplit(
  cases: readonly CorpusCase[],
  extract: (input: ExtractInput) => ExtractResult | null = extractOTP,
): SplitOutcomes {
  const overall: Outcomes = { total: 0, correct: 0, wrong: 0, missed: 0 };
  const byLanguage: Record<string, Outcomes> = {};
  const byCategory: Record<string, Outcomes> = {};
  for (const corpusCase of cases) {
    const bucket = bucketOf(corpusCase.expected, extract(toInput(corpusCase))?.code ?? null);
    overall.total++;
    overall[bucket]++;
    tally(byLanguage, corpusCase.language, bucket);
    tally(byCategory, corpusCase.category, bucket);
  }
  return { overall, byLanguage, byCategory };
}

function percent(part: number, total: number): string {
  return total === 0 ? '-' : `${((100 * part) / total).toFixed(1)}%`;
}

function formatRow(name: string, row: Outcomes): string {
  return `${name} ${row.correct}/${row.total} (${percent(row.correct, row.total)}, wrong ${percent(row.wrong, row.total)}, missed ${percent(row.missed, row.total)})`;
}

/** One line overall, then one per language and one per category, sorted by name. */
export function formatOutcomes(title: string, outcomes: SplitOutcomes): string {
  const rows = (group: Record<string, Outcomes>) =>
    Object.entries(group)
      .sort(([left], [right]) => left.localeCompare(right))
      .map(([name, row]) => `  ${formatRow(name, row)}`);
  return [
    formatRow(title, outcomes.overall),
    'per language:',
    ...rows(outcomes.byLanguage),
    'per category:',
    ...rows(outcomes.byCategory),
  ].join('\n');
}
