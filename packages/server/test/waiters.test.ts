/**
 * Issue 18: waiting agents and dashboard streams that cost little. Many waiters on one
 * request share one bus subscription (and one re-read per change), a waiter whose client
 * goes away leaves nothing behind, the long-poll cap is jittered within [90%, 100%] of the
 * wait, and each owner's open dashboards share one feed that never carries another owner's
 * requests.
 */
import {
  createOwnerAccount,
  createOwnerToken,
  DEADLINE_RESOLUTION_MS,
  DeadlineTimers,
  type EventBus,
  LONG_POLL_JITTER,
  longPollCapMs,
  ownerTopic,
  requestTopic,
  topicFollowers,
} from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openSse } from '../../../test-support/sse.js';

/** Counts the bus subscriptions open per topic, by wrapping the relay's own bus. */
function countSubscriptions(bus: EventBus): Map<string, number> {
  const open = new Map<string, number>();
  const subscribe = bus.subscribe.bind(bus);
  bus.subscribe = (topic, listener) => {
    open.set(topic, (open.get(topic) ?? 0) + 1);
    const unsubscribe = subscribe(topic, listener);
    return () => {
      open.set(topic, (open.get(topic) ?? 1) - 1);
      unsubscribe();
    };
  };
  return open;
}

/** Counts the re-reads waiters of one topic really run (joined reads are not counted). */
function countSharedReads(bus: EventBus): { count: (topic: string) => number } {
  const followers = topicFollowers(bus);
  const runs = new Map<string, number>();
  const sharedRead = followers.sharedRead.bind(followers);
  followers.sharedRead = (topic, key, since, read) =>
    sharedRead(topic, key, since, () => {
      runs.set(topic, (runs.get(topic) ?? 0) + 1);
      return read();
    });
  return { count: (topic) => runs.get(topic) ?? 0 };
}

describe('deadlines and the long-poll cap', () => {
  it('fires deadlines in order from one timer, and a cancelled one never', async () => {
    const timers = new DeadlineTimers();
    const fired: string[] = [];
    timers.schedule(60, () => fired.push('late'));
    const cancel = timers.schedule(30, () => fired.push('cancelled'));
    timers.schedule(10, () => fired.push('early'));
    timers.schedule(10, () => fired.push('early too'));
    expect(timers.size).toBe(4);
    cancel();
    expect(timers.size).toBe(3);
    await eventually(async () => fired.length === 3, 2000);
    expect(fired).toEqual(['early', 'early too', 'late']);
    expect(timers.size).toBe(0);
  });

  it('cuts a long-poll to between 90% and 100% of its wait, leaving room for the timer resolution', () => {
    expect(longPollCapMs(30, () => 0)).toBe(30_000);
    const shortest = longPollCapMs(30, () => 1);
    expect(shortest - DEADLINE_RESOLUTION_MS).toBeGreaterThanOrEqual(30_000 * (1 - LONG_POLL_JITTER));
    expect(shortest).toBeLessThan(30_000);
    const caps = new Set(Array.from({ length: 20 }, () => longPollCapMs(60)));
    // Spread, not all the same: that is the point.
    expect(caps.size).toBeGreaterThan(1);
    for (const cap of caps) {
      expect(cap).toBeGreaterThanOrEqual(54_000);
      expect(cap).toBeLessThanOrEqual(60_000);
    }
    expect(longPollCapMs(0)).toBe(0);
  });
});

describeEachDialect('waiting agents cost little', (dialect) => {
  let relay: TestRelay;
  let apiKey: string;
  let subscriptions: Map<string, number>;
  let reads: { count: (topic: string) => number };

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'waiter' }));
    subscriptions = countSubscriptions(relay.ctx.bus);
    reads = countSharedReads(relay.ctx.bus);
  });
  afterAll(() => relay.stop());

  const newRequest = async () => {
    const keys = await agentKeyPair();
    const res = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'wait', publicKey: keys.publicKey },
    });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const followers = () => topicFollowers(relay.ctx.bus);

  it('releases a long-poll whose client went away: no follower, no subscription, its slot back', async () => {
    const id = await newRequest();
    const topic = requestTopic(id);
    const controller = new AbortController();
    const waiting = fetch(`${relay.url}/api/v1/otp/${id}?wait=30`, {
      headers: { authorization: `Bearer ${apiKey}` },
      signal: controller.signal,
    }).catch(() => undefined);
    await eventually(async () => followers().followerCount(topic) === 1);
    expect(subscriptions.get(topic)).toBe(1);
    controller.abort();
    await waiting;
    await eventually(async () => followers().followerCount(topic) === 0);
    expect(subscriptions.get(topic)).toBe(0);
    // Still a plain, working request afterwards.
    expect((await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey })).body.status).toBe(
      'pending_approval',
    );
  });

  it('gives many waiters on one request one bus subscription and one re-read per change', async () => {
    const id = await newRequest();
    const topic = requestTopic(id);
    const polls = Array.from({ length: 5 }, () =>
      call(relay.url, `/api/v1/otp/${id}?wait=30`, { token: apiKey }),
    );
    const streams = await Promise.all(
      Array.from({ length: 2 }, () =>
        openSse(`${relay.url}/api/v1/otp/${id}/events`, { authorization: `Bearer ${apiKey}` }),
      ),
    );
    try {
      await eventually(async () => followers().followerCount(topic) === 7);
      expect(subscriptions.get(topic)).toBe(1);
      const before = reads.count(topic);
      await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
      for (const poll of await Promise.all(polls)) expect(poll.body.status).toBe('approved');
      for (const stream of streams) await stream.waitFor((e) => JSON.parse(e.data).status === 'approved');
      // Seven waiters woken by one change: the re-read ran once (twice if one woke late), not seven times.
      expect(reads.count(topic) - before).toBeGreaterThanOrEqual(1);
      expect(reads.count(topic) - before).toBeLessThanOrEqual(2);
    } finally {
      for (const stream of streams) await stream.close();
    }
    await eventually(async () => followers().followerCount(topic) === 0);
    expect(subscriptions.get(topic)).toBe(0);
  });

  it('answers a long-poll with nothing happening within [90%, 100%] of its wait', async () => {
    const id = await newRequest();
    const started = Date.now();
    const res = await call(relay.url, `/api/v1/otp/${id}?wait=2`, { token: apiKey });
    const elapsed = Date.now() - started;
    expect(res.body.status).toBe('pending_approval');
    expect(elapsed).toBeGreaterThanOrEqual(2000 * (1 - LONG_POLL_JITTER));
    // The upper bound is the cap plus what a loaded machine takes to answer: not a speed check.
    expect(elapsed).toBeLessThan(2000 + 3000);
  });

  it('shares one feed among an owner’s dashboards and never shows them another owner’s requests', async () => {
    // The first account claims the passwordless default owner; the second is another owner.
    await createOwnerAccount(relay.ctx, {
      email: 'first@example.com',
      password: 'a long passphrase',
      channel: 'cli',
    });
    const { owner: other } = await createOwnerAccount(relay.ctx, {
      email: 'second@example.com',
      password: 'another long passphrase',
      channel: 'cli',
    });
    const otherToken = await createOwnerToken(relay.ctx, other.id, 3600);
    const { apiKey: otherKey } = await relay.createAgent({ name: 'other-waiter', ownerId: other.id });
    const open = (token: string) =>
      openSse(`${relay.url}/api/v1/approvals/events`, { authorization: `Bearer ${token}` });
    const tabs = [await open(relay.ownerToken), await open(relay.ownerToken)];
    const otherTab = await open(otherToken);
    try {
      for (const tab of [...tabs, otherTab]) await tab.waitFor((e) => e.event === 'pending');
      expect(subscriptions.get(ownerTopic(relay.owner.id))).toBe(1);
      expect(subscriptions.get(ownerTopic(other.id))).toBe(1);

      const mine = await newRequest();
      const keys = await agentKeyPair();
      const theirs = (
        await call(relay.url, '/api/v1/otp', {
          token: otherKey,
          json: { reason: 'theirs', publicKey: keys.publicKey },
        })
      ).body.id as string;
      const listed = (id: string) => (e: { event: string; data: string }) =>
        e.event === 'pending' &&
        (JSON.parse(e.data).approvals as Array<{ id: string }>).some((a) => a.id === id);
      for (const tab of tabs) await tab.waitFor(listed(mine));
      await otherTab.waitFor(listed(theirs));
      // A third tab opened now is sent the queue at once, from the feed already running.
      const late = await open(relay.ownerToken);
      try {
        await late.waitFor(listed(mine));
        expect(subscriptions.get(ownerTopic(relay.owner.id))).toBe(1);
      } finally {
        await late.close();
      }
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (const tab of tabs) expect(JSON.stringify(tab.events)).not.toContain(theirs);
      expect(JSON.stringify(otherTab.events)).not.toContain(mine);
    } finally {
      for (const tab of [...tabs, otherTab]) await tab.close();
    }
    await eventually(async () => subscriptions.get(ownerTopic(relay.owner.id)) === 0);
    expect(subscriptions.get(ownerTopic(other.id))).toBe(0);
  });
});
