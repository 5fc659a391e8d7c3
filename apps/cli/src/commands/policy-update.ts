import { readFile } from 'node:fs/promises';
import type { CoreContext, Owner } from '@agent-otp/core';
import type { UpdatePolicyBody } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { agentIdByName, describePolicy } from './policies.js';

/** A database policy ID, or a usage error (POLICY_FILE entries are changed in the file). */
async function databasePolicyId(policyId: string): Promise<string> {
  const { PolicyId } = await import('@agent-otp/shared');
  const id = PolicyId.safeParse(policyId);
  if (!id.success)
    throw new CliError(
      `${policyId} is not a database policy ID (pol_…); POLICY_FILE entries change by editing the file`,
      'USAGE',
    );
  return id.data;
}

/** Stores one change and prints the policy as it now is. */
async function applyChange(
  policyId: string,
  options: { user?: string; json?: boolean },
  changesFor: (ctx: CoreContext, owner: Owner) => Promise<unknown>,
  done: string,
): Promise<void> {
  const { updatePolicy } = await import('@agent-otp/core');
  const { UpdatePolicyBody } = await import('@agent-otp/shared');
  const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
  const id = await databasePolicyId(policyId);
  await withCore(async (ctx) => {
    const owner = await resolveOwner(ctx, options.user);
    const parsed = UpdatePolicyBody.safeParse(await changesFor(ctx, owner));
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
      throw new CliError(`${where}${issue?.message ?? 'invalid change'}`, 'USAGE');
    }
    const policy = await updatePolicy(ctx, {
      ownerId: owner.id,
      id,
      changes: parsed.data,
      actor: cliActor(owner),
    });
    output(options.json, policy, () => `${done} ${describePolicy(policy)}`);
  });
}

/** The one policy of a YAML file (as in POLICY_FILE), as the full set of fields to store. */
async function definitionFromFile(file: string): Promise<UpdatePolicyBody> {
  const { PolicyFileError, parsePolicyYaml } = await import('@agent-otp/core');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(`--file ${file} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  let policies: ReturnType<typeof parsePolicyYaml>;
  try {
    policies = parsePolicyYaml(text, file);
  } catch (error) {
    if (error instanceof PolicyFileError) throw new CliError(error.message);
    throw error;
  }
  const [policy] = policies;
  if (!policy || policies.length !== 1)
    throw new CliError(`${file} must hold exactly one policy (it holds ${policies.length})`, 'USAGE');
  // Every field is restated, so one the file leaves out is cleared, as if the policy were new.
  return {
    name: policy.name,
    description: policy.description,
    priority: policy.priority,
    conditions: policy.rawConditions as UpdatePolicyBody['conditions'],
    action: policy.action,
    scopeTemplate: policy.scopeTemplate as UpdatePolicyBody['scopeTemplate'],
    appliesTo: policy.appliesTo,
    risk: policy.risk,
  };
}

function priorityOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new CliError(`--priority must be a whole number, not ${text}`, 'USAGE');
  return value;
}

/** `policy:update`, `policy:enable`, `policy:disable` (issue 15): change a database policy in place. */
export function registerPolicyUpdateCommands(program: Command): void {
  program
    .command('policy:update <policyId>')
    .description('change a database policy: its definition (--file), priority or agent; applies at once')
    .option('--file <path>', 'YAML holding one policy, as in POLICY_FILE: replaces the whole definition')
    .option('--priority <n>', 'new priority (the highest matching policy decides)')
    .option('--agent <name>', 'restrict the policy to this agent')
    .option('--every-agent', 'apply the policy to every agent again')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(
      async (
        policyId: string,
        options: {
          file?: string;
          priority?: string;
          agent?: string;
          everyAgent?: boolean;
          user?: string;
          json?: boolean;
        },
      ) => {
        if (options.agent !== undefined && options.everyAgent)
          throw new CliError('--agent and --every-agent cannot both be given', 'USAGE');
        const priority = priorityOf(options.priority);
        const definition = options.file === undefined ? {} : await definitionFromFile(options.file);
        if (
          options.file === undefined &&
          priority === undefined &&
          options.agent === undefined &&
          !options.everyAgent
        )
          throw new CliError('nothing to change: give --file, --priority, --agent or --every-agent', 'USAGE');
        await applyChange(
          policyId,
          options,
          async (ctx, owner) => ({
            ...definition,
            ...(priority === undefined ? {} : { priority }),
            ...(options.agent === undefined
              ? {}
              : { agentId: await agentIdByName(ctx, owner, options.agent) }),
            ...(options.everyAgent ? { agentId: null } : {}),
          }),
          'Updated',
        );
      },
    );

  for (const [name, enabled] of [
    ['policy:enable', true],
    ['policy:disable', false],
  ] as const)
    program
      .command(`${name} <policyId>`)
      .description(
        enabled
          ? 'enable a database policy: it decides matching requests again'
          : 'disable a database policy: it stays listed but decides nothing',
      )
      .option('--user <email>', 'owner (default: the only owner)')
      .option('--json', 'print JSON')
      .action((policyId: string, options: { user?: string; json?: boolean }) =>
        applyChange(policyId, options, async () => ({ enabled }), enabled ? 'Enabled' : 'Disabled'),
      );
}
