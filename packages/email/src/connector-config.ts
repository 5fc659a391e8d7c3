import { readFileSync } from 'node:fs';
import type { GmailConfig, ImapConfig, ImapSettings } from '@agent-otp/shared';

/** The IMAP settings as configuration parses them from the environment (one declaration: mailbox-settings.ts). */
export type ImapConfigInput = ImapConfig;

/** Google's endpoints and the Gmail connector's OAuth client, as configuration parses them. */
export type GmailConfigInput = GmailConfig;

/** A setting that cannot be used as given; the message names the variable. */
export class ConnectorConfigError extends Error {
  override readonly name = 'ConnectorConfigError';
}

/**
 * Turns parsed configuration into watcher settings, reading IMAP_CA_FILE once. A file that
 * cannot be read or holds no certificate stops start-up with a message naming the variable.
 *
 * @example
 * const settings = imapSettingsFromConfig(config.email.imap);
 */
export function imapSettingsFromConfig(config: ImapConfigInput): ImapSettings {
  let caPem: string | undefined;
  if (config.caFile) {
    try {
      caPem = readFileSync(config.caFile, 'utf8');
    } catch (error) {
      throw new ConnectorConfigError(
        `IMAP_CA_FILE: cannot read ${config.caFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
    }
    if (!caPem.includes('-----BEGIN CERTIFICATE-----'))
      throw new ConnectorConfigError(`IMAP_CA_FILE: ${config.caFile} holds no PEM certificate`);
  }
  return {
    host: config.host,
    port: config.port,
    user: config.user,
    password: config.password,
    accessToken: config.accessToken,
    tls: config.tls,
    mailbox: config.mailbox,
    caPem,
    idleRestartSeconds: config.idleRestartSeconds,
  };
}
