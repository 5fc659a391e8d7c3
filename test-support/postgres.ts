import { execFileSync } from 'node:child_process';

/** The PostgreSQL the tests and benchmarks use; `.ci/run` exports it, the default matches this machine. */
export const postgresUrl =
  process.env.AGENT_OTP_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresChecked: boolean | undefined;

/** Whether PostgreSQL answers (checked once per process, synchronously, with pg_isready). */
export function postgresAvailable(): boolean {
  if (postgresChecked !== undefined) return postgresChecked;
  try {
    const url = new URL(postgresUrl);
    execFileSync('pg_isready', ['-h', url.hostname, '-p', url.port || '5432', '-t', '3'], {
      stdio: 'ignore',
    });
    postgresChecked = true;
  } catch {
    postgresChecked = false;
  }
  return postgresChecked;
}

/** Drops a test's own PostgreSQL schema and everything in it (tests isolate themselves by schema). */
export async function dropPostgresSchema(schema: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: postgresUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
