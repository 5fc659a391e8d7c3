import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { parseScrape } from '../../../test-support/prometheus.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import {
  describeEachDialect,
  describeWithService,
  postgresAvailable,
  postgresUrl,
} from '../../../test-support/services.js';
import { startTcpProxy, type TcpProxy } from '../../../test-support/tcp-proxy.js';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

/** A loopback port nothing listens on: an IMAP server that is down. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

const scrape = async (relay: TestRelay) => {
  const res = await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseScrape(await res.text());
};

describeEachDialect('health, readiness and metrics', (dialect) => {
  describe('with metrics enabled and a token', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(dialect, { env: { METRICS_ENABLED: 'true', METRICS_TOKEN } });
    });
    afterAll(() => relay?.stop());

    it('is live and ready with the database answering and no connector configured', async () => {
      const live = await call(relay.url, '/healthz');
      expect(live.status).toBe(200);
      expect(live.body).toEqual({ status: 'ok' });
      const ready = await call(relay.url, '/readyz');
      expect(ready.status).toBe(200);
      expect(ready.body).toEqual({ status: 'ready', database: 'ok', connectors: {} });
    });

    it('refuses /metrics without the token, or with another one, as JSON', async () => {
      for (const token of [undefined, 'wrong-token-0123456789abcdef', `${METRICS_TOKEN}x`]) {
        const res = await call(relay.url, '/metrics', token ? { token } : {});
        expect(res.status).toBe(401);
        expect(res.body.error.code).toBe('UNAUTHORIZED');
        expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      }
    });

    it('counts a real lifecycle: requests by kind and status, routes by template, decision and code timings', async () => {
      const { apiKey } = await relay.createAgent({ name: 'metrics-agent' });
      const keys = await agentKeyPair();
      const create = () =>
        call(relay.url, '/api/v1/otp', {
          token: apiKey,
          json: { reason: 'Sign in at Acme', filter: { sources: ['email'] }, publicKey: keys.publicKey },
        });
      const approved = await create();
      const denied = await create();
      expect([approved.status, denied.status]).toEqual([201, 201]);
      const approve = await relay.ownerFetch(`/api/v1/requests/${approved.body.id}/approve`, {
        method: 'POST',
      });
      expect(approve.status).toBe(200);
      const deny = await relay.ownerFetch(`/api/v1/requests/${denied.body.id}/deny`, { method: 'POST' });
      expect(deny.status).toBe(200);
      const captured = await relay.ownerFetch('/api/v1/owner/capture', {
        method: 'POST',
        body: JSON.stringify({
          source: 'email',
          from: 'noreply@acme.com',
          text: 'Your Acme code is 847291.',
        }),
      });
      expect((await captured.json()).status).toBe('otp_received');
      for (const id of [approved.body.id, denied.body.id])
        expect((await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey })).status).toBe(200);
      const consumed = await call(relay.url, `/api/v1/otp/${approved.body.id}/consume`, {
        method: 'POST',
        token: apiKey,
      });
      expect(consumed.status).toBe(200);

      // Decisions are read once they are a couple of seconds old; scrape until they show.
      const metrics = await eventually(async () => {
        const scraped = await scrape(relay);
        const decided = scraped.count('agent_otp_time_to_decide_seconds', {
          kind: 'otp',
          decision: 'denied',
        });
        const arrived = scraped.count('agent_otp_approval_to_code_seconds');
        return decided === 1 && arrived === 1 ? scraped : undefined;
      }, 15_000);

      expect(metrics.count('agent_otp_time_to_decide_seconds', { kind: 'otp', decision: 'approved' })).toBe(
        1,
      );
      expect(metrics.value('agent_otp_requests', { kind: 'otp', status: 'consumed' })).toBe(1);
      expect(metrics.value('agent_otp_requests', { kind: 'otp', status: 'denied' })).toBe(1);
      expect(metrics.value('agent_otp_webhook_outbox_pending')).toBe(0);
      expect(metrics.value('agent_otp_database_up')).toBe(1);

      const http = (method: string, route: string, status: string) =>
        metrics.value('agent_otp_http_requests_total', { method, route, status });
      expect(http('POST', '/api/v1/otp', '201')).toBe(2);
      expect(http('GET', '/api/v1/otp/:id', '200')).toBe(2);
      expect(http('POST', '/api/v1/otp/:id/consume', '200')).toBe(1);
      expect(http('GET', '/metrics', '401')).toBe(3);
      expect(
        metrics.count('agent_otp_http_request_duration_seconds', { method: 'GET', route: '/api/v1/otp/:id' }),
      ).toBe(2);
      // Route templates only: no request ID ever becomes a label value.
      const routes = metrics.samples('agent_otp_http_requests_total').map((sample) => sample.labels?.route);
      expect(routes.join(' ')).not.toMatch(/otp_[A-Za-z0-9]/);

      // Counted once: a later scrape sees the same decisions, not twice as many.
      const again = await scrape(relay);
      expect(again.count('agent_otp_time_to_decide_seconds', { kind: 'otp', decision: 'denied' })).toBe(1);
      expect(again.count('agent_otp_approval_to_code_seconds')).toBe(1);
    });

    it('answers an unknown /api path with a JSON 404, counted as unmatched', async () => {
      const res = await call(relay.url, '/api/v1/no-such-thing/otp_abc');
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body.error.code).toBe('NOT_FOUND');
      const metrics = await scrape(relay);
      expect(metrics.value('agent_otp_http_requests_total', { route: 'unmatched', status: '404' })).toBe(1);
    });
  });

  describe('with metrics off (the default) and a mail server that is down', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay(dialect, {
        env: {
          IMAP_HOST: '127.0.0.1',
          IMAP_PORT: String(await closedPort()),
          IMAP_TLS: 'false',
          IMAP_USER: 'owner@example.test',
          IMAP_PASSWORD: 'not-a-real-password',
        },
      });
    });
    afterAll(() => relay?.stop());

    it('says it is not ready and names the connector, while staying live', async () => {
      const ready = await call(relay.url, '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body).toMatchObject({ status: 'not_ready', database: 'ok', notReady: ['imap'] });
      expect(['starting', 'failing']).toContain(ready.body.connectors.imap);
      expect((await call(relay.url, '/healthz')).status).toBe(200);
    });

    it('answers /metrics and the other reserved paths with a JSON 404, never the dashboard', async () => {
      for (const path of [
        '/metrics',
        '/readyz/extra',
        '/healthz/x',
        '/openapi.json/x',
        '/api',
        '/api/v2/otp',
      ]) {
        const res = await call(relay.url, path);
        expect(res.status, path).toBe(404);
        expect(res.headers.get('content-type'), path).toMatch(/^application\/json/);
        expect(res.body.error.code, path).toBe('NOT_FOUND');
      }
      // A page path still gets the dashboard (built or not): HTML, not JSON.
      const page = await fetch(`${relay.url}/approvals/otp_x`);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    });
  });
});

describeWithService('PostgreSQL', postgresAvailable(), 'readiness when the database goes away', () => {
  let proxy: TcpProxy;
  let relay: TestRelay;
  beforeAll(async () => {
    proxy = await startTcpProxy(postgresUrl);
    relay = await startTestRelay('postgres', {
      databaseUrl: proxy.url,
      env: { METRICS_ENABLED: 'true', METRICS_TOKEN },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await proxy?.close();
  });

  it('answers 503 naming the database while it is unreachable, and 200 once it is back', async () => {
    expect((await call(relay.url, '/readyz')).status).toBe(200);
    await proxy.cut();
    const down = await call(relay.url, '/readyz');
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'not_ready', database: 'unreachable', notReady: ['database'] });
    // Liveness asks nothing of the database: the process still serves, so it is not restarted.
    expect(await call(relay.url, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    // The scrape still answers, and says the database figures are stale.
    expect((await scrape(relay)).value('agent_otp_database_up')).toBe(0);

    await proxy.restore();
    await eventually(async () => (await call(relay.url, '/readyz')).status === 200, 15_000);
    expect((await scrape(relay)).value('agent_otp_database_up')).toBe(1);
  });
});
