import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

const PRIVATE_DIRECTORY = 0o700;
const PRIVATE_FILE = 0o600;

function tighten(path: string, mode: number): boolean {
  if ((statSync(path).mode & 0o777) === mode) return false;
  chmodSync(path, mode);
  return true;
}

/**
 * Makes the SQLite data directory 0700 and the database file 0600 before SQLite opens it,
 * so the codes' ciphertext, key hashes and audit trail are readable by the relay's user
 * only. SQLite gives the `-wal` and `-shm` files it creates the database file's mode, so
 * creating the file 0600 first covers them too; an existing install (made world-readable
 * by an older version or another umask) is tightened, and the paths changed are returned
 * so the caller can say so once.
 *
 * @example
 * const tightened = preparePrivateSqliteFiles('./data', './data/agent-otp.sqlite');
 * if (tightened.length > 0) logger.warn({ tightened }, 'made the data files private');
 */
export function preparePrivateSqliteFiles(dataDir: string, databaseFile: string): string[] {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIRECTORY });
  const tightened: string[] = [];
  if (tighten(dataDir, PRIVATE_DIRECTORY)) tightened.push(dataDir);
  // 'a' creates the file with the private mode when it is missing and never truncates it.
  closeSync(openSync(databaseFile, 'a', PRIVATE_FILE));
  for (const path of [databaseFile, `${databaseFile}-wal`, `${databaseFile}-shm`, `${databaseFile}-journal`])
    if (existsSync(path) && tighten(path, PRIVATE_FILE)) tightened.push(path);
  return tightened;
}
