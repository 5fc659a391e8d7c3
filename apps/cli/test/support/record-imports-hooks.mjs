// Module hooks for record-imports.mjs; they run on the loader's own thread.
import { appendFileSync } from 'node:fs';

export async function load(url, context, nextLoad) {
  if (process.env.RECORD_IMPORTS_FILE) appendFileSync(process.env.RECORD_IMPORTS_FILE, `${url}\n`);
  return nextLoad(url, context);
}
