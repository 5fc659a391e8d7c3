import { type MailboxTestResult, type MailboxTestStep, mailboxPreset } from '@agent-otp/shared';
import { privateAddressRefusal } from '../imap/mailbox-address-guard.js';
import { examineFolder, logIn } from './imap-steps.js';
import { checkTls, connectTcp, resolveHost, type TlsMode } from './network-steps.js';
import type { StepOutcome } from './step-outcome.js';

/** The IMAP settings a test needs: those an owner types in the dashboard (no secret among them). */
export interface ImapTestSettings {
  host: string;
  port: number;
  tls: TlsMode;
  login: string;
  /** Default INBOX. */
  folder?: string | undefined;
  /** A preset id: a refused login then quotes that provider's app-password hint. */
  preset?: string | undefined;
}

export interface ImapTestOptions {
  /** Budget of each step; default 10 s. A login to a provider can take several seconds. */
  timeoutMs?: number;
  /** Extra CA certificate (PEM) to trust, as the connector trusts IMAP_CA_FILE. */
  caPem?: string | undefined;
  /**
   * Allow a host that is, or resolves to, a private, loopback or link-local address
   * (MAILBOX_ALLOW_PRIVATE). Off by default: an owner's test must not probe the relay's network.
   */
  allowPrivate?: boolean | undefined;
}

/**
 * Tests IMAP settings step by step (DNS, TCP, TLS, login, folder), each bounded in time, and
 * stops at the first failure with a message that says what to change. A host that resolves to
 * a private address fails the DNS step unless `allowPrivate`; later steps connect to the
 * address checked there, never to a fresh DNS answer. Never throws for a
 * server's answer; the password appears in no message.
 *
 * @example
 * const result = await testImapConnection(
 *   { host: 'imap.gmail.com', port: 993, tls: 'implicit', login: 'me@gmail.com', preset: 'gmail' },
 *   appPassword,
 * );
 * if (!result.ok) console.log(result.message);
 */
export async function testImapConnection(
  settings: ImapTestSettings,
  password: string,
  options: ImapTestOptions = {},
): Promise<MailboxTestResult> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  const folder = settings.folder ?? 'INBOX';
  const steps: MailboxTestStep[] = [];
  const run = async <T>(step: MailboxTestStep['step'], work: () => Promise<StepOutcome<T>>) => {
    const started = performance.now();
    const outcome = await work();
    steps.push({
      step,
      ok: outcome.ok,
      ms: Math.round(performance.now() - started),
      message: outcome.message,
    });
    return outcome;
  };
  const failed = (message: string): MailboxTestResult => ({ ok: false, steps, message });

  const dns = await run('dns', async () => {
    const resolved = await resolveHost(settings.host, timeoutMs);
    const refusal =
      resolved.ok && !options.allowPrivate ? privateAddressRefusal(settings.host, resolved.value) : undefined;
    return refusal ? { ok: false, message: `${refusal}.` } : resolved;
  });
  if (!dns.ok) return failed(dns.message);
  const tcp = await run('tcp', () => connectTcp(settings.host, dns.value, settings.port, timeoutMs));
  if (!tcp.ok) return failed(tcp.message);
  const tls = await run('tls', () =>
    checkTls({
      host: settings.host,
      address: tcp.value,
      port: settings.port,
      tls: settings.tls,
      caPem: options.caPem,
      timeoutMs,
    }),
  );
  if (!tls.ok) return failed(tls.message);
  const login = await run('login', () =>
    logIn({
      host: settings.host,
      address: tcp.value,
      port: settings.port,
      tls: settings.tls,
      login: settings.login,
      password,
      caPem: options.caPem,
      timeoutMs,
      passwordHint: mailboxPreset(settings.preset)?.passwordHint,
    }),
  );
  if (!login.ok) return failed(login.message);
  const client = login.value;
  try {
    const opened = await run('folder', () => examineFolder(client, folder, settings.login, timeoutMs));
    if (!opened.ok) return failed(opened.message);
  } finally {
    // A polite LOGOUT; if the server is already gone, closing the socket is all that is left.
    await client.logout().catch(() => client.close());
  }
  return {
    ok: true,
    steps,
    message: `${settings.login} on ${settings.host}:${settings.port} works: logged in and opened "${folder}" read-only.`,
  };
}
