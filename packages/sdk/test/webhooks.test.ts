// verifyWebhookSignature against the fixed wire format (issue 11 §2): deliveries signed the
// way openssl signs them, forged, stale, replayed, altered, and received by a real node:http
// server as the README's receiver snippet reads them.
import { execFileSync } from 'node:child_process';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateWebhookSecret } from '@orrisai/agent-otp-contract/webhook-signing';
import {
  AgentOTPError,
  ValidationError,
  type WebhookEvent,
  WebhookSignatureError,
  type WebhookSignatureFailure,
} from '@orrisai/agent-otp-sdk';
import { verifyWebhookSignature } from '@orrisai/agent-otp-sdk/webhooks';
import { describe, expect, it } from 'vitest';

const NOW_SECONDS = 1_796_083_200; // 2026-12-01T00:00:00Z
const NOW = NOW_SECONDS * 1000;
const EVENT: WebhookEvent = {
  id: 'evt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  type: 'otp.otp_received',
  kind: 'otp',
  request_id: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  status: 'otp_received',
  agent_id: 'agt_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  created_at: '2026-12-01T00:00:00.000Z',
};
const BODY = JSON.stringify(EVENT);

/** The v1 signature as the wire format's shell check computes it. */
function opensslSignature(secret: string, timestamp: number, body: string): string {
  const output = execFileSync(
    'sh',
    ['-c', `printf '%s.%s' "$TS" "$BODY" | openssl dgst -sha256 -hmac "$SECRET" -hex`],
    { env: { ...process.env, TS: String(timestamp), BODY: body, SECRET: secret } },
  );
  const hex = output.toString().trim().split('= ').pop() ?? '';
  expect(hex).toMatch(/^[0-9a-f]{64}$/);
  return hex;
}

type SignedHeaders = Record<'x-otp-event-id' | 'x-otp-timestamp' | 'x-otp-signature', string> &
  Record<string, string>;

function delivery(secret: string, timestamp = NOW_SECONDS, body = BODY) {
  return {
    body,
    headers: {
      'x-otp-event-id': EVENT.id,
      'x-otp-timestamp': String(timestamp),
      'x-otp-signature': `v1=${opensslSignature(secret, timestamp, body)}`,
    } as SignedHeaders,
  };
}

function refusal(run: () => unknown): WebhookSignatureError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookSignatureError);
    expect(error).toBeInstanceOf(AgentOTPError);
    expect(error).toMatchObject({ code: 'WEBHOOK_SIGNATURE_INVALID' });
    return error as WebhookSignatureError;
  }
  throw new Error('the delivery was accepted');
}

function expectRefused(run: () => unknown, reason: WebhookSignatureFailure): WebhookSignatureError {
  const error = refusal(run);
  expect(error.reason).toBe(reason);
  return error;
}

describe('verifyWebhookSignature', () => {
  const secret = generateWebhookSecret();

  it('accepts a delivery signed as openssl signs it and returns the parsed event', () => {
    const { body, headers } = delivery(secret);
    expect(verifyWebhookSignature(body, headers, secret, { now: NOW })).toEqual(EVENT);
    expect(verifyWebhookSignature(Buffer.from(body), headers, secret, { now: new Date(NOW) })).toEqual(EVENT);
    expect(
      verifyWebhookSignature(new TextEncoder().encode(body).buffer, headers, secret, { now: NOW }),
    ).toEqual(EVENT);
  });

  it('refuses a forged signature', () => {
    const { body, headers } = delivery(secret);
    const forged = { ...headers, 'x-otp-signature': `v1=${'ab'.repeat(32)}` };
    expectRefused(() => verifyWebhookSignature(body, forged, secret, { now: NOW }), 'bad_signature');
  });

  it('refuses a delivery signed with another secret', () => {
    const { body, headers } = delivery(generateWebhookSecret());
    expectRefused(() => verifyWebhookSignature(body, headers, secret, { now: NOW }), 'bad_signature');
  });

  it('refuses a modified body, even by one byte or re-serialised JSON', () => {
    const { headers } = delivery(secret);
    const denied = BODY.replace('"status":"otp_received"', '"status":"denied"');
    expect(denied).not.toBe(BODY);
    expectRefused(() => verifyWebhookSignature(denied, headers, secret, { now: NOW }), 'bad_signature');
    const reformatted = JSON.stringify(EVENT, null, 2);
    expectRefused(() => verifyWebhookSignature(reformatted, headers, secret, { now: NOW }), 'bad_signature');
  });

  it('refuses stale and future timestamps beyond the tolerance, accepts them at its edge', () => {
    const old = delivery(secret, NOW_SECONDS - 301);
    const stale = expectRefused(
      () => verifyWebhookSignature(old.body, old.headers, secret, { now: NOW }),
      'stale_timestamp',
    );
    expect(stale.message).toMatch(/301 s from now/);
    const future = delivery(secret, NOW_SECONDS + 301);
    expectRefused(
      () => verifyWebhookSignature(future.body, future.headers, secret, { now: NOW }),
      'stale_timestamp',
    );
    const edge = delivery(secret, NOW_SECONDS - 300);
    expect(verifyWebhookSignature(edge.body, edge.headers, secret, { now: NOW })).toEqual(EVENT);
    expectRefused(
      () => verifyWebhookSignature(edge.body, edge.headers, secret, { now: NOW, toleranceSeconds: 60 }),
      'stale_timestamp',
    );
  });

  it('refuses a captured delivery replayed later with a fresh timestamp', () => {
    const captured = delivery(secret, NOW_SECONDS - 3600);
    const replayed = { ...captured.headers, 'x-otp-timestamp': String(NOW_SECONDS) };
    expectRefused(
      () => verifyWebhookSignature(captured.body, replayed, secret, { now: NOW }),
      'bad_signature',
    );
  });

  it('reads header names in any case, from a record or a Fetch Headers', () => {
    const { body, headers } = delivery(secret);
    const shouted = {
      'X-OTP-EVENT-ID': headers['x-otp-event-id'],
      'X-Otp-Timestamp': headers['x-otp-timestamp'],
      'x-OTP-signature': headers['x-otp-signature'],
    };
    expect(verifyWebhookSignature(body, shouted, secret, { now: NOW })).toEqual(EVENT);
    expect(verifyWebhookSignature(body, new Headers(shouted), secret, { now: NOW })).toEqual(EVENT);
  });

  it('accepts any matching v1 entry among several and ignores other schemes', () => {
    const { body, headers } = delivery(secret);
    const valid = headers['x-otp-signature'];
    const wrong = `v1=${'00'.repeat(32)}`;
    for (const signature of [`${wrong}, ${valid}`, `${valid},${wrong}`, `v2=${'ff'.repeat(32)}, ${valid}`]) {
      const variant = { ...headers, 'x-otp-signature': signature };
      expect(verifyWebhookSignature(body, variant, secret, { now: NOW }), signature).toEqual(EVENT);
    }
    // The same header sent twice, as Node and Fetch join repeated headers.
    const repeated = new Headers({ 'x-otp-event-id': EVENT.id, 'x-otp-timestamp': String(NOW_SECONDS) });
    repeated.append('x-otp-signature', wrong);
    repeated.append('x-otp-signature', valid);
    expect(verifyWebhookSignature(body, repeated, secret, { now: NOW })).toEqual(EVENT);
    const allWrong = { ...headers, 'x-otp-signature': `${wrong}, v1=${'11'.repeat(32)}` };
    expectRefused(() => verifyWebhookSignature(body, allWrong, secret, { now: NOW }), 'bad_signature');
  });

  it('names a missing header', () => {
    const { body, headers } = delivery(secret);
    for (const name of ['x-otp-event-id', 'x-otp-timestamp', 'x-otp-signature']) {
      const { [name]: _dropped, ...rest } = headers;
      const error = expectRefused(
        () => verifyWebhookSignature(body, rest, secret, { now: NOW }),
        'missing_header',
      );
      expect(error.message).toContain(name);
    }
  });

  it('refuses malformed signature headers and timestamps', () => {
    const { body, headers } = delivery(secret);
    for (const signature of ['v2=abcdef', 'v1=not-hex', 'sha256=abc', `v1=${'ab'.repeat(31)}`])
      expectRefused(
        () =>
          verifyWebhookSignature(body, { ...headers, 'x-otp-signature': signature }, secret, { now: NOW }),
        'malformed',
      );
    for (const timestamp of ['soon', '1796083200.5', '-1796083200', '2026-12-01T00:00:00Z'])
      expectRefused(
        () =>
          verifyWebhookSignature(body, { ...headers, 'x-otp-timestamp': timestamp }, secret, { now: NOW }),
        'stale_timestamp',
      );
  });

  it('refuses a correctly signed body that is not an event, or an event id header that is not its id', () => {
    const notJson = delivery(secret, NOW_SECONDS, 'hello');
    expectRefused(
      () => verifyWebhookSignature(notJson.body, notJson.headers, secret, { now: NOW }),
      'malformed',
    );
    const notEvent = delivery(secret, NOW_SECONDS, JSON.stringify({ ...EVENT, status: 'consumed' }));
    expectRefused(
      () => verifyWebhookSignature(notEvent.body, notEvent.headers, secret, { now: NOW }),
      'malformed',
    );
    const { body, headers } = delivery(secret);
    const otherId = { ...headers, 'x-otp-event-id': 'evt_other' };
    expectRefused(() => verifyWebhookSignature(body, otherId, secret, { now: NOW }), 'malformed');
  });

  it('refuses to verify parsed JSON or without a secret (programming errors, not deliveries)', () => {
    const { headers } = delivery(secret);
    expect(() => verifyWebhookSignature(EVENT as unknown as string, headers, secret, { now: NOW })).toThrow(
      ValidationError,
    );
    expect(() => verifyWebhookSignature(BODY, headers, '', { now: NOW })).toThrow(ValidationError);
    expect(() => verifyWebhookSignature(BODY, headers, secret, { toleranceSeconds: -1 })).toThrow(
      ValidationError,
    );
  });

  it('verifies what a node:http receiver reads (raw body chunks and IncomingHttpHeaders)', async () => {
    const received: Array<{ status: number; event?: WebhookEvent; reason?: string }> = [];
    // The README's receiver: read the raw body, verify, answer 2xx only for a valid delivery.
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      try {
        const event = verifyWebhookSignature(Buffer.concat(chunks), req.headers, secret);
        received.push({ status: 204, event });
        res.writeHead(204).end();
      } catch (error) {
        if (!(error instanceof WebhookSignatureError)) throw error;
        received.push({ status: 400, reason: error.reason });
        res.writeHead(400).end(error.reason);
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/agent-otp`;
    try {
      const timestamp = Math.floor(Date.now() / 1000);
      const signed = delivery(secret, timestamp);
      const headers: IncomingHttpHeaders = {
        ...signed.headers,
        'content-type': 'application/json',
        'user-agent': 'agent-otp-webhook/test',
      };
      const post = (extra: Record<string, string> = {}) =>
        fetch(url, {
          method: 'POST',
          headers: { ...(headers as Record<string, string>), ...extra },
          body: BODY,
        });
      expect((await post()).status).toBe(204);
      expect((await post({ 'x-otp-signature': `v1=${'ab'.repeat(32)}` })).status).toBe(400);
      expect(received).toEqual([
        { status: 204, event: EVENT },
        { status: 400, reason: 'bad_signature' },
      ]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
