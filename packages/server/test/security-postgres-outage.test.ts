// Issue 9 item 4: a PostgreSQL-backed relay must ride out lost connections. Every attack
// here is a real one from the server's point of view: `pg_terminate_backend` on the pool's
// connections or on the LISTEN connection, and a loopback proxy between the relay and the
// shared cluster that the test cuts (refused) or stalls (black hole) and restores. The
// cluster itself is never restarted: other suites share it.
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { type BusEvent, requestTopic } from '@agent-otp/core';
import { connectionName, openDatabase } from '@agent-otp/db';
import { PostgresEventBus } from '@agent-otp/events';
import { createLogger } from '@agent-otp/server';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, type CallResult, call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeWithService, postgresAvailable, postgresUrl } from '../../../test-support/services.js';
import { startTcpProxy, type TcpProxy } from '../../../test-support/tcp-proxy.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a long-poll that has not answered yet resolves to in a race. */
const STILL_WAITING = Symbol('still waiting');
const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, sleep(ms).then(() => STILL_WAITING)]);

describeWithService(
  'PostgreSQL',
  postgresAvailable(),
  'issue 9 item 4: the relay rides out lost PostgreSQL connections',
  () => {
    let admin: pg.Client;
    beforeAll(async () => {
      admin = new pg.Client({ connectionString: postgresUrl });
      await admin.connect();
    });
    afterAll(() => admin.end());

    const schemaOf = (relay: TestRelay) => relay.ctx.database.postgres!.schema!;

    /** Terminates the relay's server processes with this application_name; returns how many. */
    const terminate = async (applicationName: string, queryLike = '%') => {
      const result = await admin.query<{ n: number }>(
        `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
          where application_name = $1 and query like $2 and pid <> pg_backend_pid()`,
        [applicationName, queryLike],
      );
      return result.rows[0]!.n;
    };

    /** LISTEN connections of this schema that are in place (connected and listening). */
    const listeners = async (schema: string) => {
      const result = await admin.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity
          where application_name = $1 and query like 'LISTEN %'`,
        [connectionName('listen', schema)],
      );
      return result.rows[0]!.n;
    };

    const until = async (what: string, check: () => Promise<boolean>, ms = 15_000) => {
      const deadline = Date.now() + ms;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await sleep(100);
      }
    };

    // One key for every request: RSA key generation is not what these tests are about.
    let publicKey: Promise<string> | undefined;
    const createRequest = async (relay: TestRelay, apiKey: string) => {
      publicKey ??= agentKeyPair().then((keys) => keys.publicKey);
      return call(relay.url, '/api/v1/otp', {
        token: apiKey,
        json: { reason: 'outage', publicKey: await publicKey },
      });
    };

    const expectUnavailable = (res: CallResult) => {
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.body.error.message).toMatch(/database/i);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    };

    describe('with connections terminated by pg_terminate_backend', () => {
      let relay: TestRelay;
      let second: TestRelay;
      beforeAll(async () => {
        relay = await startTestRelay('postgres');
        // A second instance on the same schema: its wake-ups reach the first only over LISTEN.
        second = await startTestRelay('postgres', { shareWith: relay });
      });
      afterAll(async () => {
        await second?.stop();
        await relay?.stop();
      });

      it('keeps serving after every pool connection is terminated, idle or mid-query', async () => {
        const { apiKey } = await relay.createAgent();
        // Several at once, so the pool holds several idle connections afterwards.
        const warm = await Promise.all(Array.from({ length: 6 }, () => createRequest(relay, apiKey)));
        expect(warm.map((r) => r.status)).toEqual(Array(6).fill(201));

        // One connection busy in a query when it is terminated, the others idle.
        const busyOutcome = sql`select pg_sleep(20)`.execute(relay.ctx.database.db).then(
          () => 'finished',
          (error: Error) => error.message,
        );
        await until('the sleeping query to run', async () => {
          const result = await admin.query(
            `select 1 from pg_stat_activity where application_name = $1 and query like '%pg_sleep%'`,
            [connectionName('pool', schemaOf(relay))],
          );
          return result.rowCount === 1;
        });
        const killed = await terminate(connectionName('pool', schemaOf(relay)));
        expect(killed).toBeGreaterThanOrEqual(2);
        expect(await busyOutcome).toMatch(/terminat/i);
        // The idle connections' error events arrive on their own; give them a moment.
        await sleep(300);

        expect((await call(relay.url, '/readyz')).status).toBe(200);
        const after = await Promise.all(Array.from({ length: 6 }, () => createRequest(relay, apiKey)));
        expect(after.map((r) => r.status)).toEqual(Array(6).fill(201));
        const read = await call(relay.url, `/api/v1/otp/${after[0]!.body.id}`, { token: apiKey });
        expect(read.body.status).toBe('pending_approval');
      });

      it('re-LISTENs after its LISTEN connection is terminated, and a waiter still wakes across instances', async () => {
        const { apiKey } = await relay.createAgent();
        const created = await createRequest(relay, apiKey);
        const id = created.body.id as string;
        const waiting = call(relay.url, `/api/v1/otp/${id}?wait=25`, { token: apiKey });
        await sleep(200);

        expect(await terminate(connectionName('listen', schemaOf(relay)))).toBe(2);
        await until('both instances to LISTEN again', async () => (await listeners(schemaOf(relay))) === 2);

        const approved = await call(second.url, `/api/v1/requests/${id}/approve`, {
          method: 'POST',
          token: relay.ownerToken,
        });
        expect(approved.status).toBe(200);
        // A wake-up, not the end of the 25 s wait: it crossed the re-established LISTEN.
        const woke = await within(waiting, 10_000);
        expect(woke).not.toBe(STILL_WAITING);
        expect((woke as CallResult).body.status).toBe('approved');

        // And events keep flowing both ways afterwards.
        const next = await createRequest(relay, apiKey);
        const waitingOnSecond = call(second.url, `/api/v1/otp/${next.body.id}?wait=25`, { token: apiKey });
        await sleep(200);
        await relay.ownerFetch(`/api/v1/requests/${next.body.id}/deny`, { method: 'POST' });
        const woke2 = await within(waitingOnSecond, 10_000);
        expect(woke2).not.toBe(STILL_WAITING);
        expect((woke2 as CallResult).body.status).toBe('denied');
      });
    });

    describe('through a proxy the test cuts', () => {
      let proxy: TcpProxy;
      let relay: TestRelay;
      let second: TestRelay;

      beforeAll(async () => {
        proxy = await startTcpProxy(postgresUrl);
        relay = await startTestRelay('postgres', { databaseUrl: proxy.url });
        second = await startTestRelay('postgres', { shareWith: relay });
      });
      afterAll(async () => {
        await proxy?.restore();
        await second?.stop();
        await relay?.stop();
        await proxy?.close();
      });

      it('answers 503 with Retry-After while the database is down, and loses no approval made meanwhile', async () => {
        const { apiKey } = await relay.createAgent();
        const created = await createRequest(relay, apiKey);
        expect(created.status).toBe(201);
        const id = created.body.id as string;
        const waiting = call(relay.url, `/api/v1/otp/${id}?wait=25`, { token: apiKey });
        await sleep(200);

        await proxy.cut();
        // Every route that needs the database: a clean 503, never a 500 or a hang.
        expectUnavailable(await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey }));
        expectUnavailable(await createRequest(relay, apiKey));
        expectUnavailable(await call(relay.url, '/api/v1/approvals', { token: relay.ownerToken }));
        const ready = await call(relay.url, '/readyz');
        expect(ready.status).toBe(503);
        expect(ready.body.notReady).toEqual(['database']);
        // Liveness never asks the database: the process is fine, restarting it would not help.
        expect((await call(relay.url, '/healthz')).status).toBe(200);
        // The raw driver message never reaches a client.
        const refused = await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey });
        expect(JSON.stringify(refused.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|terminated/);

        // Approved through the other instance while this one cannot hear NOTIFY.
        const approved = await call(second.url, `/api/v1/requests/${id}/approve`, {
          method: 'POST',
          token: relay.ownerToken,
        });
        expect(approved.status).toBe(200);
        await sleep(300);

        await proxy.restore();
        // The waiter re-reads once the LISTEN connection is back: the approval is not lost.
        const woke = await within(waiting, 12_000);
        expect(woke).not.toBe(STILL_WAITING);
        expect((woke as CallResult).status).toBe(200);
        expect((woke as CallResult).body.status).toBe('approved');

        await until(
          'the relay to answer again',
          async () => (await call(relay.url, '/readyz')).status === 200,
        );
        expect((await createRequest(relay, apiKey)).status).toBe(201);
        expect(relay.logs.join('\n')).not.toMatch(/"level":(50|60).*unhandled error/);
        // The expiry sweeper (every 200 ms here) kept going, and said so once, not per sweep.
        await until('the sweeper to recover', async () =>
          relay.logs.some((line) => line.includes('expiry sweep working again')),
        );
        expect(relay.logs.filter((line) => line.includes('expiry sweep failed'))).toHaveLength(1);
      });

      it('answers 503 instead of hanging when new connections are never answered', async () => {
        const { apiKey } = await relay.createAgent();
        const created = await createRequest(relay, apiKey);
        await proxy.stall();
        const res = await within(
          call(relay.url, `/api/v1/otp/${created.body.id}`, { token: apiKey }),
          20_000,
        );
        expect(res).not.toBe(STILL_WAITING);
        expectUnavailable(res as CallResult);
        await proxy.restore();
        await until(
          'the relay to answer again',
          async () => (await call(relay.url, '/readyz')).status === 200,
        );
      });
    });

    it('notices a LISTEN connection that went silent (no reset), replaces it, and tells waiters to re-read', async () => {
      const proxy = await startTcpProxy(postgresUrl);
      const schema = `t_${randomBytes(6).toString('hex')}`;
      const database = await openDatabase({
        databaseUrl: proxy.url,
        dataDir: tmpdir(),
        postgresSchema: schema,
        migrate: false,
      });
      const bus = await PostgresEventBus.start(database, createLogger('silent'), { heartbeatMs: 300 });
      try {
        const heard: BusEvent[] = [];
        bus.subscribe(requestTopic('otp_silent'), (event) => heard.push(event));
        const listenPids = async () => {
          const result = await admin.query<{ pid: number }>(
            `select pid from pg_stat_activity where application_name = $1 and query like 'LISTEN %'`,
            [connectionName('listen', schema)],
          );
          return result.rows.map((row) => row.pid);
        };
        const before = await listenPids();
        expect(before).toHaveLength(1);

        proxy.freeze();
        await until('a resync after the heartbeat goes unanswered', async () =>
          heard.some((event) => event.type === 'resync'),
        );
        // The frozen backend lingers (the server cannot tell either); a new one listens too.
        expect((await listenPids()).filter((pid) => pid !== before[0])).toHaveLength(1);

        // The new connection hears other instances.
        const event = {
          type: 'status',
          kind: 'otp',
          requestId: 'otp_silent',
          ownerId: 'usr_x',
          agentId: 'agt_x',
          status: 'approved',
        };
        await admin.query('select pg_notify($1, $2)', [
          `agent_otp_events_${schema}`,
          JSON.stringify({ origin: 'another-instance', event }),
        ]);
        await until('the notification', async () => heard.some((e) => e.type === 'status'));
      } finally {
        await bus.close();
        await proxy.close();
        await database.close();
        await admin.query(`drop schema if exists ${schema} cascade`);
      }
    });
  },
);
