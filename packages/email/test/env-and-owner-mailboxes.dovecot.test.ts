import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import { OPERATOR_MAILBOX_ID } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// Issue 16: the mailbox configured with IMAP_* keeps working for the default owner when that
// owner also connects a mailbox through the API: both run, side by side; the environment's
// is listed first for the default owner, read-only (the operator's: 409 on any change).

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
    // The operator's mailbox first, read-only; then the owner's own.
    expect(listed.body.mailboxes.map((m: { id: string }) => m.id)).toEqual([
      OPERATOR_MAILBOX_ID,
      added.body.id,
    ]);
    expect(listed.body.mailboxes[0]).toMatchObject({
      configuredBy: 'operator',
      kind: 'imap',
      settings: { host: envBox.host, port: envBox.port, tls: 'none', login: envBox.user, folder: 'INBOX' },
      hasCredential: true,
    });
    expect(listed.body.mailboxes[1].configuredBy).toBeUndefined();
    expect(JSON.stringify(listed.body)).not.toContain(envBox.password);

    const { apiKey } = await relay.createAgent({ name: 'both-ways' });
    const viaEnv = await openEmailRequest(relay, apiKey, '*@env-shop.test');
    const viaOwner = await openEmailRequest(relay, apiKey, '*@owner-shop.test');
    await envBox.appendMessage(mail('no-reply@env-shop.test', '52719384'));
    await ownerBox.appendMessage(mail('no-reply@owner-shop.test', '61830427'));
    expect(await waitForCode(relay, viaEnv)).toBe('52719384');
    expect(await waitForCode(relay, viaOwner)).toBe('61830427');
    // The connector is running: its state shows as watching.
    const operator = await call(relay.url, `/api/v1/mailboxes/${OPERATOR_MAILBOX_ID}`, {
      token: relay.ownerToken,
    });
    expect(operator.body.health.state).toBe('idle');
  });

  it('refuses to edit, test or remove the operator’s mailbox, saying why', async () => {
    const path = `/api/v1/mailboxes/${OPERATOR_MAILBOX_ID}`;
    const attempts = [
      await call(relay.url, path, { method: 'PATCH', token: relay.ownerToken, json: { name: 'mine now' } }),
      await call(relay.url, path, { method: 'DELETE', token: relay.ownerToken }),
      await call(relay.url, `${path}/test`, { method: 'POST', token: relay.ownerToken }),
    ];
    for (const res of attempts) {
      expect(res.status).toBe(409);
      expect(res.body.error.message).toContain('configured by the relay’s operator (IMAP_HOST');
    }
    // Still there, still running.
    const listed = await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken });
    expect(listed.body.mailboxes[0]).toMatchObject({
      id: OPERATOR_MAILBOX_ID,
      name: 'Configured by the operator',
    });
  });

  it('does not list the operator’s mailbox for another owner', async () => {
    // The first account claims the passwordless default owner (the one the mailbox serves);
    // the second is another owner.
    const { owner: claimed } = await createOwnerAccount(relay.ctx, {
      email: 'default@example.test',
      password: 'correct horse battery staple D',
      channel: 'cli',
    });
    const { owner } = await createOwnerAccount(relay.ctx, {
      email: 'someone@example.test',
      password: 'correct horse battery staple S',
      channel: 'cli',
    });
    expect(owner.id).not.toBe(claimed.id);
    const token = await createOwnerToken(relay.ctx, owner.id, 3600);
    const listed = await call(relay.url, '/api/v1/mailboxes', { token });
    expect(listed.body.mailboxes).toEqual([]);
    const one = await call(relay.url, `/api/v1/mailboxes/${OPERATOR_MAILBOX_ID}`, { token });
    expect(one.status).toBe(404);
  });
});
