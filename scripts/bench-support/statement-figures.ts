/**
 * Statements per lifecycle and per step, counted in process (test-support/statement-counter),
 * and the statement list of one lifecycle for the bare-driver replay.
 */
import type { RecordedStatement } from '../../test-support/statement-counter.js';
import type { CountedRelay } from './in-process-relay.js';
import { type AgentKey, runLifecycle } from './lifecycle-steps.js';

export const STEPS = ['create', 'approve', 'deliver', 'consume'] as const;
export type Step = (typeof STEPS)[number];

/** Which lifecycle step an HTTP request scope (`POST /api/v1/...`) belongs to. */
export function stepOfScope(scope: string | undefined): Step | 'background' {
  if (scope === undefined) return 'background';
  if (scope === 'POST /api/v1/otp') return 'create';
  if (/\/approve$/.test(scope)) return 'approve';
  if (/\/deliver$/.test(scope)) return 'deliver';
  if (/\/consume$/.test(scope)) return 'consume';
  return 'background';
}

export interface StatementFigures {
  /** Statements the four requests caused, per lifecycle: least and most over the samples. */
  perLifecycle: { min: number; max: number };
  perStep: Record<Step, { min: number; max: number }>;
  /** Statements of the relay's background jobs (pollers, sweeps) while the samples ran, per lifecycle. */
  backgroundPerLifecycle: number;
  samples: number;
  /** The statement texts of the last sample, in order (what the baseline replays). */
  statementList: string[];
}

const range = (values: number[]) => ({ min: Math.min(...values), max: Math.max(...values) });

/** Runs `samples` lifecycles one at a time after a warm-up; returns the figures and the last lifecycle's statements. */
export async function countStatementsPerLifecycle(
  relay: CountedRelay,
  key: AgentKey,
  samples: number,
): Promise<{
  figures: StatementFigures;
  lastLifecycle: RecordedStatement[];
  lastLifecycleStartedAt: number;
}> {
  const settle = () => new Promise((resolve) => setTimeout(resolve, 150));
  for (let i = 0; i < 2; i++) await runLifecycle(relay, key);
  await settle();
  const totals: number[] = [];
  const perStep: Record<Step, number[]> = { create: [], approve: [], deliver: [], consume: [] };
  let background = 0;
  let lastLifecycle: RecordedStatement[] = [];
  let lastLifecycleStartedAt = 0;
  for (let i = 0; i < samples; i++) {
    relay.counter.reset();
    lastLifecycleStartedAt = Date.now();
    await runLifecycle(relay, key);
    // Work a request started but did not wait for (a notification after commit) still counts.
    await settle();
    const statements = [...relay.counter.statements];
    const counts: Record<Step | 'background', number> = {
      create: 0,
      approve: 0,
      deliver: 0,
      consume: 0,
      background: 0,
    };
    for (const statement of statements) counts[stepOfScope(statement.scope)]++;
    for (const step of STEPS) perStep[step].push(counts[step]);
    totals.push(STEPS.reduce((sum, step) => sum + counts[step], 0));
    background += counts.background;
    lastLifecycle = statements.filter((statement) => stepOfScope(statement.scope) !== 'background');
  }
  return {
    figures: {
      perLifecycle: range(totals),
      perStep: {
        create: range(perStep.create),
        approve: range(perStep.approve),
        deliver: range(perStep.deliver),
        consume: range(perStep.consume),
      },
      backgroundPerLifecycle: Math.round((background / samples) * 10) / 10,
      samples,
      statementList: lastLifecycle.map((statement) => statement.sql),
    },
    lastLifecycle,
    lastLifecycleStartedAt,
  };
}
