import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from '@agent-otp/config';
import {
  type AuditKey,
  auditKeyFrom,
  type DatabaseHandle,
  readAuditManifest,
  sealAuditLog,
} from '@agent-otp/db';
import { createKeyFile, readKeyFile } from './key-files.js';
import type { Logger } from './logger.js';

/** The key material and where it came from (named in errors, never the key itself). */
async function resolveKeyMaterial(
  config: Config,
  database: DatabaseHandle,
): Promise<{ material: string; source: string }> {
  if (config.audit.key) return { material: config.audit.key, source: 'AUDIT_KEY' };
  if (config.audit.keyFile)
    return {
      material: readKeyFile(config.audit.keyFile, 'AUDIT_KEY_FILE'),
      source: `AUDIT_KEY_FILE (${config.audit.keyFile})`,
    };
  const path = join(config.dataDir, 'audit.key');
  const source = `the audit key file ${path} (no AUDIT_KEY or AUDIT_KEY_FILE set)`;
  if (!existsSync(path)) {
    // A fresh key for a log someone already sealed would only fail later, with a vaguer message.
    const manifest = await readAuditManifest(database.db);
    if (manifest?.signature)
      throw new ConfigError(
        `the audit key file ${path} is missing, but this database's audit log is sealed with a key (id ${manifest.key_id}): restore that file, or set AUDIT_KEY or AUDIT_KEY_FILE to the key every instance uses`,
      );
    createKeyFile(config.dataDir, path);
  }
  return { material: readKeyFile(path, 'DATA_DIR/audit.key'), source };
}

/**
 * Loads the audit key (AUDIT_KEY, AUDIT_KEY_FILE, or DATA_DIR/audit.key, created 0600 with
 * 256 random bits on a fresh install) and seals the database's audit log with it. A
 * database written before keying is adopted: its rows get signed checkpoints. Refuses to
 * start with a key other than the one the log was sealed with, since every event this
 * process wrote would then break the chain.
 *
 * @example
 * const auditKey = await openAuditKey(config, database, logger);
 */
export async function openAuditKey(
  config: Config,
  database: DatabaseHandle,
  logger: Pick<Logger, 'error' | 'warn'>,
): Promise<AuditKey> {
  const { material, source } = await resolveKeyMaterial(config, database);
  const key = auditKeyFrom(material);
  const outcome = await sealAuditLog(database, key);
  if (outcome.status === 'other-key')
    throw new ConfigError(
      `${source}: the audit key does not match the key this database's audit log was sealed with (key id ${outcome.keyId}, this key ${key.id}); every process sharing the database needs the same AUDIT_KEY or AUDIT_KEY_FILE`,
    );
  if (outcome.status === 'missing')
    logger.error(
      'the signed audit manifest is missing from the database: the audit log was tampered with (agent-otp audit:verify)',
    );
  if (outcome.status === 'adopted' && outcome.events > 0)
    logger.warn(
      { chains: outcome.chains, events: outcome.events },
      'audit log sealed with the audit key: events written before keying are now covered by signed checkpoints',
    );
  return key;
}
