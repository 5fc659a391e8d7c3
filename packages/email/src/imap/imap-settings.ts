import type { ImapFlowOptions } from 'imapflow';

/** One IMAP mailbox to watch. */
export interface ImapSettings {
  host: string;
  port: number;
  user: string;
  /** Password (or app password); or `accessToken` for SASL XOAUTH2. */
  password?: string | undefined;
  accessToken?: string | undefined;
  /** Implicit TLS (IMAPS), certificate verified. `false` = plain IMAP (STARTTLS if offered). */
  tls: boolean;
  mailbox: string;
  /** Extra CA certificate(s), PEM, for a server whose certificate a private CA signed. */
  caPem?: string | undefined;
  /** Re-issue IDLE this often (RFC 2177: servers may end an IDLE after 29 minutes). */
  idleRestartSeconds: number;
  /**
   * A connection silent this long gets a NOOP; if that goes unanswered for as long again
   * the connection counts as dead and is replaced. Default 90 s.
   */
  socketTimeoutSeconds?: number | undefined;
}

/** Names the account in cursor stores (hashed there) and never in logs. */
export function imapAccount(settings: ImapSettings): string {
  return `imap:${settings.user}@${settings.host}:${settings.port}/${settings.mailbox}`;
}

/**
 * imapflow options for the connector: TLS verified (with an optional private CA), IDLE started
 * the moment the connection is free (imapflow would wait 15 s), re-issued every
 * `idleRestartSeconds`, and a socket timeout that turns a silent peer into a reconnect.
 *
 * @example
 * const client = new ImapFlow(imapFlowOptions(settings));
 */
export function imapFlowOptions(settings: ImapSettings): ImapFlowOptions {
  return {
    host: settings.host,
    port: settings.port,
    secure: settings.tls,
    auth: settings.accessToken
      ? { user: settings.user, accessToken: settings.accessToken }
      : { user: settings.user, pass: settings.password ?? '' },
    tls: {
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      ...(settings.caPem ? { ca: [settings.caPem] } : {}),
    },
    // imapflow's own log lines can carry message data at debug level: keep them off.
    logger: false,
    autoIdleDelay: 0,
    maxIdleTime: settings.idleRestartSeconds * 1000,
    socketTimeout: (settings.socketTimeoutSeconds ?? 90) * 1000,
    connectionTimeout: 20_000,
    greetingTimeout: 15_000,
    disableCompression: false,
    clientInfo: { name: 'agent-otp' },
  };
}
