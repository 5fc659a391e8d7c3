import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '@agent-otp/config';
import { createSecretBox, type SecretBox } from '@agent-otp/db';
import { createKeyFile, readKeyFile } from './key-files.js';

/** What mailbox credentials are sealed for; a box with another purpose cannot open them. */
export const MAILBOX_CREDENTIAL_PURPOSE = 'mailbox credential';

/** The default key file: DATA_DIR/credential.key. */
export function defaultCredentialKeyPath(dataDir: string): string {
  return join(dataDir, 'credential.key');
}

/** Where the credential key comes from, as error messages name it. */
export interface CredentialKeySource {
  /** CREDENTIAL_KEY, CREDENTIAL_KEY_FILE (path), or the default file. */
  description: string;
  /** The default file's path when neither variable is set (the only case the relay may create or rotate it). */
  defaultFile?: string;
}

/** Which key the configuration names, without reading it. */
export function credentialKeySource(config: Config): CredentialKeySource {
  if (config.credentials.key) return { description: 'CREDENTIAL_KEY' };
  if (config.credentials.keyFile)
    return { description: `CREDENTIAL_KEY_FILE (${config.credentials.keyFile})` };
  const path = defaultCredentialKeyPath(config.dataDir);
  return {
    description: `the credential key file ${path} (no CREDENTIAL_KEY or CREDENTIAL_KEY_FILE set)`,
    defaultFile: path,
  };
}

/** The configured key material; the default file is created (0600, 256 random bits) when missing. */
export function loadCredentialKeyMaterial(config: Config): string {
  if (config.credentials.key) return config.credentials.key;
  if (config.credentials.keyFile) return readKeyFile(config.credentials.keyFile, 'CREDENTIAL_KEY_FILE');
  const path = defaultCredentialKeyPath(config.dataDir);
  if (!existsSync(path)) createKeyFile(config.dataDir, path);
  return readKeyFile(path, 'DATA_DIR/credential.key');
}

/** A secret box for mailbox credentials under the given key material. */
export function mailboxCredentialBox(material: string): SecretBox {
  return createSecretBox(Buffer.from(material, 'utf8'), MAILBOX_CREDENTIAL_PURPOSE);
}

/**
 * The box that seals and opens mailbox credentials, reading (or creating) the credential key
 * on first use only: a relay whose owners connect no mailbox never creates the file. Kept
 * apart from the audit key so either can be rotated without the other.
 *
 * @example
 * const box = lazyCredentialBox(config);
 * const sealed = box.seal(password, `mailboxes:${id}`);
 */
export function lazyCredentialBox(config: Config): SecretBox {
  let box: SecretBox | undefined;
  const opened = () => {
    box ??= mailboxCredentialBox(loadCredentialKeyMaterial(config));
    return box;
  };
  return {
    seal: (plaintext, binding) => opened().seal(plaintext, binding),
    open: (sealed, binding) => opened().open(sealed, binding),
  };
}
