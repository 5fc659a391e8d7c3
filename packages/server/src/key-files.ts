import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { ConfigError } from '@agent-otp/config';

/** The shortest key material a key file may hold (hex of 128 bits, or anything longer). */
const MIN_KEY_LENGTH = 32;

/**
 * Reads a key file (the audit key, the credential key), naming the variable `name` and the
 * path, never the key, when it cannot be used.
 *
 * @example
 * const material = readKeyFile('/srv/otp/data/audit.key', 'AUDIT_KEY_FILE');
 */
export function readKeyFile(path: string, name: string): string {
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

/**
 * Creates `path` with a fresh key (by default 256 random bits as hex; `material` makes
 * another kind), readable by this user only. If another process creates it at the same
 * moment, its file wins and both read the same key.
 *
 * @example
 * if (!existsSync(path)) createKeyFile(dataDir, path);
 */
export function createKeyFile(
  dataDir: string,
  path: string,
  material: () => string = () => randomBytes(32).toString('hex'),
): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  writeFileSync(temporary, `${material()}\n`, { mode: 0o600, flag: 'wx' });
  try {
    // link() fails if the name exists, so two processes starting at once agree on one key.
    linkSync(temporary, path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    unlinkSync(temporary);
  }
}
