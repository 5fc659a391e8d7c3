// Issue 18 "Growth": an audit search costs the same on any history. A page filtered by `q`
// looks through at most 10,000 events below its cursor, says which in `searched`, and its
// `nextCursor` continues further back, so an old match is still found page by page and a
// term that matches nothing ends after the oldest event.

import { afterAll, beforeAll, expect, it } from 'vitest';
import { growAuditChain } from '../../../test-support/grow-history.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

const WINDOW = 10_000;
const GROWN = 25_000;

interface AuditPage {
  events: { seq: number; action: string; details: Record<string, unknown> }[];
  nextCursor: string | null;
  searched?: { fromSeq: number; toSeq: number };
}

describeEachDialect('audit search looks through a bounded window per page', (dialect) => {
  let relay: TestRelay;
  let needleSeq: number;
  let length: number;

  async function page(query: string): Promise<AuditPage> {
    const res = await relay.ownerFetch(`/api/v1/audit?${query}`);
    expect(res.status).toBe(200);
    return (await res.json()) as AuditPage;
  }

  beforeAll(async () => {
    relay = await startTestRelay(dialect);
    await relay.createAgent({ name: 'needle-in-the-history' });
    const agent = await relay.createAgent({ name: 'busy' });
    needleSeq = (await page('q=needle-in-the-history&limit=5')).events[0]!.seq;
    await growAuditChain({ ctx: relay.ctx, ownerId: relay.owner.id, agentId: agent.id }, GROWN);
    length = (await page('limit=1')).events[0]!.seq;
  }, 120_000);
  afterAll(() => relay.stop());

  it('finds an old match by following nextCursor, one window per page', async () => {
    const seen: AuditPage[] = [];
    let cursor: string | null = null;
    do {
      const current: AuditPage = await page(
        `q=needle-in-the-history&limit=5${cursor ? `&cursor=${cursor}` : ''}`,
      );
      seen.push(current);
      cursor = current.events.length > 0 ? null : current.nextCursor;
    } while (cursor);
    expect(seen[0]!.searched).toEqual({ fromSeq: length - WINDOW + 1, toSeq: length });
    expect(seen[0]!.events).toEqual([]);
    expect(seen[0]!.nextCursor).toBe(String(length - WINDOW + 1));
    expect(seen[1]!.searched).toEqual({ fromSeq: length - 2 * WINDOW + 1, toSeq: length - WINDOW });
    const found = seen.at(-1)!;
    expect(found.events.map((event) => [event.seq, event.action])).toEqual([[needleSeq, 'agent.created']]);
    expect(found.searched).toEqual({ fromSeq: 1, toSeq: length - 2 * WINDOW });
    expect(found.nextCursor).toBeNull();
  });

  it('ends a search that matches nothing after the oldest event', async () => {
    let cursor: string | null = null;
    let pages = 0;
    do {
      const current: AuditPage = await page(`q=matches-nothing-at-all${cursor ? `&cursor=${cursor}` : ''}`);
      expect(current.events).toEqual([]);
      cursor = current.nextCursor;
      pages++;
    } while (cursor);
    expect(pages).toBe(Math.ceil(length / WINDOW));
  });

  it('pages unfiltered events down the index, without a window', async () => {
    const first = await page('limit=50');
    expect(first.searched).toBeUndefined();
    expect(first.events.map((event) => event.seq)).toEqual(Array.from({ length: 50 }, (_, i) => length - i));
    expect(first.nextCursor).toBe(String(length - 49));
  });
});
