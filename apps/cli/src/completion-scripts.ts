import type { Command } from 'commander';

export const COMPLETION_SHELLS = ['bash', 'zsh', 'fish'] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** A command as completion needs it: its name, what it does, and its long options. */
interface CompletedCommand {
  name: string;
  description: string;
  options: { flag: string; description: string }[];
}

/** What the scripts complete, read from the same command tree that parses the arguments. */
function completedCommands(program: Command): CompletedCommand[] {
  return program.commands.map((command) => ({
    name: command.name(),
    description: command.description(),
    options: [
      ...command.options.flatMap((option) =>
        option.long ? [{ flag: option.long, description: option.description }] : [],
      ),
      { flag: '--help', description: 'show help for this command' },
    ],
  }));
}

/** One shell word in single quotes, whatever it holds. */
function quote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function bashScript(commands: CompletedCommand[]): string {
  const cases = commands.map(
    (command) =>
      `    ${quote(command.name)}) words=${quote(command.options.map((o) => o.flag).join(' '))} ;;`,
  );
  return `# agent-otp completion for bash. Load it from ~/.bashrc:
#   source <(agent-otp completion bash)
_agent_otp_completion() {
  # Read the line itself: bash splits COMP_WORDS at ':' (agent:create), the line does not.
  local line="\${COMP_LINE:0:COMP_POINT}"
  local cur="\${line##*[[:space:]]}"
  local -a tokens
  read -r -a tokens <<< "$line"
  local position=\${#tokens[@]}
  [[ -z "$cur" ]] && position=$((position + 1))
  local words=''
  if ((position <= 2)); then
    words=${quote(`${commands.map((c) => c.name).join(' ')} --help --version`)}
  else
    case "\${tokens[1]}" in
${cases.join('\n')}
    esac
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
  # Bash replaces only the part of the word after its last ':', so answer with that part.
  if [[ "$cur" == *:* && "$COMP_WORDBREAKS" == *:* ]]; then
    local prefix="\${cur%"\${cur##*:}"}"
    local i
    for i in "\${!COMPREPLY[@]}"; do COMPREPLY[i]="\${COMPREPLY[i]#"$prefix"}"; done
  fi
}
complete -o default -F _agent_otp_completion agent-otp
`;
}

function zshScript(commands: CompletedCommand[]): string {
  // _describe reads NAME:DESCRIPTION, so the ':' inside a command name is escaped.
  const entries = commands.map(
    (command) => `    ${quote(`${command.name.replace(/:/g, '\\:')}:${command.description}`)}`,
  );
  const cases = commands.map(
    (command) =>
      `    ${quote(command.name)}) _arguments ${command.options
        .map((o) => quote(`${o.flag}[${o.description.replace(/[[\]]/g, '')}]`))
        .join(' ')} '*:file:_files' ;;`,
  );
  return `#compdef agent-otp
# agent-otp completion for zsh. Load it from ~/.zshrc, after compinit:
#   source <(agent-otp completion zsh)
_agent_otp() {
  local -a commands
  commands=(
${entries.join('\n')}
  )
  if ((CURRENT == 2)); then
    _describe 'agent-otp command' commands
    return
  fi
  case $words[2] in
${cases.join('\n')}
  esac
}
compdef _agent_otp agent-otp
`;
}

function fishScript(commands: CompletedCommand[]): string {
  const lines = commands.flatMap((command) => [
    `complete -c agent-otp -n __fish_use_subcommand -a ${quote(command.name)} -d ${quote(command.description)}`,
    ...command.options.map(
      (option) =>
        `complete -c agent-otp -n ${quote(`__fish_seen_subcommand_from ${command.name}`)} -l ${quote(
          option.flag.replace(/^--/, ''),
        )} -d ${quote(option.description)}`,
    ),
  ]);
  return `# agent-otp completion for fish. Load it from ~/.config/fish/config.fish:
#   agent-otp completion fish | source
complete -c agent-otp -f
${lines.join('\n')}
`;
}

/**
 * The completion script of one shell for every command and long option of `program`.
 *
 * @example
 * process.stdout.write(completionScript(buildProgram(), 'bash'));
 */
export function completionScript(program: Command, shell: CompletionShell): string {
  const commands = completedCommands(program);
  if (shell === 'bash') return bashScript(commands);
  if (shell === 'zsh') return zshScript(commands);
  return fishScript(commands);
}
