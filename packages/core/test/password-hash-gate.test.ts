/** Issue 9 item 6: the bound on concurrent password hashes, its queue and its priority lane. */
import { AppError } from '@agent-otp/shared';
import { describe, expect, it } from 'vitest';
import { PasswordHashGate } from '../src/owners/password-hash-gate.js';

/** A stand-in hash that finishes when the test says so. */
function pendingHash(order: string[], name: string) {
  let finish: () => void = () => {};
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    run: async () => {
      order.push(name);
      await done;
      return name;
    },
    finish: () => finish(),
  };
}

describe('PasswordHashGate', () => {
  it('never runs more than `concurrency` at once and refuses beyond the queue with Retry-After', async () => {
    const gate = new PasswordHashGate({ concurrency: 2, queue: 3 });
    const order: string[] = [];
    const hashes = Array.from({ length: 5 }, (_, i) => pendingHash(order, `h${i}`));
    const running = hashes.map((h) => gate.run(h.run));
    await expect(gate.run(async () => 'one too many')).rejects.toSatisfy(
      (error: unknown) =>
        error instanceof AppError &&
        error.code === 'SERVICE_UNAVAILABLE' &&
        (error.details as { retryAfter: number }).retryAfter === 1,
    );
    expect(gate.stats()).toMatchObject({ running: 2, queued: 3, refused: 1 });
    for (const h of hashes) h.finish();
    expect(await Promise.all(running)).toEqual(['h0', 'h1', 'h2', 'h3', 'h4']);
    expect(gate.stats()).toMatchObject({ started: 5, running: 0, queued: 0, maxRunning: 2 });
  });

  it('serves priority callers before the strangers queued ahead of them', async () => {
    const gate = new PasswordHashGate({ concurrency: 1, queue: 2 });
    const order: string[] = [];
    const first = pendingHash(order, 'running');
    const strangers = [pendingHash(order, 'stranger1'), pendingHash(order, 'stranger2')];
    const owner = pendingHash(order, 'owner');
    const all = [gate.run(first.run), ...strangers.map((s) => gate.run(s.run))];
    // The strangers' queue is full, yet the owner's lane has room.
    all.push(gate.run(owner.run, { priority: true }));
    for (const h of [first, owner, ...strangers]) h.finish();
    await Promise.all(all);
    expect(order).toEqual(['running', 'owner', 'stranger1', 'stranger2']);
  });
});
