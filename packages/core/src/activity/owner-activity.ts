import {
  type ActivityCountRow,
  type ActivityRange,
  agentNamesOf,
  countRequestActivity,
  type DecisionTimesRow,
  listDecisionTimes,
  type RequestTable,
} from '@agent-otp/db';
import {
  ACTIVITY_OUTCOMES,
  type Activity,
  type ActivityDay,
  type ActivityOutcomeCounts,
  activityOutcomeOf,
} from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { yieldToEventLoop } from '../yield-to-event-loop.js';
import { measureDurations } from './durations.js';

const DAY_MS = 86_400_000;

/**
 * Most decided requests of each kind whose durations are measured per query. The durations
 * are percentiles, computed here in JS because SQLite has no percentile function; reading at
 * most this many rows (three or four short columns each, down the owner/created_at index)
 * keeps the read under a megabyte and the sort trivial however long the range or large the
 * history (on SQLite the read blocks the event loop, so it must stay small: 20,000 rows took
 * ~250 ms on a loaded 2-CPU machine, 5,000 under 100 ms; `npm run bench activity`). The
 * newest 5,000 decisions give a median and p90 as good as all of them for an owner's view.
 * Past it, the figures describe the newest decisions and say so (`durationsSampled`).
 */
export const DECISION_TIMES_LIMIT = 5_000;

/** Decisions no person made: they take no time and would hide how long the owner takes. */
const AUTOMATIC_CHANNELS: ReadonlySet<string> = new Set(['policy', 'system']);

const TABLES: readonly { table: RequestTable; kind: ActivityDay['kind'] }[] = [
  { table: 'otp_requests', kind: 'otp' },
  { table: 'permission_requests', kind: 'permission' },
];

export interface ActivityQueryFor {
  ownerId: string;
  /** UTC days, today included. */
  days: number;
  agentId?: string | undefined;
}

/**
 * The owner's activity over the last `days` UTC days: requests per day, agent and kind by
 * outcome, how long the owner takes to decide, how long codes take after approval, and the
 * expiry and denial rates.
 *
 * @example
 * const activity = await getOwnerActivity(ctx, { ownerId, days: 14 });
 */
export async function getOwnerActivity(ctx: CoreContext, query: ActivityQueryFor): Promise<Activity> {
  const { db, dialect } = ctx.database;
  const tomorrow = startOfUtcDay(ctx.clock.now()) + DAY_MS;
  const fromMs = tomorrow - query.days * DAY_MS;
  const range: ActivityRange = {
    ownerId: query.ownerId,
    from: new Date(fromMs).toISOString(),
    until: new Date(tomorrow).toISOString(),
    agentId: query.agentId,
  };
  // On SQLite each read runs on the event loop: the count yields between its stretches, and
  // the other reads wait for a turn of their own, so no request waits behind the whole
  // activity (issue 18).
  const perKind = await Promise.all(
    TABLES.map(async ({ table, kind }) => {
      const counts = await countRequestActivity(db, dialect, table, range);
      await yieldToEventLoop();
      return { kind, counts, times: await listDecisionTimes(db, table, range, DECISION_TIMES_LIMIT + 1) };
    }),
  );
  await yieldToEventLoop();

  const daily = perKind.flatMap(({ kind, counts }) => dailyRows(kind, counts));
  const outcomes = emptyOutcomes();
  for (const day of daily)
    for (const outcome of ACTIVITY_OUTCOMES) outcomes[outcome] += day.outcomes[outcome];
  const requests = ACTIVITY_OUTCOMES.reduce((sum, outcome) => sum + outcomes[outcome], 0);
  const ended = requests - outcomes.pending;

  const durationsSampled = perKind.some(({ times }) => times.length > DECISION_TIMES_LIMIT);
  const decisions = perKind.flatMap(({ times }) => times.slice(0, DECISION_TIMES_LIMIT));
  const otpDecisions = perKind[0]?.times.slice(0, DECISION_TIMES_LIMIT) ?? [];
  const agentIds = [...new Set(daily.map((day) => day.agentId))];

  return {
    from: range.from,
    until: range.until,
    dates: Array.from({ length: query.days }, (_, i) =>
      new Date(fromMs + i * DAY_MS).toISOString().slice(0, 10),
    ),
    agents: await agentNamesOf(db, query.ownerId, agentIds),
    daily,
    summary: {
      requests,
      outcomes,
      timeToDecide: measureDurations(decisions.filter(byPerson).map(decisionMs)),
      approvalToCode: measureDurations(otpDecisions.flatMap(approvalToCodeMs)),
      expiryRate: ended === 0 ? null : outcomes.expired / ended,
      denialRate: ended === 0 ? null : outcomes.denied / ended,
      durationsSampled,
    },
  };
}

function startOfUtcDay(at: Date): number {
  return Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), at.getUTCDate());
}

function emptyOutcomes(): ActivityOutcomeCounts {
  return { approved: 0, denied: 0, expired: 0, cancelled: 0, pending: 0 };
}

/** Status counts folded into outcome counts, one row per day and agent, oldest day first. */
function dailyRows(kind: ActivityDay['kind'], counts: readonly ActivityCountRow[]): ActivityDay[] {
  const byDayAndAgent = new Map<string, ActivityDay>();
  for (const row of counts) {
    const key = `${row.day} ${row.agentId}`;
    let day = byDayAndAgent.get(key);
    if (!day) {
      day = { date: row.day, agentId: row.agentId, kind, outcomes: emptyOutcomes() };
      byDayAndAgent.set(key, day);
    }
    day.outcomes[activityOutcomeOf(row.status)] += row.count;
  }
  return [...byDayAndAgent.values()].sort((a, b) =>
    a.date === b.date ? a.agentId.localeCompare(b.agentId) : a.date.localeCompare(b.date),
  );
}

function byPerson(row: DecisionTimesRow): boolean {
  return row.decision_channel === null || !AUTOMATIC_CHANNELS.has(row.decision_channel);
}

function decisionMs(row: DecisionTimesRow): number {
  return Math.max(0, Date.parse(row.decided_at) - Date.parse(row.created_at));
}

/** A code held while the request was pending is released at the approval: 0, not negative. */
function approvalToCodeMs(row: DecisionTimesRow): number[] {
  if (row.decision !== 'approved' || row.otp_received_at === null) return [];
  return [Math.max(0, Date.parse(row.otp_received_at) - Date.parse(row.decided_at))];
}
