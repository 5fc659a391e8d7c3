// Issue 18: the NOTIFY that wakes other instances was its own round trip after each commit.
// It is now sent inside the transaction that makes the change: delivered on commit, never on
// rollback, and `publish` after the commit wakes this instance without notifying twice.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatabaseHandle, openDatabase, withTransaction } from '@agent-otp/db';
import { type BusEvent, PostgresEventBus, type RequestEvent, requestTopic } from '@agent-otp/events';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dropPostgresSchema, postgresAvailable, postgresUrl } from '../../../test-support/postgres.js';
import { describeWithService } from '../../../test-support/services.js';

const quiet = { info: () => {}, warn: () => {} };

describeWithService('PostgreSQL', postgresAvailable(), 'NOTIFY inside the change’s transaction', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-notify-'));
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let database: DatabaseHandle;
  let sender: PostgresEventBus;
  let receiver: PostgresEventBus;

  beforeAll(async () => {
    database = await openDatabase({ databaseUrl: postgresUrl, dataDir, postgresSchema: schema, poolSize: 2 });
    sender = await PostgresEventBus.start(database, quiet);
    receiver = await PostgresEventBus.start(database, quiet);
  });
  afterAll(async () => {
    await sender.close();
    await receiver.close();
    await database.close();
    await dropPostgresSchema(schema);
    rmSync(dataDir, { recursive: true, force: true });
  });

  const eventFor = (requestId: string): RequestEvent => ({
    type: 'status',
    kind: 'otp',
    requestId,
    ownerId: 'usr_notify',
    agentId: 'agt_notify',
    status: 'approved',
  });

  function collect(bus: PostgresEventBus, requestId: string): BusEvent[] {
    const heard: BusEvent[] = [];
    bus.subscribe(requestTopic(requestId), (event) => heard.push(event));
    return heard;
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 400));

  it('reaches other instances when the transaction commits, and this one once through publish', async () => {
    const event = eventFor('otp_committed');
    const elsewhere = collect(receiver, event.requestId);
    const here = collect(sender, event.requestId);
    await withTransaction(database, async (tx) => {
      await sender.notifyOthersWithin(tx, event);
      await settle();
      // Not before the commit: a waiter woken now would read the old row.
      expect(elsewhere).toEqual([]);
    });
    sender.publish(event, { othersNotified: true });
    await settle();
    expect(elsewhere).toEqual([event]);
    expect(here).toEqual([event]);
  });

  it('reaches nobody elsewhere when the transaction rolls back', async () => {
    const event = eventFor('otp_rolled_back');
    const elsewhere = collect(receiver, event.requestId);
    await expect(
      withTransaction(database, async (tx) => {
        await sender.notifyOthersWithin(tx, event);
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    await settle();
    expect(elsewhere).toEqual([]);
  });
});
