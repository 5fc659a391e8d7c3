// Issue 9 item 15: text from a mailbox that no database can store. A sender holding NUL is
// skipped with a warning (never matched, never forwarded), a subject with NUL is cleaned, and
// the connector keeps running either way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type MailLogger, type RunningConnectors, runEmailWatch } from '@agent-otp/email';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { openEmailRequest, waitForCode } from './support/agent.js';
import { buildMessage } from './support/build-message.js';
import { type FakeGoogle, startFakeGoogle } from './support/fake-google.js';

describeEachDialect('mail with NUL bytes (issue 9 item 15)', (dialect) => {
  let google: FakeGoogle;
  let relay: TestRelay;
  let apiKey: string;
  let dataDir: string;
  let connector: RunningConnectors;
  const warnings: string[] = [];
  const logger: MailLogger = {
    debug() {},
    info() {},
    warn: (_details, message) => warnings.push(message),
    error: (_details, message) => warnings.push(message),
  };

  beforeAll(async () => {
    google = await startFakeGoogle();
    relay = await startTestRelay(dialect);
    ({ apiKey } = await relay.createAgent({ name: 'nul-agent' }));
    const { token } = await relay.createSource('email');
    dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-nul-'));
    connector = await runEmailWatch({
      url: relay.url,
      token,
      gmail: {
        clientId: google.clientId,
        clientSecret: google.clientSecret,
        refreshToken: google.refreshToken,
        apiRoot: google.gmailUrl,
        tokenUrl: google.tokenUrl,
        pollSeconds: 0.2,
      },
      dataDir,
      lookbackSeconds: 120,
      logger,
    });
  });
  afterAll(async () => {
    await connector?.stop();
    await relay?.stop();
    await google?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('skips a message whose sender holds a NUL, with a warning, and serves the next one', async () => {
    const request = await openEmailRequest(relay, apiKey, '*@nul-sender.test');
    google.addMessage(
      buildMessage({
        from: 'Bank\u0000 <alerts@nul-sender.test>',
        subject: 'Security code',
        text: 'Your verification code is 111111',
      }),
    );
    await eventually(async () => warnings.some((w) => w.includes('sender is not valid text')), 15_000);
    google.addMessage(
      buildMessage({
        from: 'Bank <alerts@nul-sender.test>',
        subject: 'Security code',
        text: 'Your verification code is 222222',
      }),
    );
    expect(await waitForCode(relay, request)).toBe('222222');
  });

  it('delivers the code of a message whose subject holds a NUL', async () => {
    const request = await openEmailRequest(relay, apiKey, '*@nul-subject.test');
    google.addMessage(
      buildMessage({
        from: 'codes@nul-subject.test',
        subject: 'Your\u0000 code',
        text: 'Your verification code is 333333',
      }),
    );
    expect(await waitForCode(relay, request)).toBe('333333');
  });
});
