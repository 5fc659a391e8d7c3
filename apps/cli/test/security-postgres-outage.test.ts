// Issue 9 item 4, at process level: `agent-otp serve` on PostgreSQL must not exit when its
// database connections are terminated (what a PostgreSQL restart does to them). The
// in-process tests in packages/server/test/security-postgres-outage.test.ts cover the
// details (503 while down, waiters re-reading); this one proves the real process survives.
import { connectionName } from '@agent-otp/db';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { describeWithService, postgresAvailable, postgresUrl } from '../../../test-support/services.js';

describeWithService('PostgreSQL', postgresAvailable(), 'agent-otp serve when PostgreSQL drops it', () => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let admin: pg.Client;
  let database: string;

  beforeAll(async () => {
    cli = await createCliEnvironment('postgres');
    database = new URL(cli.env.DATABASE_URL!).pathname.slice(1);
    server = await cli.serve();
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
  }, 60_000);
  afterAll(async () => {
    await admin?.end();
    await server?.stop();
    await cli?.cleanup();
  });

  /** Terminates this server's connections (its own database, so no other suite is touched). */
  const terminateAll = async () => {
    const result = await admin.query<{ kind: string; n: number }>(
      `select application_name as kind, count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = $1 and application_name = any($2) and pid <> pg_backend_pid()
        group by application_name`,
      [database, [connectionName('pool'), connectionName('listen')]],
    );
    return Object.fromEntries(result.rows.map((row) => [row.kind, row.n]));
  };

  it('keeps running and serving after every database connection it holds is terminated', async () => {
    const { stdout } = await cli.run(['agent:create', '--name', 'outage', '--json']);
    const { apiKey } = JSON.parse(stdout) as { apiKey: string };
    const { publicKey } = await agentKeyPair();
    const first = await call(server.url, '/api/v1/otp', { token: apiKey, json: { reason: 'a', publicKey } });
    expect(first.status).toBe(201);

    const listenerPid = async () => {
      const result = await admin.query<{ pid: number }>(
        `select pid from pg_stat_activity where datname = $1 and application_name = $2 and query like 'LISTEN %'`,
        [database, connectionName('listen')],
      );
      return result.rows[0]?.pid;
    };
    // The pool's connections and the LISTEN connection, twice: a reconnect must survive too.
    for (let round = 0; round < 2; round += 1) {
      const before = await listenerPid();
      expect(before).toBeDefined();
      // A read just before, so the pool holds a connection (idle ones close after 10 s).
      expect((await call(server.url, `/api/v1/otp/${first.body.id}`, { token: apiKey })).status).toBe(200);
      const terminated = await terminateAll();
      expect(terminated[connectionName('pool')]).toBeGreaterThanOrEqual(1);
      expect(terminated[connectionName('listen')]).toBe(1);
      await eventually(async () => {
        const after = await listenerPid();
        return after !== undefined && after !== before;
      }, 15_000);
    }

    expect(server.process.exitCode).toBeNull();
    expect((await call(server.url, '/readyz')).status).toBe(200);
    const created = await call(server.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'b', publicKey },
    });
    expect(created.status).toBe(201);
    expect(server.output()).not.toMatch(/Connection terminated unexpectedly\n\s+at /);
  });
});
