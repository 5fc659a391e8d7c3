import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// Issue 16: the mailbox configured with IMAP_* keeps working for the default owner when that
// owner also connects a mailbox through the API: both run, side by side, and only the
// owner's own mailbox is listed (the environment's is the operator's, not editable).

const mail = (from: string, otp: string) =>
  buildMessage({
    from,
    subject: 'Your sign-in code',
    text: `Your verification code is ${otp}. It expires in 10 minutes.`,
  });

describeWithService('dovecot', dovecotAvailable(), () => {
  let envBox: DovecotServer;
  let ownerBox: DovecotServer;
  let relay: TestRelay;

  beforeAll(async () => {
    envBox = await startDovecot();
    ownerBox = await startDovecot();
    relay = await startTestRelay('sqlite', {
      env: {
        IMAP_HOST: envBox.host,
        IMAP_PORT: String(envBox.port),
        IMAP_USER: envBox.user,
        IMAP_PASSWORD: envBox.password,
        IMAP_TLS: 'false',
        // The owner's dovecot is on loopback, which owners' mailboxes may reach only when allowed.
        MAILBOX_ALLOW_PRIVATE: 'true',
      },
    });
  });
  afterAll(async () => {
    await relay?.stop();
    await Promise.all([envBox?.close(), ownerBox?.close()]);
  });

  it('runs the environment mailbox and the owner’s mailbox side by side', async () => {
    const added = await call(relay.url, '/api/v1/mailboxes', {
      token: relay.ownerToken,
      json: {
        kind: 'imap',
        name: 'my own mail',
        settings: { host: ownerBox.host, port: ownerBox.port, tls: 'none', login: ownerBox.user },
        password: ownerBox.password,
      },
    });
    expect(added.status).toBe(201);
    const listed = await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken });
    expect(listed.body.mailboxes.map((m: { id: string }) => m.id)).toEqual([added.body.id]);

    const { apiKey } = await relay.createAgent({ name: 'both-ways' });
    const viaEnv = await openEmailRequest(relay, apiKey, '*@env-shop.test');
    const viaOwner = await openEmailRequest(relay, apiKey, '*@owner-shop.test');
    await envBox.appendMessage(mail('no-reply@env-shop.test', '52719384'));
    await ownerBox.appendMessage(mail('no-reply@owner-shop.test', '61830427'));
    expect(await waitForCode(relay, viaEnv)).toBe('52719384');
    expect(await waitForCode(relay, viaOwner)).toBe('61830427');
  });
});
