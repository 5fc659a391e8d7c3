import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from '@agent-otp/config';
import { createSecretBox, type SecretBox } from '@agent-otp/db';

/** What mailbox credentials are sealed for; a box with another purpose cannot open them. */
export const MAILBOX_CREDENTIAL_PURPOSE = 'mailbox credential';
const MIN_KEY_LENGTH = 32;

/** The default key file: DATA_DIR/credential.key. */
export function defaultCredentialKeyPath(dataDir: string): string {
  return join(dataDir, 'credential.key');
}

/** Reads a key file, naming the variable (never the key) when it cannot be used. */
export function readCredentialKeyFile(path: string, name: string): string {
  let material: string;
  try {
    material = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  if (material.length < MIN_KEY_LENGTH)
    throw new ConfigError(`${name}: ${path} must hold at least ${MIN_KEY_LENGTH} characters of key`);
  return material;
}

/** Writes 256 random bits, hex, to a new file readable by this user only; an existing file wins. */
export function createCredentialKeyFile(dataDir: string, path: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // link() fails if the name exists, so two processes creating it at once agree on one key.
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
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
  if (config.credentials.keyFile)
    return readCredentialKeyFile(config.credentials.keyFile, 'CREDENTIAL_KEY_FILE');
  const path = defaultCredentialKeyPath(config.dataDir);
  if (!existsSync(path)) createCredentialKeyFile(config.dataDir, path);
  return readCredentialKeyFile(path, 'DATA_DIR/credential.key');
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
