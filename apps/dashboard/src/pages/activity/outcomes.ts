import type { Activity, ActivityOutcome, ActivityOutcomeCounts } from '@agent-otp/shared';

/**
 * The outcomes in stacking order (bottom first), with their words. A value import of the
 * contract would bring zod into the bundle; `satisfies` keeps this list honest.
 */
export const OUTCOMES = [
  { outcome: 'approved', label: 'Approved' },
  { outcome: 'denied', label: 'Denied' },
  { outcome: 'expired', label: 'Expired' },
  { outcome: 'cancelled', label: 'Cancelled' },
  { outcome: 'pending', label: 'Pending' },
] as const satisfies readonly { outcome: ActivityOutcome; label: string }[];

/** One day of the chart: the counts of every agent and both kinds added up. */
export interface DayTotals {
  date: string;
  outcomes: ActivityOutcomeCounts;
  total: number;
}

/**
 * Every day of the range with its outcome counts summed over agents and kinds (days without
 * requests count zero, so the chart keeps its time axis).
 *
 * @example
 * dayTotals(activity)[0]; // { date: '2026-11-21', outcomes: { approved: 3, … }, total: 5 }
 */
export function dayTotals(activity: Activity): DayTotals[] {
  const byDate = new Map<string, DayTotals>(
    activity.dates.map((date) => [
      date,
      { date, outcomes: { approved: 0, denied: 0, expired: 0, cancelled: 0, pending: 0 }, total: 0 },
    ]),
  );
  for (const row of activity.daily) {
    const day = byDate.get(row.date);
    if (!day) continue;
    for (const { outcome } of OUTCOMES) {
      day.outcomes[outcome] += row.outcomes[outcome];
      day.total += row.outcomes[outcome];
    }
  }
  return [...byDate.values()];
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** A UTC day (`2026-11-21`) as the reader's short date ("Nov 21"). */
export function formatDay(date: string): string {
  return dayFormat.format(new Date(`${date}T00:00:00Z`));
}

/** "1 approved, 2 denied" (zeros left out), or "no requests". */
export function describeDay(day: DayTotals): string {
  const parts = OUTCOMES.filter(({ outcome }) => day.outcomes[outcome] > 0).map(
    ({ outcome, label }) => `${day.outcomes[outcome]} ${label.toLowerCase()}`,
  );
  return parts.length > 0 ? parts.join(', ') : 'no requests';
}
