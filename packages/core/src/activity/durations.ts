import type { ActivityDuration } from '@agent-otp/shared';

/**
 * The value at or below which `percent`% of the sorted values lie (nearest rank: always one
 * of the values, so a median of 10 s and 20 s is 10 s, never an average nobody waited).
 *
 * @example
 * nearestRank([1, 2, 3, 4], 50); // 2
 */
export function nearestRank(sorted: readonly number[], percent: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((percent / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}

/**
 * Count, median and 90th percentile of some durations in milliseconds (rounded to whole ms).
 *
 * @example
 * measureDurations([30_000, 10_000, 20_000]); // { count: 3, medianMs: 20000, p90Ms: 30000 }
 */
export function measureDurations(values: readonly number[]): ActivityDuration {
  const sorted = values.map(Math.round).sort((a, b) => a - b);
  return { count: sorted.length, medianMs: nearestRank(sorted, 50), p90Ms: nearestRank(sorted, 90) };
}
