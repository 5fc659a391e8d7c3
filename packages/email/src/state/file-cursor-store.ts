import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { accountKey } from './account-key.js';
import type { ConnectorCursor, CursorStore } from './cursor-store.js';

type CursorFile = Record<string, ConnectorCursor>;

async function readCursorFile(path: string): Promise<CursorFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as CursorFile) : {};
  } catch {
    // A torn or hand-edited file only costs a look-back, not a crash.
    return {};
  }
}

/**
 * The standalone connector's store: one JSON file (mode 0600, accounts keyed by hash so it
 * holds no address), written atomically through a temporary file.
 *
 * @example
 * const store = fileCursorStore(join(dataDir, 'email-watch-state.json'));
 */
export function fileCursorStore(path: string): CursorStore {
  let writing: Promise<void> = Promise.resolve();
  return {
    async load(account) {
      return (await readCursorFile(path))[accountKey(account)];
    },
    save(account, cursor) {
      const next = writing.then(async () => {
        const cursors = await readCursorFile(path);
        cursors[accountKey(account)] = cursor;
        await mkdir(dirname(path), { recursive: true, mode: 0o700 });
        const temporary = `${path}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(cursors, null, 2)}\n`, { mode: 0o600 });
        await chmod(temporary, 0o600);
        await rename(temporary, path);
      });
      // One failed write must not wedge every later one.
      writing = next.catch(() => undefined);
      return next;
    },
  };
}
