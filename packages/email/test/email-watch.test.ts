import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ImapConfigInput,
  type ImapStatus,
  RelayError,
  type RunningConnectors,
  runEmailWatch,
  silentLogger,
} from '@agent-otp/email';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// `agent-otp email:watch` run in-process through its exported function: IMAPS with a private
// CA, the relay reached over HTTP with a source token, only ciphertext sent.

describeWithService('dovecot', dovecotAvailable(), () => {
  describeEachDialect('email:watch as a standalone capture source', (dialect) => {
    let dovecot: DovecotServer;
    let relay: TestRelay;
    let token: string;
    let dataDir: string;
    let imap: ImapConfigInput;
    const running: RunningConnectors[] = [];

    beforeAll(async () => {
      dovecot = await startDovecot();
      relay = await startTestRelay(dialect);
      ({ token } = await relay.createSource('email'));
      dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-watch-'));
      const caFile = join(dataDir, 'ca.pem');
      writeFileSync(caFile, dovecot.caPem);
      imap = {
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
    });
    afterAll(async () => {
      for (const connector of running) await connector.stop();
      await relay?.stop();
      await dovecot?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('reads the mailbox over verified TLS and sends the relay only ciphertext', async () => {
      const statuses: ImapStatus[] = [];
      running.push(
        await runEmailWatch({
          url: relay.url,
          token,
          imap,
          dataDir,
          lookbackSeconds: 120,
          logger: silentLogger,
          hooks: { onImapStatus: (status) => statuses.push(status) },
        }),
      );
      const { apiKey } = await relay.createAgent({ name: 'watch-agent' });
      const request = await openEmailRequest(relay, apiKey, '*@shop-watch.test');
      const otp = '58203947';
      const uid = await dovecot.appendMessage(
        buildMessage({
          from: 'Shop <codes@shop-watch.test>',
          subject: 'Confirm your email',
          html: `<p style="color:#999999">Hidden preheader</p><p>Your verification code is <b>${otp}</b>.</p>`,
        }),
      );
      expect(await waitForCode(relay, request)).toBe(otp);
      expect(statuses[0]?.state).toBe('connected');
      expect(await dovecot.flags(uid)).not.toContain('\\Seen');

      const dump = await relay.dumpDatabase();
      const logs = relay.logs.join('\n');
      for (const secret of [otp, 'codes@shop-watch.test', 'Confirm your email']) {
        expect(dump).not.toContain(secret);
        expect(logs).not.toContain(secret);
      }
      const state = join(dataDir, 'email-watch-state.json');
      expect(statSync(state).mode & 0o777).toBe(0o600);
      const saved = readFileSync(state, 'utf8');
      expect(saved).toContain('lastUid');
      expect(saved).not.toContain(dovecot.user);
    });

    it('refuses a self-signed IMAPS server when its CA is not trusted', async () => {
      const statuses: ImapStatus[] = [];
      running.push(
        await runEmailWatch({
          url: relay.url,
          token,
          imap: { ...imap, caFile: undefined },
          dataDir: mkdtempSync(join(tmpdir(), 'agent-otp-watch-untrusted-')),
          lookbackSeconds: 120,
          logger: silentLogger,
          hooks: { onImapStatus: (status) => statuses.push(status) },
        }),
      );
      const refused = await eventually(async () => statuses.find((s) => s.state === 'disconnected'), 10_000);
      expect(refused.state === 'disconnected' && refused.code).toMatch(/CERT|SIGNATURE|ISSUER/);
      expect(statuses.some((s) => s.state === 'connected')).toBe(false);
      await running.pop()?.stop();
    });

    it('fails fast on a revoked token, a malformed token, or nothing to watch', async () => {
      const base = { url: relay.url, imap, dataDir, lookbackSeconds: 120, logger: silentLogger };
      await expect(runEmailWatch({ ...base, token: 'cs_short' })).rejects.toThrow(/capture-source token/);
      await expect(runEmailWatch({ ...base, token, imap: undefined })).rejects.toThrow(/nothing to watch/);
      const { id, token: doomed } = await relay.createSource('email');
      await relay.ownerFetch(`/api/v1/sources/${id}/revoke`, { method: 'POST' });
      const refused = runEmailWatch({ ...base, token: doomed });
      await expect(refused).rejects.toBeInstanceOf(RelayError);
      await expect(refused).rejects.toThrow(/revoked/);
    });
  });
});
