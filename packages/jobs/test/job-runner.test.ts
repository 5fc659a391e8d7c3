import { describe, expect, it } from 'vitest';
import { defineJob, defineService, type JobLogger, JobRunner } from '../src/index.js';

/** A logger that keeps its lines, so a test can count what was said. */
function recordingLogger(): JobLogger & { lines: { level: string; message: string }[] } {
  const lines: { level: string; message: string }[] = [];
  return {
    lines,
    info: (_fields, message) => lines.push({ level: 'info', message }),
    error: (_fields, message) => lines.push({ level: 'error', message }),
  };
}

const until = async (what: string, check: () => boolean) => {
  for (let i = 0; i < 500; i++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
};

describe('JobRunner', () => {
  it('runs a recurring job on its interval until stopped', async () => {
    const runner = new JobRunner(recordingLogger());
    let passes = 0;
    runner.add(defineJob({ name: 'count', everyMs: 5, run: async () => void passes++ }));
    await runner.start();
    await until('three passes', () => passes >= 3);
    await runner.stop();
    const atStop = passes;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(passes).toBe(atStop);
  });

  it('logs an outage once and the recovery once, and keeps running', async () => {
    const logger = recordingLogger();
    const runner = new JobRunner(logger);
    let passes = 0;
    runner.add(
      defineJob({
        name: 'flaky sweep',
        everyMs: 5,
        run: async () => {
          passes++;
          if (passes <= 5) throw new Error('database unavailable');
        },
      }),
    );
    await runner.start();
    await until('recovery', () => logger.lines.some((line) => line.message === 'flaky sweep working again'));
    await runner.stop();
    expect(logger.lines.filter((line) => line.message === 'flaky sweep failed; retrying')).toHaveLength(1);
    expect(logger.lines.filter((line) => line.message === 'flaky sweep working again')).toHaveLength(1);
  });

  it('never overlaps two passes of one job; a trigger during a pass means exactly one more', async () => {
    const runner = new JobRunner(recordingLogger());
    let running = 0;
    let maxRunning = 0;
    let passes = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    runner.add(
      defineJob({
        name: 'queue',
        run: async () => {
          running++;
          maxRunning = Math.max(maxRunning, running);
          passes++;
          if (passes === 1) await gate;
          running--;
        },
      }),
    );
    await runner.start();
    for (let i = 0; i < 10; i++) runner.trigger('queue');
    release();
    await until('the second pass', () => passes === 2 && running === 0);
    await runner.stop();
    expect(maxRunning).toBe(1);
    expect(passes).toBe(2);
  });

  it('starts services in order, stops them in reverse, and undoes a failed start', async () => {
    const events: string[] = [];
    const service = (name: string) =>
      defineService({
        name,
        start: async () => {
          events.push(`start ${name}`);
          return { stop: async () => void events.push(`stop ${name}`) };
        },
      });
    const runner = new JobRunner(recordingLogger());
    runner.add(service('a')).add(service('b'));
    await runner.start();
    await runner.stop();
    expect(events).toEqual(['start a', 'start b', 'stop b', 'stop a']);

    events.length = 0;
    const failing = new JobRunner(recordingLogger());
    failing.add(service('a')).add(
      defineService({
        name: 'broken',
        start: async () => {
          throw new Error('IMAP_CA_FILE is not readable');
        },
      }),
    );
    await expect(failing.start()).rejects.toThrow('IMAP_CA_FILE is not readable');
    expect(events).toEqual(['start a', 'stop a']);
  });

  it('refuses duplicate names and unknown triggers', async () => {
    const runner = new JobRunner(recordingLogger());
    runner.add(defineJob({ name: 'x', run: async () => {} }));
    expect(() => runner.add(defineJob({ name: 'x', run: async () => {} }))).toThrow(/already added/);
    await runner.start();
    expect(() => runner.trigger('y')).toThrow(/no such recurring job/);
    await runner.stop();
    expect(() => defineJob({ name: 'z', everyMs: 0, run: async () => {} })).toThrow(/positive/);
  });
});
