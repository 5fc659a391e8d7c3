import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The file `agent-otp email:gmail-auth` writes in DATA_DIR. */
export const GMAIL_TOKEN_FILE = 'gmail-token.json';

export interface StoredGmailToken {
  clientId: string;
  refreshToken: string;
  scope: string;
  createdAt: string;
}

/**
 * Stores the refresh token readable by its owner only (0600, in a 0700 directory).
 *
 * @example
 * const path = await writeGmailToken(dataDir, { clientId, refreshToken, scope, createdAt });
 */
export async function writeGmailToken(dataDir: string, token: StoredGmailToken): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const path = join(dataDir, GMAIL_TOKEN_FILE);
  await writeFile(path, `${JSON.stringify(token, null, 2)}\n`, { mode: 0o600 });
  // writeFile's mode only applies when it creates the file; an older file keeps its mode.
  await chmod(path, 0o600);
  return path;
}

/**
 * The stored refresh token for this client id, or undefined when none was stored (or it was
 * made for another OAuth client, which Google would refuse anyway).
 *
 * @example
 * const token = await readGmailToken(dataDir, clientId);
 */
export async function readGmailToken(dataDir: string, clientId: string): Promise<string | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, GMAIL_TOKEN_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<StoredGmailToken>;
  if (parsed.clientId !== clientId || typeof parsed.refreshToken !== 'string') return undefined;
  return parsed.refreshToken;
}
