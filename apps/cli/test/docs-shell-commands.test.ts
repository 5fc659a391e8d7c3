// Issue 17 (newcomer papercut): docs told readers to run `agent-otp …`, which a fresh clone
// does not have on its PATH ("command not found"); the command is `npx agent-otp …` there.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Code-block languages whose lines a reader pastes into a shell. */
const SHELL_LANGUAGES = new Set(['bash', 'sh', 'shell', 'zsh', 'console']);

/**
 * `agent-otp` as the command of a shell line: at its start (after an optional `$ ` prompt) or
 * after `&&`, `||`, `;`, `|` or `$(`. `sudo -u agent-otp`, `npx agent-otp` and the service
 * user in a crontab line do not match.
 */
const BARE_COMMAND = /(?:^|&&|\|\||;|\||\$\()\s*(?:\$\s+)?agent-otp(?:\s|$)/;

/** README.md, every Markdown file under docs/ and every package README: what users read. */
function userDocs(): string[] {
  const docs = readdirSync(join(repoRoot, 'docs'), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md') && !path.split(/[\\/]/).some((part) => part.startsWith('.')))
    .map((path) => join(repoRoot, 'docs', path));
  const packages = readdirSync(join(repoRoot, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => join(repoRoot, 'packages', entry.name, 'README.md'))
    .filter((path) => {
      try {
        readFileSync(path);
        return true;
      } catch {
        return false;
      }
    });
  return [join(repoRoot, 'README.md'), ...docs, ...packages];
}

/**
 * Every shell-block line that runs a bare `agent-otp`, as `file:line: text`.
 *
 * @example
 * bareCommands('a.md', '```sh\nagent-otp serve\n```'); // ['a.md:2: agent-otp serve']
 */
export function bareCommands(name: string, markdown: string): string[] {
  const found: string[] = [];
  let fence: { marker: string; shell: boolean } | undefined;
  markdown.split('\n').forEach((line, index) => {
    const opening = /^\s*(`{3,}|~{3,})\s*([\w+-]*)/.exec(line);
    if (opening?.[1]) {
      if (!fence)
        fence = { marker: opening[1], shell: SHELL_LANGUAGES.has((opening[2] ?? '').toLowerCase()) };
      else if (line.trim().startsWith(fence.marker)) fence = undefined;
      return;
    }
    // A comment is not run, but a command in it is still one a reader may copy.
    const code = line.replace(/^(\s*)#\s*/, '$1');
    if (fence?.shell && (BARE_COMMAND.test(code) || /#\s*(?:or:?\s+)?agent-otp\s/.test(line))) {
      found.push(`${name}:${index + 1}: ${line.trim()}`);
    }
  });
  return found;
}

describe('shell examples in the docs', () => {
  it('finds a bare agent-otp command, and lets npx agent-otp, sudo -u agent-otp and prose pass', () => {
    const sample = [
      'Run `agent-otp serve` (prose is not a shell line).',
      '```bash',
      'npx agent-otp serve',
      'sudo -u agent-otp npx agent-otp backup /tmp/b.sqlite',
      'agent-otp pending',
      '$ agent-otp approve otp_1',
      'cd /opt/agent-otp && agent-otp serve',
      'npx agent-otp serve   # or: agent-otp email:watch',
      '```',
      '```',
      '   agent-otp approve otp_…   (a diagram, not a shell block)',
      '```',
    ].join('\n');
    expect(bareCommands('sample.md', sample)).toEqual([
      'sample.md:5: agent-otp pending',
      'sample.md:6: $ agent-otp approve otp_1',
      'sample.md:7: cd /opt/agent-otp && agent-otp serve',
      'sample.md:8: npx agent-otp serve   # or: agent-otp email:watch',
    ]);
  });

  it('never run a bare agent-otp (a fresh clone has only npx agent-otp)', () => {
    const files = userDocs();
    expect(files.length).toBeGreaterThan(10);
    const found = files.flatMap((file) => bareCommands(relative(repoRoot, file), readFileSync(file, 'utf8')));
    expect(found).toEqual([]);
  });
});
