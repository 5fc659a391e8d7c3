/**
 * Issue 12: from a provider's webhook to an agent holding the decrypted code. Each round an
 * agent opens a request (approved by the owner) and long-polls it; the clock starts when a
 * signed SMS Gateway (or Twilio) webhook is sent, and stops when the agent has consumed and
 * decrypted the code. The relay runs in this process (real HTTP on loopback, real SQLite or
 * PostgreSQL), so client work shares the CPU with it: figures are an upper bound.
 */
import { createHmac } from 'node:crypto';
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { agentKeyPair, call } from '../../test-support/http.js';
import { postgresAvailable } from '../../test-support/postgres.js';
import { startTestRelay, type TestRelay } from '../../test-support/relay.js';
import { percentile, round } from '../bench-support/load-helpers.js';

const ROUNDS = 100;
const PUBLIC_URL = 'https://otp.bench.example';
const TWILIO_TOKEN = 'f3b1c2d4e5f60718293a4b5c6d7e8f90';

type Provider = 'sms-gateway' | 'twilio';

async function createSource(relay: TestRelay, provider: Provider) {
  const response = await relay.ownerFetch('/api/v1/sources', {
    method: 'POST',
    body: JSON.stringify({
      kind: 'sms',
      name: provider,
      provider,
      ...(provider === 'twilio' ? { twilioAuthToken: TWILIO_TOKEN } : {}),
    }),
  });
  return (await response.json()) as { source: { id: string }; signingSecret?: string; webhookUrl: string };
}

/** The webhook request as the provider would send it, for message `n`. */
function webhook(
  provider: Provider,
  source: Awaited<ReturnType<typeof createSource>>,
  n: number,
): { code: string; raw: string; headers: Record<string, string> } {
  const code = String(100000 + n);
  if (provider === 'twilio') {
    const params: Record<string, string> = {
      MessageSid: `SM${n.toString(16).padStart(32, '0')}`,
      From: '+15551234567',
      To: '+15005550006',
      Body: `Your Acme code is ${code}`,
    };
    const data =
      source.webhookUrl +
      Object.keys(params)
        .sort()
        .map((k) => k + params[k])
        .join('');
    return {
      code,
      raw: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': createHmac('sha1', TWILIO_TOKEN).update(data).digest('base64'),
      },
    };
  }
  const raw = JSON.stringify({
    event: 'sms:received',
    id: `bench-${n}`,
    payload: {
      message: `Your Acme code is ${code}`,
      sender: '+15551234567',
      receivedAt: new Date().toISOString(),
    },
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  return {
    code,
    raw,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': createHmac('sha256', source.signingSecret!)
        .update(raw + timestamp)
        .digest('hex'),
    },
  };
}

async function measure(relay: TestRelay, provider: Provider, apiKey: string, offset: number) {
  const source = await createSource(relay, provider);
  const keys = await agentKeyPair();
  const timings: number[] = [];
  for (let n = 0; n < ROUNDS; n++) {
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'bench', filter: { sources: ['sms'] }, publicKey: keys.publicKey },
    });
    const id = created.body.id as string;
    await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    const request = webhook(provider, source, offset + n);
    const started = performance.now();
    const waiting = call(relay.url, `/api/v1/otp/${id}?wait=10`, { token: apiKey });
    const sent = await call(relay.url, `/api/v1/sms/${provider}/${source.source.id}`, {
      raw: request.raw,
      headers: request.headers,
    });
    if (sent.status !== 200) throw new Error(`${provider} webhook answered ${sent.status}`);
    let status = (await waiting).body.status;
    while (status !== 'otp_received')
      status = (await call(relay.url, `/api/v1/otp/${id}?wait=10`, { token: apiKey })).body.status;
    const consumed = await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: apiKey });
    const payload = await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, id);
    if (payload.code !== request.code) throw new Error('the agent decrypted another code');
    timings.push(performance.now() - started);
  }
  timings.sort((a, b) => a - b);
  return { rounds: ROUNDS, p50Ms: round(percentile(timings, 50)), p99Ms: round(percentile(timings, 99)) };
}

export default async function bench(): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const dialects = postgresAvailable() ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
  for (const dialect of dialects) {
    const relay = await startTestRelay(dialect, { env: { PUBLIC_URL, LOG_LEVEL: 'warn' } });
    try {
      const { apiKey } = await relay.createAgent({ name: 'bench' });
      results[dialect] = {
        'sms-gateway': await measure(relay, 'sms-gateway', apiKey, 0),
        twilio: await measure(relay, 'twilio', apiKey, ROUNDS),
      };
    } finally {
      await relay.stop();
    }
  }
  return results;
}
