// Issue 14 through the standalone email connector (`email:watch` over HTTP with a source token,
// a real IMAP server): a matched message whose code is not clear enough is not delivered; the
// connector tells the relay only the sender, time and verdict (`POST …/unclear`), and the
// request stays open for a clearer message.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningConnectors, runEmailWatch, silentLogger } from '@agent-otp/email';
import { DEFAULT_DELIVERY_CONFIDENCE, extractOTP } from '@agent-otp/extract';
import type { OwnerOtpRequest } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

const UNCLEAR_CODE = '48213907';
const UNCLEAR_TEXT = `Harborlight account. Login: ${UNCLEAR_CODE}`;
const SUBJECT = 'Harborlight notice';

describeWithService('dovecot', dovecotAvailable(), () => {
  describeEachDialect('email:watch notes a message that held no clear code', (dialect) => {
    let dovecot: DovecotServer;
    let relay: TestRelay;
    let dataDir: string;
    let connector: RunningConnectors | undefined;

    beforeAll(async () => {
      dovecot = await startDovecot();
      relay = await startTestRelay(dialect);
      const { token } = await relay.createSource('email');
      dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-unclear-'));
      const caFile = join(dataDir, 'ca.pem');
      writeFileSync(caFile, dovecot.caPem);
      connector = await runEmailWatch({
        url: relay.url,
        token,
        imap: {
          host: dovecot.host,
          port: dovecot.tlsPort,
          user: dovecot.user,
          password: dovecot.password,
          accessToken: undefined,
          tls: true,
          mailbox: 'INBOX',
          caFile,
          idleRestartSeconds: 600,
        },
        dataDir,
        lookbackSeconds: 120,
        minConfidence: DEFAULT_DELIVERY_CONFIDENCE,
        logger: silentLogger,
      });
    });
    afterAll(async () => {
      await connector?.stop();
      await relay?.stop();
      await dovecot?.close();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    it('the request stays open, its owner sees the sender and time, and a clearer message still serves it', async () => {
      expect(extractOTP({ source: 'email', subject: SUBJECT, text: UNCLEAR_TEXT })?.confidence).toBeLessThan(
        DEFAULT_DELIVERY_CONFIDENCE,
      );
      const { apiKey } = await relay.createAgent({ name: 'harbor-bot' });
      const request = await openEmailRequest(relay, apiKey, '*@harbor-watch.test');
      await dovecot.appendMessage(
        buildMessage({ from: 'Harbor <alerts@harbor-watch.test>', subject: SUBJECT, text: UNCLEAR_TEXT }),
      );
      const noted = await eventually(async () => {
        const viewed = await call<OwnerOtpRequest>(relay.url, `/api/v1/requests/${request.id}`, {
          token: relay.ownerToken,
        });
        return viewed.body.unclearMessages.length > 0 && viewed.body;
      }, 15_000);
      expect(noted.status).toBe('approved');
      expect(noted.unclearMessages).toEqual([
        {
          receivedAt: expect.any(String),
          source: 'email',
          from: 'alerts@harbor-watch.test',
          outcome: 'unclear_code',
          confidence:
            Math.round(
              (extractOTP({ source: 'email', subject: SUBJECT, text: UNCLEAR_TEXT })?.confidence ?? 0) * 100,
            ) / 100,
        },
      ]);

      const dump = await relay.dumpDatabase();
      const logs = relay.logs.join('\n');
      for (const secret of [UNCLEAR_CODE, 'Harborlight']) {
        expect(dump.includes(secret), `${secret} in the database`).toBe(false);
        expect(logs.includes(secret), `${secret} in the logs`).toBe(false);
      }

      await dovecot.appendMessage(
        buildMessage({
          from: 'Harbor <alerts@harbor-watch.test>',
          subject: 'Your code',
          text: 'Your verification code is 730194.',
        }),
      );
      expect(await waitForCode(relay, request)).toBe('730194');
    });
  });

  describeEachDialect(
    'the IMAP connector inside serve notes a message that held no clear code',
    (dialect) => {
      let dovecot: DovecotServer;
      let relay: TestRelay;

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
      });
      afterAll(async () => {
        await relay?.stop();
        await dovecot?.close();
      });

      it('leaves the request open and shows its owner the sender, never the code', async () => {
        const { apiKey } = await relay.createAgent({ name: 'harbor-serve-bot' });
        const request = await openEmailRequest(relay, apiKey, '*@harbor-serve.test');
        await dovecot.appendMessage(
          buildMessage({ from: 'Harbor <alerts@harbor-serve.test>', subject: SUBJECT, text: UNCLEAR_TEXT }),
        );
        const noted = await eventually(async () => {
          const viewed = await call<OwnerOtpRequest>(relay.url, `/api/v1/requests/${request.id}`, {
            token: relay.ownerToken,
          });
          return viewed.body.unclearMessages.length > 0 && viewed.body;
        }, 15_000);
        expect(noted.status).toBe('approved');
        expect(noted.unclearMessages).toMatchObject([
          { source: 'email', from: 'alerts@harbor-serve.test', outcome: 'unclear_code' },
        ]);
        const dump = await relay.dumpDatabase();
        expect(dump.includes(UNCLEAR_CODE)).toBe(false);
        expect(relay.logs.join('\n').includes(UNCLEAR_CODE)).toBe(false);
      });
    },
  );
});
