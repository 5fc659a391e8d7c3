import { type Command, InvalidArgumentError } from 'commander';
import { COMPLETION_SHELLS, type CompletionShell, completionScript } from '../completion-scripts.js';

function parseShell(value: string): CompletionShell {
  const shell = COMPLETION_SHELLS.find((known) => known === value);
  if (!shell) throw new InvalidArgumentError(`expected one of ${COMPLETION_SHELLS.join(', ')}`);
  return shell;
}

/** `completion bash|zsh|fish`: a script generated from this very command tree, so it never lags behind. */
export function registerCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description(
      'print a shell completion script (bash, zsh or fish); see docs/cli.md for the line to load it',
    )
    .argument('<shell>', COMPLETION_SHELLS.join(', '), parseShell)
    .action((shell: CompletionShell) => {
      process.stdout.write(completionScript(program, shell));
    });
}
