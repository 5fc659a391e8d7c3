/**
 * `npm run bench`: runs every benchmark in scripts/bench/ (each file's default export
 * returns its figures) and prints one JSON document. Figures only; nothing here passes or
 * fails, because the machines are shared and noisy.
 */
import { readdirSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = fileURLToPath(new URL('./bench/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

const results: Record<string, unknown> = {};
for (const file of files) {
  const name = file.replace(/\.ts$/, '');
  process.stderr.write(`bench: ${name}…\n`);
  const module = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: () => Promise<unknown> };
  try {
    results[name] = await module.default();
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
}
process.stdout.write(
  `${JSON.stringify({ machine: { node: process.version, cpus: (await import('node:os')).cpus().length }, results }, null, 2)}\n`,
);
