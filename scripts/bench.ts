/**
 * `npm run bench [name…]`: runs every benchmark in scripts/bench/ (or those whose file name
 * contains one of the names); each file's default export returns its figures. Prints one
 * JSON document on stdout and writes it to bench-output/<time>.json so runs can be compared,
 * and prints the figure / baseline / ratio table of every benchmark that returns a `summary`
 * on stderr. Figures only; nothing here passes or fails, because the machines are shared and
 * noisy: compare ratios to baselines measured in the same run, not absolute numbers.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { formatSummary, isSummary } from './bench-support/summary.js';

const dir = fileURLToPath(new URL('./bench/', import.meta.url));
const outputDir = fileURLToPath(new URL('../bench-output/', import.meta.url));
const only = process.argv.slice(2);
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.ts'))
  .filter((f) => only.length === 0 || only.some((name) => f.includes(name)))
  .sort();

/** The commit measured, and whether the working tree differed from it. */
function revision(): { commit: string; uncommittedChanges: boolean } | string {
  try {
    const git = (args: string[]) =>
      execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const commit = git(['rev-parse', 'HEAD']).trim();
    const status = git(['status', '--porcelain', '--untracked-files=no']);
    return { commit, uncommittedChanges: status.trim().length > 0 };
  } catch {
    return 'unknown (not a git checkout)';
  }
}

const load = () => loadavg().map((value) => Math.round(value * 100) / 100);
const startedAt = new Date();
const machine = { node: process.version, cpus: cpus().length, loadAverageAtStart: load() };
const results: Record<string, unknown> = {};
for (const file of files) {
  const name = file.replace(/\.ts$/, '');
  process.stderr.write(`bench: ${name}…\n`);
  const module = (await import(pathToFileURL(`${dir}${file}`).href)) as { default: () => Promise<unknown> };
  const started = performance.now();
  try {
    results[name] = await module.default();
  } catch (error) {
    results[name] = { error: error instanceof Error ? error.message : String(error) };
  }
  process.stderr.write(`bench: ${name} took ${Math.round((performance.now() - started) / 1000)} s\n`);
}

const document = {
  startedAt: startedAt.toISOString(),
  revision: revision(),
  machine: { ...machine, loadAverageAtEnd: load() },
  results,
};
const json = `${JSON.stringify(document, null, 2)}\n`;
process.stdout.write(json);
mkdirSync(outputDir, { recursive: true });
const outputFile = `${outputDir}${startedAt.toISOString().replaceAll(':', '-')}.json`;
writeFileSync(outputFile, json);

for (const [name, figures] of Object.entries(results)) {
  const summary = (figures as { summary?: unknown } | null)?.summary;
  if (isSummary(summary) && summary.length > 0)
    process.stderr.write(`\n${name}\n${formatSummary(summary)}\n`);
}
process.stderr.write(
  `\nload average ${machine.loadAverageAtStart.join(' ')} → ${document.machine.loadAverageAtEnd.join(' ')} on ${machine.cpus} CPUs\nwritten to ${outputFile}\n`,
);
