/**
 * What the runner logs through: the relay's pino logger fits as it is. Declared here so the
 * jobs package depends on nothing that configures logging.
 */
export interface JobLogger {
  info(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/**
 * Work the runner repeats: every `everyMs`, and at once whenever it is triggered (something
 * was queued for it). Without `everyMs` it runs only when triggered: a queue drainer.
 *
 * The runner never overlaps two runs of one job in one process, but every instance of the
 * relay runs every job: `run` must be safe to run on several instances at once (conditional
 * updates, or work claimed with `… WHERE claimed_by IS NULL`).
 */
export interface RecurringJob {
  readonly kind: 'recurring';
  /** Names the job in its log lines ("expiry sweep failed; retrying"). */
  readonly name: string;
  readonly everyMs?: number | undefined;
  /** One pass. A throw is logged once per outage; the next pass runs as planned. */
  run(signal: AbortSignal): Promise<void>;
}

/** What a started service hands back: how to stop it. */
export interface StartedService {
  stop(): Promise<void>;
}

/**
 * Work that lives as long as the process (a mailbox watch, a chat bot): started in order by
 * the runner and stopped in reverse order. A `start` that throws stops start-up (a setting
 * that cannot work); a `start` that resolves `undefined` had nothing to do.
 */
export interface ServiceJob {
  readonly kind: 'service';
  readonly name: string;
  start(): Promise<StartedService | undefined>;
}

export type Job = RecurringJob | ServiceJob;

/**
 * Declares a recurring job (interval, queue, or both).
 *
 * @example
 * const sweep = defineJob({ name: 'expiry sweep', everyMs: 1000, run: () => expireOverdue(ctx) });
 */
export function defineJob(definition: Omit<RecurringJob, 'kind'>): RecurringJob {
  if (definition.everyMs !== undefined && !(definition.everyMs > 0))
    throw new RangeError(`job ${definition.name}: everyMs must be positive`);
  return { kind: 'recurring', ...definition };
}

/**
 * Declares a long-lived service the runner starts and stops.
 *
 * @example
 * const mail = defineService({ name: 'mail connectors', start: () => startBuiltInConnectors(ctx, options) });
 */
export function defineService(definition: Omit<ServiceJob, 'kind'>): ServiceJob {
  return { kind: 'service', ...definition };
}
