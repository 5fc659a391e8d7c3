/**
 * Issue 15 "failed sign-ins recorded": a wrong password for an existing owner now also
 * appends `owner.sign_in_failed` to that owner's audit log, while an unknown email writes
 * nothing. This measures whether that makes the two answers tell apart by time: the median
 * and p90 of a refused sign-in for an existing email (scrypt + the audit append) and for an
 * unknown one (scrypt against the decoy, no write), interleaved, each from its own address
 * (TRUST_PROXY) so the sign-in limits never answer first. SQLite, and PostgreSQL when it is up.
 */
import { createOwnerAccount } from '@agent-otp/core';
import { postgresAvailable } from '../../test-support/postgres.js';
import { startTestRelay } from '../../test-support/relay.js';
import { percentile, round } from '../bench-support/load-helpers.js';

const ATTEMPTS = 40;
const OWNER = { email: 'owner@bench.example', password: 'the owner’s own long passphrase' };

async function refusedMs(url: string, email: string, ip: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
    body: JSON.stringify({ email, password: 'a wrong long passphrase' }),
  });
  await res.body?.cancel();
  if (res.status !== 401) throw new Error(`expected 401 for ${email}, got ${res.status}`);
  return performance.now() - started;
}

function summary(samples: number[]) {
  const sorted = [...samples].sort((x, y) => x - y);
  return { medianMs: round(percentile(sorted, 50)), p90Ms: round(percentile(sorted, 90)) };
}

async function measure(dialect: 'sqlite' | 'postgres') {
  const relay = await startTestRelay(dialect, { env: { TRUST_PROXY: 'true' } });
  try {
    await createOwnerAccount(relay.ctx, { ...OWNER, channel: 'cli' });
    const existing: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < ATTEMPTS; i++) {
      const ip = `10.15.${Math.floor(i / 250)}.${i % 250}`;
      existing.push(await refusedMs(relay.url, OWNER.email, ip));
      unknown.push(await refusedMs(relay.url, `nobody-${i}@bench.example`, ip));
    }
    const audited = await relay.ctx.database.db
      .selectFrom('audit_events')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('action', '=', 'owner.sign_in_failed')
      .executeTakeFirstOrThrow();
    const a = summary(existing);
    const b = summary(unknown);
    return {
      attempts: ATTEMPTS,
      existingEmail: a,
      unknownEmail: b,
      medianDifferenceMs: round(a.medianMs - b.medianMs),
      failedSignInsAudited: Number(audited.n),
    };
  } finally {
    await relay.stop();
  }
}

export default async function bench(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = { sqlite: await measure('sqlite') };
  if (postgresAvailable()) results.postgres = await measure('postgres');
  return results;
}
