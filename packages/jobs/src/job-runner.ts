import type { Job, JobLogger, RecurringJob, StartedService } from './job.js';

/** The state of one recurring job between passes. */
interface Schedule {
  job: RecurringJob;
  timer: NodeJS.Timeout | undefined;
  running: Promise<void> | undefined;
  /** Triggered while a pass ran: one more pass follows it. */
  again: boolean;
  /** The last pass failed; the next failure is not logged again, the next success is. */
  failing: boolean;
}

/**
 * Hosts the relay's background work: long-lived services (mail connectors, the Telegram bot)
 * and recurring jobs (the expiry sweeper, the Telegram reconcile pass, queue drainers). One
 * place starts them, one place stops them, and a failing pass is logged once per outage
 * (`<name> failed; retrying`, then `<name> working again`) instead of once a second, and never
 * crashes the process.
 *
 * @example
 * const runner = new JobRunner(logger);
 * runner.add(defineJob({ name: 'expiry sweep', everyMs: 1000, run: () => sweep(ctx) }));
 * await runner.start();
 * await runner.stop();
 */
export class JobRunner {
  private readonly jobs: Job[] = [];
  private readonly schedules = new Map<string, Schedule>();
  private readonly services: { name: string; service: StartedService }[] = [];
  private readonly stopping = new AbortController();
  private started = false;

  constructor(private readonly logger: JobLogger) {}

  /** Adds a job before {@link start}; names are unique, since they name the job's log lines. */
  add(job: Job): this {
    if (this.started) throw new Error(`job ${job.name}: add jobs before start()`);
    if (this.jobs.some((existing) => existing.name === job.name))
      throw new Error(`job ${job.name}: a job with this name is already added`);
    this.jobs.push(job);
    return this;
  }

  /**
   * Starts the services in the order they were added, then the recurring jobs' timers. When a
   * service fails to start, the ones already started are stopped and the error is rethrown.
   */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    for (const job of this.jobs) {
      if (job.kind !== 'service') continue;
      try {
        const service = await job.start();
        if (service) this.services.push({ name: job.name, service });
      } catch (error) {
        await this.stop();
        throw error;
      }
    }
    if (this.stopping.signal.aborted) return;
    for (const job of this.jobs) {
      if (job.kind !== 'recurring') continue;
      const schedule: Schedule = { job, timer: undefined, running: undefined, again: false, failing: false };
      if (job.everyMs !== undefined) {
        schedule.timer = setInterval(() => this.runPass(schedule), job.everyMs);
        // Background work never keeps a process alive that is otherwise done.
        schedule.timer.unref();
      }
      this.schedules.set(job.name, schedule);
    }
  }

  /**
   * Runs a recurring job now (something was queued for it). A trigger during a pass means one
   * more pass after it, not a second pass at the same time.
   */
  trigger(name: string): void {
    const schedule = this.schedules.get(name);
    if (!schedule) throw new Error(`job ${name}: no such recurring job, or the runner is not started`);
    this.runPass(schedule);
  }

  /** Stops the timers, waits for passes in flight, then stops the services in reverse order. */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const schedule of this.schedules.values()) clearInterval(schedule.timer);
    await Promise.all([...this.schedules.values()].map((schedule) => schedule.running));
    while (this.services.length > 0) {
      const { name, service } = this.services.pop()!;
      try {
        await service.stop();
      } catch (error) {
        this.logger.error({ job: name, err: { message: (error as Error).message } }, `${name}: stop failed`);
      }
    }
  }

  private runPass(schedule: Schedule): void {
    if (this.stopping.signal.aborted) return;
    if (schedule.running) {
      schedule.again = true;
      return;
    }
    schedule.running = this.pass(schedule).finally(() => {
      schedule.running = undefined;
      if (schedule.again) {
        schedule.again = false;
        this.runPass(schedule);
      }
    });
  }

  private async pass(schedule: Schedule): Promise<void> {
    const { name } = schedule.job;
    try {
      await schedule.job.run(this.stopping.signal);
      if (schedule.failing) this.logger.info({ job: name }, `${name} working again`);
      schedule.failing = false;
    } catch (error) {
      // A job that runs every second would otherwise log every second while a database is down.
      if (!schedule.failing)
        this.logger.error(
          { job: name, err: { message: (error as Error).message } },
          `${name} failed; retrying`,
        );
      schedule.failing = true;
    }
  }
}
