import { isIP } from 'node:net';
import type { ImapSettings } from '@agent-otp/shared';
import type { ImapFlowOptions } from 'imapflow';

/** Names the account in cursor stores (hashed there) and never in logs. */
export function imapAccount(settings: ImapSettings): string {
  return `imap:${settings.user}@${settings.host}:${settings.port}/${settings.mailbox}`;
}

/**
 * imapflow options for the connector: TLS verified (with an optional private CA), IDLE started
 * the moment the connection is free (imapflow would wait 15 s), re-issued every
 * `idleRestartSeconds`, and a socket timeout that turns a silent peer into a reconnect.
 * `address`, when given, is where to connect instead of resolving `host` again.
 *
 * @example
 * const client = new ImapFlow(imapFlowOptions(settings));
 */
export function imapFlowOptions(settings: ImapSettings, address?: string): ImapFlowOptions {
  return {
    // A checked address (owners' mailboxes): connect there, and still verify the certificate
    // (and send SNI) for the name the owner typed.
    host: address ?? settings.host,
    ...(address !== undefined && !isIP(settings.host) ? { servername: settings.host } : {}),
    port: settings.port,
    secure: settings.tls,
    ...(settings.startTls !== undefined && !settings.tls ? { doSTARTTLS: settings.startTls } : {}),
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
