import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { WebhookEvent } from '../src/index.js';
import { generateWebhookSecret, webhookSignature } from '../src/webhook-signing.js';

describe('webhook signature', () => {
  it('is the HMAC-SHA256 that openssl computes over "<timestamp>.<body>" with the whole secret as key', () => {
    const secret = generateWebhookSecret();
    const body = '{"id":"evt_1","status":"otp_received"}';
    const openssl = execFileSync('openssl', ['dgst', '-sha256', '-hmac', secret, '-hex'], {
      input: `1764547200.${body}`,
    })
      .toString()
      .trim()
      .split('= ')
      .pop();
    expect(webhookSignature(secret, 1764547200, body)).toBe(openssl);
    expect(webhookSignature(secret, 1764547200, new TextEncoder().encode(body))).toBe(openssl);
  });

  it('changes with the timestamp, the body and the secret', () => {
    const secret = generateWebhookSecret();
    const base = webhookSignature(secret, 1, 'x');
    expect(webhookSignature(secret, 2, 'x')).not.toBe(base);
    expect(webhookSignature(secret, 1, 'y')).not.toBe(base);
    expect(webhookSignature(generateWebhookSecret(), 1, 'x')).not.toBe(base);
  });

  it('secrets are prefixed, 32 random bytes, and never repeat', () => {
    const secrets = new Set(Array.from({ length: 50 }, generateWebhookSecret));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  });

  it('the event schema refuses a status an agent is never sent', () => {
    const event = {
      id: 'evt_1',
      type: 'otp.otp_received',
      kind: 'otp',
      request_id: 'r1',
      status: 'otp_received',
      agent_id: 'a1',
      created_at: '2026-12-01T00:00:00.000Z',
    };
    expect(WebhookEvent.parse(event)).toEqual(event);
    expect(WebhookEvent.safeParse({ ...event, status: 'consumed' }).success).toBe(false);
  });
});
