import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { prepareDovecotDir } from './dovecot-config.js';
import { DOVECOT_BINARY, DovecotProcess } from './dovecot-process.js';
import { startExitWatchdog } from './exit-watchdog.js';
import { freePorts } from './free-port.js';
import { appendRaw, readFlags } from './imap-admin.js';

export { buildMessage, type MessageSpec } from './build-message.js';

export interface DovecotServer {
  host: '127.0.0.1';
  /** Plain IMAP, no STARTTLS offered. */
  port: number;
  /** Implicit TLS (IMAPS) with a per-run self-signed certificate: rejected unless `caPem` is trusted. */
  tlsPort: number;
  caPem: string;
  user: string;
  password: string;
  /** APPENDs over a separate connection, without \Seen; resolves to the new UID. */
  appendMessage(raw: string | Buffer, mailbox?: string): Promise<number>;
  /** Sorted flags of one message, read without side effects (EXAMINE); `\Recent` is server session state and may appear. */
  flags(uid: number, mailbox?: string): Promise<string[]>;
  /** Kills dovecot: every connection drops. Mail stays. */
  stop(): Promise<void>;
  /** Starts again on the same ports with the same mail (UIDVALIDITY unchanged). */
  start(): Promise<void>;
  restart(): Promise<void>;
  /** Stops and deletes the temp directory. */
  close(): Promise<void>;
}

/** Dovecot is installed where Debian puts it (see .ci/install-services.sh). */
export function dovecotAvailable(): boolean {
  return existsSync(DOVECOT_BINARY);
}

/**
 * Starts a private dovecot (IMAP + IMAPS on free loopback ports, one user, maildir in a temp dir).
 * Needs root: dovecot drops privileges to its own users, which only root can do.
 *
 * @example
 * const server = await startDovecot();
 * const uid = await server.appendMessage(buildMessage({ from: 'a@b.example', subject: 'Hi', text: 'Code 123456' }));
 * await server.close();
 */
export async function startDovecot(): Promise<DovecotServer> {
  if (process.getuid?.() !== 0)
    throw new Error('startDovecot needs root (dovecot switches to its own users)');
  const [port, tlsPort] = await freePorts(2);
  if (port === undefined || tlsPort === undefined) throw new Error('could not bind two loopback ports');
  const settings = {
    port,
    tlsPort,
    user: 'owner',
    // Random, so a scan for it in a database dump or the logs cannot match a column name.
    password: `pw-${randomBytes(9).toString('base64url')}`,
  };
  const layout = prepareDovecotDir(settings);
  const watchdog = startExitWatchdog(layout.dir);
  const dovecot = new DovecotProcess(layout, settings);
  try {
    await dovecot.start();
  } catch (error) {
    rmSync(layout.dir, { recursive: true, force: true });
    watchdog.dismiss();
    throw error;
  }

  return {
    host: '127.0.0.1',
    port: settings.port,
    tlsPort: settings.tlsPort,
    caPem: layout.caPem,
    user: settings.user,
    password: settings.password,
    appendMessage: (raw, mailbox = 'INBOX') => appendRaw(settings, raw, mailbox),
    flags: (uid, mailbox = 'INBOX') => readFlags(settings, uid, mailbox),
    stop: () => dovecot.stop(),
    start: () => dovecot.start(),
    restart: async () => {
      await dovecot.stop();
      await dovecot.start();
    },
    close: async () => {
      await dovecot.stop();
      rmSync(layout.dir, { recursive: true, force: true });
      watchdog.dismiss();
    },
  };
}
