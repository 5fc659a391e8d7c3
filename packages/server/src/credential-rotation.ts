import { randomBytes } from 'node:crypto';
import { existsSync, renameSync, writeFileSync } from 'node:fs';
import { type Config, ConfigError } from '@agent-otp/config';
import { mailboxCredentialBinding } from '@agent-otp/core';
import {
  type DatabaseHandle,
  listSealedMailboxCredentials,
  SecretBoxError,
  setSealedMailboxCredential,
  withTransaction,
} from '@agent-otp/db';
import { credentialKeySource, loadCredentialKeyMaterial, mailboxCredentialBox } from './credential-key.js';
import { readKeyFile } from './key-files.js';

export interface CredentialRotation {
  /** Mailbox credentials re-sealed under the new key. */
  resealed: number;
  /** The default key file now holding the new key (when the relay manages the file). */
  keyFile?: string;
  /** Where the old key was kept (when the relay manages the file). */
  previousKeyFile?: string;
}

/**
 * Re-seals every mailbox credential under a new credential key, in one transaction: either
 * every credential opens with the new key afterwards or nothing changed. With the default
 * key file the relay makes the new key itself: it is written to `credential.key.next`
 * before the transaction commits (so a crash leaves it recoverable), then the old file
 * becomes `credential.key.previous-<time>` and the new one `credential.key`. With
 * CREDENTIAL_KEY or CREDENTIAL_KEY_FILE the operator brings the new key (`newKeyFile`) and
 * then points every instance at it.
 *
 * @example
 * const { resealed } = await rotateCredentialKey(config, database);
 */
export async function rotateCredentialKey(
  config: Config,
  database: DatabaseHandle,
  options: { newKeyFile?: string | undefined; now?: Date } = {},
): Promise<CredentialRotation> {
  const source = credentialKeySource(config);
  const oldBox = mailboxCredentialBox(loadCredentialKeyMaterial(config));
  let newMaterial: string;
  if (options.newKeyFile) newMaterial = readKeyFile(options.newKeyFile, '--new-key-file');
  else if (source.defaultFile) newMaterial = randomBytes(32).toString('hex');
  else
    throw new ConfigError(
      `the credential key comes from ${source.description}: put the new key in a file and pass --new-key-file PATH, then set CREDENTIAL_KEY or CREDENTIAL_KEY_FILE to it on every instance`,
    );
  const newBox = mailboxCredentialBox(newMaterial);
  const nextFile = source.defaultFile && !options.newKeyFile ? `${source.defaultFile}.next` : undefined;
  if (nextFile) writeFileSync(nextFile, `${newMaterial}\n`, { mode: 0o600 });

  const resealed = await withTransaction(database, async (tx) => {
    const rows = await listSealedMailboxCredentials(tx);
    let count = 0;
    for (const row of rows) {
      if (row.credential === null) continue;
      const binding = mailboxCredentialBinding(row.id);
      let plaintext: string;
      try {
        plaintext = oldBox.open(row.credential, binding);
      } catch (error) {
        if (!(error instanceof SecretBoxError)) throw error;
        throw new ConfigError(
          `mailbox ${row.id}: its credential does not open with the current key (${source.description}); nothing was changed`,
        );
      }
      await setSealedMailboxCredential(tx, row.id, newBox.seal(plaintext, binding));
      count += 1;
    }
    return count;
  });

  if (!nextFile || !source.defaultFile) return { resealed };
  const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, '-');
  const previousKeyFile = `${source.defaultFile}.previous-${stamp}`;
  if (existsSync(source.defaultFile)) renameSync(source.defaultFile, previousKeyFile);
  renameSync(nextFile, source.defaultFile);
  return { resealed, keyFile: source.defaultFile, previousKeyFile };
}
