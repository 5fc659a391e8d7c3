import { MAILBOX_PRESETS, MailboxPresetsResponseSchema } from '@agent-otp/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';

// Issue 16: the dashboard's preset picker reads the providers' IMAP servers from the relay.
describe('GET /api/v1/mailboxes/presets', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
  });
  afterAll(() => relay.stop());

  it('lists the five providers with their server, TLS mode and app-password hint', async () => {
    const res = await call(relay.url, '/api/v1/mailboxes/presets', { token: relay.ownerToken });
    expect(res.status).toBe(200);
    const { presets } = MailboxPresetsResponseSchema.parse(res.body);
    expect(presets.map((preset) => preset.id)).toEqual(['gmail', 'outlook', 'icloud', 'fastmail', 'yahoo']);
    expect(presets).toEqual(MAILBOX_PRESETS);
    expect(presets.find((preset) => preset.id === 'gmail')).toMatchObject({
      host: 'imap.gmail.com',
      port: 993,
      tls: 'implicit',
    });
    for (const preset of presets) {
      expect(preset.passwordHint.length).toBeGreaterThan(40);
      expect(preset.helpUrl).toMatch(/^https:\/\//);
    }
  });

  it('takes the owner credential only', async () => {
    const { apiKey } = await relay.createAgent({ name: 'not-an-owner' });
    const res = await call(relay.url, '/api/v1/mailboxes/presets', { token: apiKey });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHORIZED');
    const anonymous = await call(relay.url, '/api/v1/mailboxes/presets');
    expect(anonymous.status).toBe(401);
  });
});
