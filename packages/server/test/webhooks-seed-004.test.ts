// Issue 11 §2: seed 004's "Webhook Integration" example runs as written. The agent asks for a
// code without waiting and names a webhook URL; a real HTTP server runs the seed's handler
// verbatim (an Express-shaped `app.post` over node:http), given a `verifySignature` built on
// the SDK's verifyWebhookSignature; the owner approves and a code arrives; the handler
// consumes it with the agent's private key and completes the job.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAgent, SYSTEM_ACTOR } from '@agent-otp/core';
import { AgentOTPClient, exportPublicKey, generateKeyPair } from '@orrisai/agent-otp-sdk';
import { verifyWebhookSignature } from '@orrisai/agent-otp-sdk/webhooks';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';

interface SeedRequest {
  body: { request_id: string; status: string };
  headers: IncomingHttpHeaders;
}
interface SeedResponse {
  status(code: number): SeedResponse;
  send(text: string): void;
}
type SeedHandler = (req: SeedRequest, res: SeedResponse) => Promise<unknown>;

/** The smallest Express-shaped app the seed's handler needs: `app.post(path, handler)` with a JSON `req.body`. */
function seedApp(rawBodies: WeakMap<object, { raw: string; headers: IncomingHttpHeaders }>) {
  const routes = new Map<string, SeedHandler>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const handler = req.method === 'POST' ? routes.get(req.url ?? '') : undefined;
      if (!handler) return res.writeHead(404).end();
      const raw = Buffer.concat(chunks).toString('utf8');
      const body = JSON.parse(raw) as SeedRequest['body'];
      rawBodies.set(body, { raw, headers: req.headers });
      let code = 200;
      const response: SeedResponse = {
        status(c) {
          code = c;
          return response;
        },
        send(text) {
          res.writeHead(code, { 'content-type': 'text/plain' }).end(text);
        },
      };
      try {
        await handler({ body, headers: req.headers }, response);
      } catch {
        res.writeHead(500).end();
      }
    });
  });
  return {
    post: (path: string, handler: SeedHandler) => routes.set(path, handler),
    async listen(): Promise<string> {
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describeEachDialect('seed 004: webhook integration', (dialect) => {
  let relay: TestRelay;

  beforeAll(async () => {
    relay = await startTestRelay(dialect, {
      env: { WEBHOOK_ALLOW_HTTP: '1', WEBHOOK_ALLOW_PRIVATE: '1', WEBHOOK_POLL_MS: '25' },
    });
  });
  afterAll(() => relay.stop());

  it('runs the seed handler as written: resumes the job with the code, fails it on denial, refuses forgeries', async () => {
    const created = await createAgent(relay.ctx, {
      ownerId: relay.owner.id,
      name: 'seed-004-agent',
      actor: SYSTEM_ACTOR,
    });
    const otp = new AgentOTPClient({ apiKey: created.apiKey, baseUrl: relay.url });
    const { publicKey, privateKey } = await generateKeyPair();
    const webhookSecret = created.webhookSecret;

    // What the seed leaves to the integrator: job storage, and a verifySignature over the SDK helper.
    const rawBodies = new WeakMap<object, { raw: string; headers: IncomingHttpHeaders }>();
    const jobs = new Map<string, { jobId: string; otpRequestId: string; status: string; result?: string }>();
    const saveJobState = async (job: { jobId: string; otpRequestId: string; status: string }) => {
      jobs.set(job.otpRequestId, { ...job });
    };
    const getJobByOTPRequestId = async (requestId: string) => jobs.get(requestId)!;
    const completeJob = async (job: { status: string; result?: string }, code: string) => {
      job.status = 'completed';
      job.result = code;
    };
    const failJob = async (job: { status: string; result?: string }, reason: string) => {
      job.status = 'failed';
      job.result = reason;
    };
    const verifySignature = (body: object, signature: string | string[] | undefined): boolean => {
      const received = rawBodies.get(body);
      if (!received || typeof signature !== 'string') return false;
      try {
        verifyWebhookSignature(
          received.raw,
          { ...received.headers, 'x-otp-signature': signature },
          webhookSecret,
        );
        return true;
      } catch {
        return false;
      }
    };

    const app = seedApp(rawBodies);
    // ── seed 004, "2. Handle webhook callback", as written ──
    app.post('/webhooks/otp', async (req, res) => {
      const { request_id, status } = req.body;

      // Verify webhook signature
      const signature = req.headers['x-otp-signature'];
      if (!verifySignature(req.body, signature)) {
        return res.status(401).send('Invalid signature');
      }

      // Resume the job
      const job = await getJobByOTPRequestId(request_id);

      if (status === 'otp_received') {
        // Consume the OTP
        const { code } = await otp.consumeOTP(request_id, privateKey);
        await completeJob(job, code);
      } else if (status === 'denied' || status === 'expired') {
        await failJob(job, `OTP ${status}`);
      }

      res.status(200).send('OK');
    });
    const base = await app.listen();
    try {
      // ── seed 004, "1. Request OTP without waiting", as written (the URL is the test's receiver) ──
      const jobId = 'job-1';
      const request = await otp.requestOTP({
        reason: 'Signup verification',
        publicKey: await exportPublicKey(publicKey),
        waitForOTP: false, // Don't block
        webhookUrl: `${base}/webhooks/otp`,
      });
      // Store request ID for later
      await saveJobState({
        jobId,
        otpRequestId: request.id,
        status: 'waiting_for_otp',
      });

      expect(
        (await relay.ownerFetch(`/api/v1/requests/${request.id}/approve`, { method: 'POST' })).status,
      ).toBe(200);
      const captured = await relay.ownerFetch('/api/v1/owner/capture', {
        method: 'POST',
        body: JSON.stringify({
          source: 'email',
          from: 'noreply@acme.com',
          text: 'Your verification code is 847291.',
        }),
      });
      expect((await captured.json()).status).toBe('otp_received');
      await eventually(async () => jobs.get(request.id)?.status === 'completed', 10_000);
      expect(jobs.get(request.id)).toMatchObject({ jobId, status: 'completed', result: '847291' });

      const denied = await otp.requestOTP({
        reason: 'Signup verification',
        publicKey: await exportPublicKey(publicKey),
        waitForOTP: false,
        webhookUrl: `${base}/webhooks/otp`,
      });
      await saveJobState({ jobId: 'job-2', otpRequestId: denied.id, status: 'waiting_for_otp' });
      await relay.ownerFetch(`/api/v1/requests/${denied.id}/deny`, { method: 'POST' });
      await eventually(async () => jobs.get(denied.id)?.status === 'failed', 10_000);
      expect(jobs.get(denied.id)?.result).toBe('OTP denied');

      // A forged callback (right shape, wrong key) gets the seed's 401 and changes nothing.
      const forged = JSON.stringify({ request_id: denied.id, status: 'otp_received' });
      const forgery = await fetch(`${base}/webhooks/otp`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-otp-event-id': 'evt_forged',
          'x-otp-timestamp': String(Math.floor(Date.now() / 1000)),
          'x-otp-signature': `v1=${'0'.repeat(64)}`,
        },
        body: forged,
      });
      expect(forgery.status).toBe(401);
      expect(jobs.get(denied.id)?.status).toBe('failed');
    } finally {
      await app.close();
    }
  });
});
