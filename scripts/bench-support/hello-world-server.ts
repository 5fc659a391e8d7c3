/**
 * The HTTP baseline: a Hono hello-world on @hono/node-server, the relay's own HTTP stack,
 * in its own process like the relay. It answers `/healthz` as the relay does and an
 * authenticated `GET /api/v1/otp/:id` with a bearer check (string compare) and the body the
 * relay returned for the same request (BENCH_OTP_BODY), so payload sizes match.
 *
 * Run as a child: `node --import tsx scripts/bench-support/hello-world-server.ts`; it prints
 * its port on stdout once listening.
 */
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const expectedAuthorization = `Bearer ${process.env.BENCH_TOKEN ?? ''}`;
const otpBody = process.env.BENCH_OTP_BODY ?? '{}';

const app = new Hono();
app.get('/healthz', (c) => c.json({ status: 'ok' }));
app.get('/api/v1/otp/:id', (c) => {
  if (c.req.header('authorization') !== expectedAuthorization) return c.json({ error: 'unauthorized' }, 401);
  return c.body(otpBody, 200, { 'content-type': 'application/json' });
});

const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info: AddressInfo) => {
  process.stdout.write(`${info.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
