import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { approve, openEmailRequest, statusOf, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// The connector built into `agent-otp serve`, against a real dovecot: IMAP IDLE, read-only,
// resume by UID across a server restart, matched against the default owner's requests.

const codes: string[] = [];
/** Codes that cannot occur by accident in ids, hashes or ciphertext. */
function code(): string {
  const value = String(71_000_000 + codes.length * 104_729 + Math.floor(Math.random() * 997)).slice(0, 8);
  codes.push(value);
  return value;
}

describeWithService('dovecot', dovecotAvailable(), () => {
  describeEachDialect('IMAP connector inside serve', (dialect) => {
    let dovecot: DovecotServer;
    let relay: TestRelay;
    let apiKey: string;

    beforeAll(async () => {
      dovecot = await startDovecot();
      relay = await startTestRelay(dialect, {
        env: {
          IMAP_HOST: dovecot.host,
          IMAP_PORT: String(dovecot.port),
          IMAP_USER: dovecot.user,
          IMAP_PASSWORD: dovecot.password,
          IMAP_TLS: 'false',
        },
      });
      ({ apiKey } = await relay.createAgent({ name: 'mail-agent' }));
    });
    afterAll(async () => {
      await relay?.stop();
      await dovecot?.close();
    });

    const mail = (from: string, otp: string) =>
      buildMessage({
        from,
        subject: 'Your sign-in code',
        text: `Your verification code is ${otp}. It expires in 10 minutes.`,
      });

    it('delivers a matching mail to a waiting agent as the right code, and leaves it unread', async () => {
      const request = await openEmailRequest(relay, apiKey, '*@acme-one.test');
      const otp = code();
      const waiting = waitForCode(relay, request);
      const uid = await dovecot.appendMessage(mail('Acme <no-reply@acme-one.test>', otp));
      expect(await waiting).toBe(otp);
      expect(await dovecot.flags(uid)).not.toContain('\\Seen');
    });

    it('ignores mail from another sender, even one wearing the right display name', async () => {
      const request = await openEmailRequest(relay, apiKey, '*@acme-two.test');
      await dovecot.appendMessage(mail('Someone <no-reply@other-two.test>', code()));
      await dovecot.appendMessage(mail('"no-reply@acme-two.test" <attacker@evil-two.test>', code()));
      await new Promise((resolve) => setTimeout(resolve, 2500));
      expect(await statusOf(relay, request)).toBe('approved');
      // The connector was alive all along: the genuine mail still gets through.
      const otp = code();
      await dovecot.appendMessage(mail('no-reply@acme-two.test', otp));
      expect(await waitForCode(relay, request)).toBe(otp);
    });

    it('holds a code that lands while the request awaits approval and releases it on approval', async () => {
      const request = await openEmailRequest(relay, apiKey, '*@acme-three.test', { approve: false });
      const otp = code();
      await dovecot.appendMessage(mail('no-reply@acme-three.test', otp));
      await eventually(async () => {
        const row = await relay.ctx.database.db
          .selectFrom('otp_requests')
          .select('encrypted_payload')
          .where('id', '=', request.id)
          .executeTakeFirstOrThrow();
        return row.encrypted_payload !== null;
      }, 20_000);
      expect(await statusOf(relay, request)).toBe('pending_approval');
      await approve(relay, request.id);
      expect(await waitForCode(relay, request)).toBe(otp);
    });

    it('delivers a code sent a moment before the agent asked (look-back)', async () => {
      const otp = code();
      await dovecot.appendMessage(mail('no-reply@acme-four.test', otp));
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const request = await openEmailRequest(relay, apiKey, '*@acme-four.test');
      expect(await waitForCode(relay, request)).toBe(otp);
    });

    it('delivers mail that landed while the connector was cut off, after it reconnects', async () => {
      const request = await openEmailRequest(relay, apiKey, '*@acme-five.test');
      await dovecot.stop();
      // Long enough for the connector to notice and fall into its back-off.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await dovecot.start();
      const otp = code();
      const uid = await dovecot.appendMessage(mail('no-reply@acme-five.test', otp));
      expect(await waitForCode(relay, request)).toBe(otp);
      expect(await dovecot.flags(uid)).not.toContain('\\Seen');

      const again = await openEmailRequest(relay, apiKey, '*@acme-five.test');
      await dovecot.restart();
      const next = code();
      await dovecot.appendMessage(mail('no-reply@acme-five.test', next));
      expect(await waitForCode(relay, again)).toBe(next);
    });

    it('acts as a named internal capture source and keeps no code, address or body', async () => {
      const sources = await relay.ctx.database.db
        .selectFrom('capture_sources')
        .select(['id', 'name', 'kind'])
        .where('name', '=', 'built-in IMAP connector')
        .execute();
      expect(sources).toHaveLength(1);
      const deliveries = await relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['actor_id', 'actor_type'])
        .where('action', '=', 'otp.code_delivered')
        .execute();
      expect(deliveries.length).toBeGreaterThanOrEqual(5);
      for (const row of deliveries) expect(row).toEqual({ actor_id: sources[0]?.id, actor_type: 'source' });

      const dump = await relay.dumpDatabase();
      const logs = relay.logs.join('\n');
      expect(logs).toContain('delivered an encrypted code');
      for (const secret of [
        ...codes,
        'no-reply@acme-one.test',
        'attacker@evil-two.test',
        'no-reply@other-two.test',
        'Your verification code',
        dovecot.password,
      ]) {
        expect(dump).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
    });
  });
});
