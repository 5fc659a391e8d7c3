import { readFile } from 'node:fs/promises';
import type { CompiledPolicy, CoreContext, Owner } from '@agent-otp/core';
import type { Policy, PolicyDefinition } from '@agent-otp/shared';
import type { Command } from 'commander';
import { CliError } from '../cli-error.js';

function parseJsonOption(flag: string, text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${flag} is not JSON: ${(error as Error).message}`, 'USAGE');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new CliError(`${flag} must be a JSON object, like '{"key": 1}'`, 'USAGE');
  return value as Record<string, unknown>;
}

/** The owner's active agent of that name, for `--agent`. */
export async function agentIdByName(
  ctx: CoreContext,
  owner: Owner,
  name: string | undefined,
): Promise<string | undefined> {
  if (name === undefined) return undefined;
  const { listAgents } = await import('@agent-otp/core');
  const agent = (await listAgents(ctx, owner.id)).find((a) => a.name === name && !a.revokedAt);
  if (!agent) throw new CliError(`--agent: ${owner.email} has no active agent named "${name}"`, 'NOT_FOUND');
  return agent.id;
}

/** Back to a definition for storage; re-validated, so what is stored is what the file said. */
async function definitionOf(policy: CompiledPolicy): Promise<PolicyDefinition> {
  const { PolicyDefinition } = await import('@agent-otp/shared');
  return PolicyDefinition.parse({
    name: policy.name,
    ...(policy.description === null ? {} : { description: policy.description }),
    priority: policy.priority,
    conditions: policy.rawConditions,
    action: policy.action,
    ...(policy.scopeTemplate === null ? {} : { scopeTemplate: policy.scopeTemplate }),
    ...(policy.risk === null ? {} : { risk: policy.risk }),
    appliesTo: policy.appliesTo,
  });
}

/** A policy as the CLI prints it: one line, then its conditions and template. */
export function describePolicy(p: Policy): string {
  const target = p.agent ? ` agent ${p.agent.name}` : '';
  return [
    `${p.id}  "${p.name}"  ${p.action}  priority ${p.priority}  (${p.source}, ${p.appliesTo}${target})${p.enabled ? '' : '  DISABLED'}`,
    `  conditions: ${JSON.stringify(p.conditions)}`,
    ...(p.scopeTemplate ? [`  scopeTemplate: ${JSON.stringify(p.scopeTemplate)}`] : []),
    ...(p.risk ? [`  risk: ${p.risk}`] : []),
  ].join('\n');
}

/** `policy:test`, `policy:add`, `policy:list`, `policy:remove`. */
export function registerPolicyCommands(program: Command): void {
  program
    .command('policy:test')
    .description('show which policy (POLICY_FILE and database) decides a request, and what it decides')
    .requiredOption('--action <action>', 'the action, e.g. gmail.send (otp.request for OTP requests)')
    .option('--resource <resource>', 'the resource, e.g. email:client@example.com', '')
    .option('--scope <json>', 'requested scope as a JSON object')
    .option('--context <json>', 'context as a JSON object, e.g. {"reason": "…"}')
    .option('--agent <name>', 'the requesting agent (agent-specific policies apply only with it)')
    .option('--kind <kind>', 'permission or otp', 'permission')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(
      async (options: {
        action: string;
        resource: string;
        scope?: string;
        context?: string;
        agent?: string;
        kind: string;
        user?: string;
        json?: boolean;
      }) => {
        const { loadPolicyFile, testPolicies } = await import('@agent-otp/core');
        const { PolicyTestBody } = await import('@agent-otp/shared');
        const { output, resolveOwner, withCore } = await import('../runtime.js');
        const body = PolicyTestBody.safeParse({
          kind: options.kind,
          action: options.action,
          resource: options.resource,
          scope: parseJsonOption('--scope', options.scope),
          context: parseJsonOption('--context', options.context),
        });
        if (!body.success) {
          const issue = body.error.issues[0];
          throw new CliError(
            `--${String(issue?.path[0] ?? 'action')}: ${issue?.message ?? 'invalid'}`,
            'USAGE',
          );
        }
        await withCore(async (ctx, config) => {
          const owner = await resolveOwner(ctx, options.user);
          const withFile = { ...ctx, policies: await loadPolicyFile(config.policyFile) };
          const result = await testPolicies(withFile, owner.id, { ...body.data, agentName: options.agent });
          output(options.json, result, () =>
            [
              `Decision: ${result.decision}`,
              result.policy
                ? `Matched:  "${result.policy.name}" (${result.policy.id}, ${result.policy.source}, priority ${result.policy.priority})`
                : 'Matched:  no policy (the default is require_approval)',
              `Scope:    ${JSON.stringify(result.scope)}`,
              ...(result.risk
                ? [`Risk:     ${result.risk} (the policy's; built-in rules apply when a request is made)`]
                : []),
              ...result.failed.map((f) => `Failed:   "${f.policy}": ${f.error}`),
              `Why:      ${result.explanation}`,
            ].join('\n'),
          );
        });
      },
    );

  program
    .command('policy:add')
    .description('store the policies of a YAML file in the database (they apply at once, no restart)')
    .requiredOption('--file <path>', 'YAML file: a list of policies, as in POLICY_FILE')
    .option('--agent <name>', 'restrict the policies to one agent')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { file: string; agent?: string; user?: string; json?: boolean }) => {
      const { createPolicy, PolicyFileError, parsePolicyYaml } = await import('@agent-otp/core');
      const { cliActor, output, resolveOwner, withCore } = await import('../runtime.js');
      let text: string;
      try {
        text = await readFile(options.file, 'utf8');
      } catch (error) {
        throw new CliError(
          `--file ${options.file} cannot be read (${(error as NodeJS.ErrnoException).code})`,
        );
      }
      let policies: CompiledPolicy[];
      try {
        policies = parsePolicyYaml(text, options.file);
      } catch (error) {
        if (error instanceof PolicyFileError) throw new CliError(error.message);
        throw error;
      }
      if (policies.length === 0) throw new CliError(`${options.file} holds no policies`);
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        const agentId = await agentIdByName(ctx, owner, options.agent);
        const stored: Policy[] = [];
        for (const policy of policies)
          stored.push(
            await createPolicy(ctx, {
              ownerId: owner.id,
              agentId,
              definition: await definitionOf(policy),
              actor: cliActor(owner),
            }),
          );
        output(options.json, stored, () => stored.map((p) => `Added ${describePolicy(p)}`).join('\n'));
      });
    });

  program
    .command('policy:list')
    .description('list the policies that govern your requests: POLICY_FILE first, then the database')
    .option('--user <email>', 'owner (default: the only owner)')
    .option('--json', 'print JSON')
    .action(async (options: { user?: string; json?: boolean }) => {
      const { listPolicies, loadPolicyFile } = await import('@agent-otp/core');
      const { output, resolveOwner, withCore } = await import('../runtime.js');
      await withCore(async (ctx, config) => {
        const owner = await resolveOwner(ctx, options.user);
        const policies = await listPolicies(
          { ...ctx, policies: await loadPolicyFile(config.policyFile) },
          owner.id,
        );
        output(options.json, policies, () =>
          policies.length === 0
            ? 'No policies: every request waits for your approval. Add some with `agent-otp policy:add --file FILE`.'
            : policies.map(describePolicy).join('\n'),
        );
      });
    });

  program
    .command('policy:remove <policyId>')
    .description('remove a database policy (POLICY_FILE entries change only by editing the file)')
    .option('--user <email>', 'owner (default: the only owner)')
    .action(async (policyId: string, options: { user?: string }) => {
      const { removePolicy } = await import('@agent-otp/core');
      const { PolicyId } = await import('@agent-otp/shared');
      const { cliActor, resolveOwner, withCore } = await import('../runtime.js');
      const id = PolicyId.safeParse(policyId);
      if (!id.success) throw new CliError(`${policyId} is not a database policy ID (pol_…)`, 'USAGE');
      await withCore(async (ctx) => {
        const owner = await resolveOwner(ctx, options.user);
        await removePolicy(ctx, { ownerId: owner.id, id: id.data, actor: cliActor(owner) });
        process.stdout.write(`Removed ${id.data}.\n`);
      });
    });
}
