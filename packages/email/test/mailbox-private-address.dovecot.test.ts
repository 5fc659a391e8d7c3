import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// Issue 16: an owner's mailbox must not let its owner make the relay probe the relay's own
// network. A host that is, or resolves to, a private address (here loopback, where dovecot
// runs) is refused by the connection test and by the running connector unless the operator
// sets MAILBOX_ALLOW_PRIVATE=true; the operator's own IMAP_HOST mailbox is exempt.

const ALLOW_HINT = 'the operator can allow it with MAILBOX_ALLOW_PRIVATE=true';

interface Health {
  state: string;
  lastError: string | null;
}

describeWithService('dovecot', dovecotAvailable(), () => {
  let box: DovecotServer;
  beforeAll(async () => {
    box = await startDovecot();
  });
  afterAll(async () => {
    await box?.close();
  });

  const imapSettings = (host: string) => ({ host, port: box.port, tls: 'none', login: box.user });
  const testUnsaved = (relay: TestRelay, host: string) =>
    call(relay.url, '/api/v1/mailboxes/test', {
      token: relay.ownerToken,
      json: { kind: 'imap', settings: imapSettings(host), password: box.password },
    });
  const addMailbox = (relay: TestRelay, name: string) =>
    call(relay.url, '/api/v1/mailboxes', {
      token: relay.ownerToken,
      json: { kind: 'imap', name, settings: imapSettings(box.host), password: box.password },
    });
  const healthOf = async (relay: TestRelay, id: string): Promise<Health> => {
    const res = await call(relay.url, `/api/v1/mailboxes/${id}`, { token: relay.ownerToken });
    expect(res.status).toBe(200);
    return res.body.health as Health;
  };

  describe('without MAILBOX_ALLOW_PRIVATE', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay('sqlite', {
        env: {
          // The operator's own mailbox, on the same loopback dovecot: exempt from the rule.
          IMAP_HOST: box.host,
          IMAP_PORT: String(box.port),
          IMAP_USER: box.user,
          IMAP_PASSWORD: box.password,
          IMAP_TLS: 'false',
        },
      });
    });
    afterAll(async () => {
      await relay?.stop();
    });

    it('the connection test stops at DNS for a loopback address, naming the setting', async () => {
      const res = await testUnsaved(relay, '127.0.0.1');
      expect(res.status).toBe(200);
      expect(res.body.ok).toBe(false);
      expect(res.body.steps.map((step: { step: string; ok: boolean }) => [step.step, step.ok])).toEqual([
        ['dns', false],
      ]);
      expect(res.body.message).toBe(`127.0.0.1 is a private address; ${ALLOW_HINT}.`);
    });

    it('the connection test refuses a name that resolves to loopback, naming the address', async () => {
      const res = await testUnsaved(relay, 'localhost');
      expect(res.body.ok).toBe(false);
      expect(res.body.steps).toHaveLength(1);
      expect(res.body.message).toMatch(
        /^localhost resolves to a private address \((127\.0\.0\.1|::1)\); the operator can allow it with MAILBOX_ALLOW_PRIVATE=true\.$/,
      );
    });

    it('a saved mailbox on loopback goes failing with the reason, and its saved test says the same', async () => {
      const added = await addMailbox(relay, 'loopback mail');
      expect(added.status).toBe(201);
      const health = await eventually(async () => {
        const current = await healthOf(relay, added.body.id);
        return current.state === 'failing' ? current : undefined;
      }, 15_000);
      expect(health.lastError).toBe(`127.0.0.1 is a private address; ${ALLOW_HINT}`);
      const tested = await call(relay.url, `/api/v1/mailboxes/${added.body.id}/test`, {
        method: 'POST',
        token: relay.ownerToken,
      });
      expect(tested.body.ok).toBe(false);
      expect(tested.body.message).toBe(`127.0.0.1 is a private address; ${ALLOW_HINT}.`);
    });

    it('the operator’s IMAP_HOST mailbox on loopback still delivers codes', async () => {
      const { apiKey } = await relay.createAgent({ name: 'operator-mailbox' });
      const request = await openEmailRequest(relay, apiKey, '*@operator-shop.test');
      await box.appendMessage(
        buildMessage({
          from: 'no-reply@operator-shop.test',
          subject: 'Your sign-in code',
          text: 'Your verification code is 47193025. It expires in 10 minutes.',
        }),
      );
      expect(await waitForCode(relay, request)).toBe('47193025');
    });
  });

  describe('with MAILBOX_ALLOW_PRIVATE=true', () => {
    let relay: TestRelay;
    beforeAll(async () => {
      relay = await startTestRelay('sqlite', { env: { MAILBOX_ALLOW_PRIVATE: 'true' } });
    });
    afterAll(async () => {
      await relay?.stop();
    });

    it('the connection test passes every step on loopback', async () => {
      const res = await testUnsaved(relay, box.host);
      expect(res.body.steps.map((step: { step: string; ok: boolean }) => [step.step, step.ok])).toEqual([
        ['dns', true],
        ['tcp', true],
        ['tls', true],
        ['login', true],
        ['folder', true],
      ]);
      expect(res.body.ok).toBe(true);
    });

    it('a saved mailbox on loopback connects', async () => {
      const added = await addMailbox(relay, 'allowed loopback mail');
      expect(added.status).toBe(201);
      const health = await eventually(async () => {
        const current = await healthOf(relay, added.body.id);
        return current.state === 'idle' ? current : undefined;
      }, 15_000);
      expect(health.lastError).toBeNull();
    });
  });
});
