/**
 * The IMAP connector's overhead (issue 3): from the moment a real dovecot has accepted an
 * APPEND (which is what triggers its IDLE new-mail notification) to the moment a waiting
 * agent holds the decrypted code, over ~30 messages. Measured with the connector inside the
 * relay process (`agent-otp serve`) and standalone over HTTP (`agent-otp email:watch`).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningConnectors, runEmailWatch, silentLogger } from '@agent-otp/email';
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { ImapFlow } from 'imapflow';
import { openEmailRequest } from '../../packages/email/test/support/agent.js';
import { buildMessage, type DovecotServer, startDovecot } from '../../packages/email/test/support/dovecot.js';
import { call } from '../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../test-support/relay.js';

const MESSAGES = 30;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** One message: append, then wait as the agent (long-poll, consume, decrypt). */
async function measureOne(relay: TestRelay, mailer: ImapFlow, apiKey: string, n: number): Promise<number> {
  const domain = `bench-${n}-${Date.now()}.test`;
  const request = await openEmailRequest(relay, apiKey, `*@${domain}`);
  const code = String(10_000_000 + Math.floor(Math.random() * 89_999_999));
  const raw = buildMessage({
    from: `codes@${domain}`,
    subject: 'Your code',
    text: `Your verification code is ${code}`,
  });
  let appendedAt = 0;
  // A mail server's own APPEND client: the clock starts when dovecot says the mail is stored.
  const appended = mailer.append('INBOX', raw, []).then(() => {
    appendedAt = performance.now();
  });
  for (;;) {
    const status = await call(relay.url, `/api/v1/otp/${request.id}?wait=10`, { token: apiKey });
    if (status.body.status === 'otp_received') break;
    if (status.body.status !== 'approved') throw new Error(`request ended as ${status.body.status}`);
  }
  const consumed = await call(relay.url, `/api/v1/otp/${request.id}/consume`, {
    method: 'POST',
    token: apiKey,
  });
  const payload = await decryptOtpPayloadFor(consumed.body.encryptedPayload, request.privateKey, request.id);
  const heldAt = performance.now();
  await appended;
  if (payload.code !== code) throw new Error('the agent got the wrong code');
  return heldAt - appendedAt;
}

async function series(relay: TestRelay, dovecot: DovecotServer) {
  const { apiKey } = await relay.createAgent({ name: 'bench-agent' });
  const mailer = imapClient(dovecot);
  await mailer.connect();
  const latencies: number[] = [];
  try {
    await measureOne(relay, mailer, apiKey, -1); // warm-up: connection, JIT, first queries
    for (let n = 0; n < MESSAGES; n++) latencies.push(await measureOne(relay, mailer, apiKey, n));
  } finally {
    await mailer.logout();
  }
  latencies.sort((a, b) => a - b);
  return {
    messages: MESSAGES,
    p50Ms: round(percentile(latencies, 50)),
    p99Ms: round(percentile(latencies, 99)),
  };
}

const imapClient = (dovecot: DovecotServer) =>
  new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user: dovecot.user, pass: dovecot.password },
    logger: false,
    autoIdleDelay: 0,
  });

/**
 * The server's own part: APPEND accepted → the EXISTS push reaching a bare IDLE client.
 * Subtracted from the totals, it leaves what the connector and relay add.
 */
async function notificationBaseline(dovecot: DovecotServer) {
  const watcher = imapClient(dovecot);
  const mailer = imapClient(dovecot);
  await watcher.connect();
  await watcher.mailboxOpen('INBOX', { readOnly: true });
  await mailer.connect();
  let pushed: () => void = () => {};
  watcher.on('exists', () => pushed());
  const latencies: number[] = [];
  try {
    for (let n = 0; n < 15; n++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      const seen = new Promise<void>((resolve) => {
        pushed = resolve;
      });
      const raw = buildMessage({ from: 'noise@baseline.test', subject: 'baseline', text: 'nothing to see' });
      await mailer.append('INBOX', raw, []);
      const appendedAt = performance.now();
      await seen;
      latencies.push(performance.now() - appendedAt);
    }
  } finally {
    await watcher.logout();
    await mailer.logout();
  }
  latencies.sort((a, b) => a - b);
  return { p50Ms: round(percentile(latencies, 50)), p99Ms: round(percentile(latencies, 99)) };
}

export default async function bench(): Promise<Record<string, unknown>> {
  if (!existsSync('/usr/sbin/dovecot') || process.getuid?.() !== 0)
    return { skipped: 'needs dovecot (see .ci/install-services.sh) and root' };
  const dovecot = await startDovecot();
  const imapEnv = {
    IMAP_HOST: dovecot.host,
    IMAP_PORT: String(dovecot.port),
    IMAP_USER: dovecot.user,
    IMAP_PASSWORD: dovecot.password,
    IMAP_TLS: 'false',
  };
  try {
    const inServe = await startTestRelay('sqlite', { env: imapEnv });
    const serve = await series(inServe, dovecot).finally(() => inServe.stop());

    const relay = await startTestRelay('sqlite');
    const dataDir = mkdtempSync(join(tmpdir(), 'agent-otp-bench-watch-'));
    let watcher: RunningConnectors | undefined;
    try {
      const { token } = await relay.createSource('email');
      watcher = await runEmailWatch({
        url: relay.url,
        token,
        imap: {
          host: dovecot.host,
          port: dovecot.port,
          user: dovecot.user,
          password: dovecot.password,
          accessToken: undefined,
          tls: false,
          mailbox: 'INBOX',
          caFile: undefined,
          idleRestartSeconds: 600,
        },
        dataDir,
        lookbackSeconds: 120,
        logger: silentLogger,
      });
      const standalone = await series(relay, dovecot);
      const baseline = await notificationBaseline(dovecot);
      return {
        what: 'IMAP APPEND accepted by dovecot → agent holds the decrypted code (long-poll, consume, decrypt)',
        inServe: serve,
        emailWatchOverHttp: standalone,
        dovecotIdlePushOnly: baseline,
        connectorOverheadP50Ms: {
          inServe: round(serve.p50Ms - baseline.p50Ms),
          emailWatchOverHttp: round(standalone.p50Ms - baseline.p50Ms),
        },
      };
    } finally {
      await watcher?.stop();
      await relay.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  } finally {
    await dovecot.close();
  }
}
