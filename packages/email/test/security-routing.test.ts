// Issue 9 item 7 through the standalone email connector (`email:watch` over HTTP with a source
// token, a real IMAP server): the connector routes a message to the most specific request, and
// when requests of two agents tie it seals the code to both and hands the ciphertexts to the
// relay (`POST /api/v1/capture/held`) for the owner to assign. Only ciphertext leaves the mailbox side.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImapConfigInput, type RunningConnectors, runEmailWatch, silentLogger } from '@agent-otp/email';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

describeWithService('dovecot', dovecotAvailable(), () => {
  describeEachDialect('email:watch routes by specificity and holds ties for the owner', (dialect) => {
    let dovecot: DovecotServer;
    let relay: TestRelay;
    let dataDir: string;
    let connector: RunningConnectors | undefined;

    beforeAll(async () => {
      dovecot = await startDovecot();
      relay = await startTestRelay(dialect);
      const { token } = await relay.createSource('email');
      dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-routing-'));
      const caFile = join(dataDir, 'ca.pem');
      writeFileSync(caFile, dovecot.caPem);
      const imap: ImapConfigInput = {
        host: dovecot.host,
        port: dovecot.tlsPort,
        user: dovecot.user,
        password: dovecot.password,
        accessToken: undefined,
        tls: true,
        mailbox: 'INBOX',
        caFile,
        idleRestartSeconds: 600,
      };
      connector = await runEmailWatch({
        url: relay.url,
        token,
        imap,
        dataDir,
        lookbackSeconds: 120,
        logger: silentLogger,
      });
    });
    afterAll(async () => {
      await connector?.stop();
      await relay?.stop();
      await dovecot?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('an older broad request of another agent does not get the code of a newer specific one', async () => {
      const broad = await relay.createAgent({ name: 'newsletter-bot' });
      const bank = await relay.createAgent({ name: 'bank-bot' });
      const older = await openEmailRequest(relay, broad.apiKey, '*');
      const specific = await openEmailRequest(relay, bank.apiKey, '*@bank-watch.test');
      await dovecot.appendMessage(
        buildMessage({
          from: 'Bank <alerts@bank-watch.test>',
          subject: 'Sign-in',
          text: 'Your code is 73019455.',
        }),
      );
      expect(await waitForCode(relay, specific)).toBe('73019455');
      expect((await call(relay.url, `/api/v1/otp/${older.id}`, { token: broad.apiKey })).body.status).toBe(
        'approved',
      );
      await call(relay.url, `/api/v1/otp/${older.id}`, { method: 'DELETE', token: broad.apiKey });
    });

    it('a tie between two agents is held; the owner assigns it; nothing readable reaches the relay', async () => {
      const a = await relay.createAgent({ name: 'alpha-watch' });
      const b = await relay.createAgent({ name: 'beta-watch' });
      const first = await openEmailRequest(relay, a.apiKey, '*@tie-watch.test');
      const second = await openEmailRequest(relay, b.apiKey, '*@tie-watch.test');
      const otp = '40917733';
      await dovecot.appendMessage(
        buildMessage({ from: 'codes@tie-watch.test', subject: 'Your code', text: `Your code is ${otp}.` }),
      );
      const held = await eventually(async () => {
        const list = await (await relay.ownerFetch('/api/v1/held-messages')).json();
        return list.heldMessages.find((m: { sender: string }) => m.sender === 'codes@tie-watch.test');
      }, 20_000);
      expect(held.candidates.map((c: { requestId: string }) => c.requestId).sort()).toEqual(
        [first.id, second.id].sort(),
      );
      const dump = await relay.dumpDatabase();
      expect(dump).not.toContain(otp);
      expect(dump).not.toContain('Your code');
      const assigned = await relay.ownerFetch(`/api/v1/held-messages/${held.id}/assign`, {
        method: 'POST',
        body: JSON.stringify({ requestId: second.id }),
      });
      expect(assigned.status).toBe(200);
      expect(await waitForCode(relay, second)).toBe(otp);
      expect((await call(relay.url, `/api/v1/otp/${first.id}`, { token: a.apiKey })).body.status).toBe(
        'approved',
      );
    });
  });
});
