// Issue 17, the CLI: `agent-otp completion bash|zsh|fish` prints a script generated from the
// command tree; the bash one really completes in bash.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { COMPLETION_SHELLS } from '../src/completion-scripts.js';
import { EXIT } from '../src/exit-codes.js';
import { buildProgram } from '../src/program.js';

const run = promisify(execFile);

// Sources the script as ~/.bashrc would, then asks its function what it offers at the end of LINE.
const COMPLETE_LINE =
  // biome-ignore lint/suspicious/noTemplateCurlyInString: bash parameter expansions, not a JS template.
  'eval "$SCRIPT"; COMP_LINE="$LINE"; COMP_POINT=${#LINE}; _agent_otp_completion; printf "%s\\n" "${COMPREPLY[@]}"';

describe('agent-otp completion', () => {
  let cli: CliEnvironment;
  const scripts = new Map<string, string>();

  beforeAll(async () => {
    cli = await createCliEnvironment('sqlite');
    for (const shell of COMPLETION_SHELLS) {
      const result = await cli.run(['completion', shell]);
      expect(result.code).toBe(0);
      scripts.set(shell, result.stdout);
    }
  }, 60_000);
  afterAll(() => cli?.cleanup());

  /** What bash offers for `line` (the cursor at its end), with the script sourced as ~/.bashrc would. */
  async function bashCompletes(line: string): Promise<string[]> {
    const { stdout } = await run('bash', ['--norc', '-c', COMPLETE_LINE], {
      env: { PATH: process.env.PATH ?? '', SCRIPT: scripts.get('bash') ?? '', LINE: line },
    });
    return stdout.split('\n').filter(Boolean);
  }

  it('completes commands and their long options in a real bash', async () => {
    expect(await bashCompletes('agent-otp pen')).toEqual(['pending']);
    // Bash breaks words at ':', so only the part after it is offered.
    expect(await bashCompletes('agent-otp agent:cr')).toEqual(['create']);
    expect(await bashCompletes('agent-otp deny otp_1 --rea')).toEqual(['--reason']);
    expect(await bashCompletes('agent-otp requests --')).toEqual(
      expect.arrayContaining(['--status', '--kind', '--agent', '--limit', '--json', '--help']),
    );
    expect(await bashCompletes('agent-otp ')).toContain('completion');
  }, 60_000);

  it('names every registered command in every shell, and refuses an unknown shell', async () => {
    const commands = buildProgram().commands.map((command) => command.name());
    expect(commands).toEqual(expect.arrayContaining(['pending', 'requests', 'audit', 'completion']));
    for (const shell of COMPLETION_SHELLS) {
      const script = scripts.get(shell) ?? '';
      for (const name of commands) {
        // zsh escapes the ':' of a name for _describe.
        const written = shell === 'zsh' ? `'${name.replace(/:/g, '\\:')}:` : `'${name}'`;
        expect(script, `${shell} lacks ${name}`).toContain(written);
      }
    }
    const bogus = await cli.run(['completion', 'powershell']);
    expect(bogus.code).toBe(EXIT.usage);
    expect(bogus.stderr).toContain('bash, zsh, fish');
  }, 60_000);

  it('writes a bash script that bash parses as it is', async () => {
    await expect(run('bash', ['-n', '-c', scripts.get('bash') ?? ''])).resolves.toBeDefined();
  });
});
