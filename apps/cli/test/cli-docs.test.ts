// Issue 17, the CLI: docs/cli.md lists every command and every long option of each, read
// from the command tree itself, so a new command or flag cannot ship undocumented.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '../src/program.js';

const docs = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');

// Taken by most commands and explained once, above the table, rather than on every row.
const EXPLAINED_ONCE = ['--json', '--user', '--url', '--help'];

/** The table rows whose first cell names `command` in a code span (`pending [--json]`, `source:list`). */
function rowsOf(command: string): string[] {
  const named = new RegExp(`\`${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\\s\`]`);
  return docs
    .split('\n')
    .filter((line) => line.startsWith('| '))
    .filter((line) => named.test(line.split(' | ')[0] ?? ''));
}

describe('docs/cli.md', () => {
  const commands = buildProgram().commands;

  it('has a row for every command, naming each of its long options', () => {
    const missing: string[] = [];
    for (const command of commands) {
      const rows = rowsOf(command.name()).join('\n');
      if (!rows) {
        missing.push(command.name());
        continue;
      }
      for (const option of command.options) {
        if (!option.long || EXPLAINED_ONCE.includes(option.long)) continue;
        if (!new RegExp(`${option.long}(?![\\w-])`).test(rows))
          missing.push(`${command.name()} ${option.long}`);
      }
    }
    expect(missing).toEqual([]);
    expect(commands.length).toBeGreaterThan(30);
  });

  it('explains the options most commands share once, above the table', () => {
    const prose = docs.slice(0, docs.indexOf('\n| '));
    for (const option of EXPLAINED_ONCE) expect(prose).toMatch(new RegExp(`${option}(?![\\w-])`));
  });
});
