import { isIP } from 'node:net';
import { ImapFlow } from 'imapflow';
import type { TlsMode } from './network-steps.js';
import { StepFailure, type StepOutcome, seconds, serverWords, withinDeadline } from './step-outcome.js';

interface ImapLoginInput {
  host: string;
  /** The address the TCP step reached: the login connects there, not to a fresh DNS answer. */
  address: string;
  port: number;
  tls: TlsMode;
  login: string;
  password: string;
  caPem: string | undefined;
  timeoutMs: number;
  /** The provider's words on which password IMAP accepts (from the preset), added to a refused login. */
  passwordHint: string | undefined;
}

/**
 * Login: the same TLS settings as the connector (verified, optional private CA), so a test
 * that passes means the connector will log in too. The client is handed to the folder step.
 */
export async function logIn(input: ImapLoginInput): Promise<StepOutcome<ImapFlow>> {
  const { host, port, tls, login, timeoutMs } = input;
  const client = new ImapFlow({
    host: input.address,
    // The certificate is still checked for the name the owner typed.
    ...(isIP(host) ? {} : { servername: host }),
    port,
    secure: tls === 'implicit',
    ...(tls === 'starttls' ? { doSTARTTLS: true } : tls === 'none' ? { doSTARTTLS: false } : {}),
    auth: { user: login, pass: input.password },
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(input.caPem ? { ca: [input.caPem] } : {}),
    },
    // imapflow's log lines can carry protocol data: keep them off.
    logger: false,
    disableAutoIdle: true,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    clientInfo: { name: 'agent-otp' },
  });
  // A late socket error after the step decided is not this test's result.
  client.on('error', () => {});
  try {
    await withinDeadline(
      timeoutMs,
      `${host}:${port} did not finish the login within ${seconds(timeoutMs)}: the server is slow or throttling logins; try again in a minute.`,
      () => client.connect(),
      () => client.close(),
    );
    return { ok: true, message: `Logged in as ${login}.`, value: client };
  } catch (error) {
    client.close();
    if (error instanceof StepFailure) return { ok: false, message: error.message };
    return { ok: false, message: loginFailure(error, input) };
  }
}

function loginFailure(error: unknown, input: ImapLoginInput): string {
  const failure = error as {
    authenticationFailed?: boolean;
    responseText?: string;
    code?: string;
    message?: string;
  };
  if (failure.authenticationFailed) {
    const said = serverWords(failure.responseText);
    const hint =
      input.passwordHint ??
      'Many providers refuse the account password over IMAP and need an app password instead.';
    return `The server refused the login for ${input.login}: check the login and the password${said ? ` (the server said: ${said})` : ''}. ${hint}`;
  }
  const said = serverWords(failure.responseText ?? failure.message);
  return `Logging in to ${input.host}:${input.port} as ${input.login} failed${failure.code ? ` (${failure.code})` : ''}${said ? `: ${said}` : ''}.`;
}

/** Folder: opened read-only (EXAMINE), so the test changes no flag and marks nothing seen. */
export async function examineFolder(
  client: ImapFlow,
  folder: string,
  login: string,
  timeoutMs: number,
): Promise<StepOutcome<number>> {
  try {
    const opened = await withinDeadline(
      timeoutMs,
      `Opening the folder "${folder}" took longer than ${seconds(timeoutMs)}.`,
      () => client.mailboxOpen(folder, { readOnly: true }),
      () => client.close(),
    );
    return {
      ok: true,
      message: `The folder "${opened.path}" holds ${opened.exists} message${opened.exists === 1 ? '' : 's'} (opened read-only).`,
      value: opened.exists,
    };
  } catch (error) {
    if (error instanceof StepFailure) return { ok: false, message: error.message };
    const failure = error as { serverResponseCode?: string; responseText?: string };
    const said = serverWords(failure.responseText);
    if (failure.serverResponseCode === 'NONEXISTENT' || /exist|not found|unknown mailbox/i.test(said)) {
      const names = await folderNames(client, timeoutMs);
      return {
        ok: false,
        message: `The folder "${folder}" does not exist for ${login}${names ? `; the account has: ${names}` : ''}. Check the folder name (usually INBOX).`,
      };
    }
    return {
      ok: false,
      message: `The server refused to open the folder "${folder}"${said ? `: ${said}` : ''}.`,
    };
  }
}

/** Up to 20 folder names, to show next to a missing one; none if listing fails too. */
async function folderNames(client: ImapFlow, timeoutMs: number): Promise<string> {
  try {
    const folders = await withinDeadline(
      timeoutMs,
      'listing folders timed out',
      () => client.list(),
      () => {},
    );
    const names = folders.slice(0, 20).map((entry) => entry.path);
    return `${names.join(', ')}${folders.length > 20 ? ', ...' : ''}`;
  } catch {
    // The missing folder is the finding; a failed listing only leaves the suggestion out.
    return '';
  }
}
