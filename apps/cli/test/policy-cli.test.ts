import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

const seedPolicies = fileURLToPath(new URL('../../../docs/examples/seed-policies.yaml', import.meta.url));

/** Every CLI call starts a Node process; a test that makes several needs room on a busy machine. */
const CLI_TEST_TIMEOUT = 120_000;

/** Regression guard for issue 6: policy commands and permission approvals from the CLI. */
describeEachDialect('agent-otp policy commands and permission approvals', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let agent: { id: string; apiKey: string };

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    cli.env.POLICY_FILE = seedPolicies;
    server = await cli.serve();
    agent = JSON.parse((await cli.run(['agent:create', '--name', 'mailer', '--json'])).stdout);
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  it(
    'policy:test prints the matched policy and the decision for the seed examples',
    async () => {
      const cases: Array<[string[], string, string]> = [
        [
          ['--action', 'file.read', '--resource', 'file:/a.md', '--scope', '{"size_limit": 100}'],
          'auto_approve',
          'Auto-approve file reads',
        ],
        [
          ['--action', 'bank.transfer', '--resource', 'acct:1'],
          'require_approval',
          'Financial operations require approval',
        ],
        [
          [
            '--action',
            'gmail.send',
            '--resource',
            'email:x',
            '--context',
            '{"recipient": "a@mycompany.com"}',
          ],
          'auto_approve',
          'Auto-approve internal emails',
        ],
        [
          ['--action', 'gmail.send', '--resource', 'email:x', '--context', '{"recipient": "a@example.com"}'],
          'deny',
          'Default deny',
        ],
      ];
      for (const [args, decision, name] of cases) {
        const result = await cli.run(['policy:test', ...args]);
        expect(result.code, result.stderr).toBe(0);
        expect(result.stdout).toContain(`Decision: ${decision}`);
        expect(result.stdout).toContain(`"${name}"`);
      }
      const json = JSON.parse(
        (await cli.run(['policy:test', '--action', 'file.read', '--scope', '{"size_limit": 1}', '--json']))
          .stdout,
      );
      expect(json.scope).toEqual({ max_size: 1048576, allowed_extensions: ['.txt', '.md', '.json'] });
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'answers bad input with a message and a non-zero exit code',
    async () => {
      const badScope = await cli.run(['policy:test', '--action', 'a', '--scope', 'not json']);
      expect(badScope.code).not.toBe(0);
      expect(badScope.stderr).toContain('--scope is not JSON');
      const noAgent = await cli.run(['policy:test', '--action', 'a', '--agent', 'nobody']);
      expect(noAgent.stderr).toContain('no agent nobody');
      const badFile = join(cli.env.DATA_DIR as string, 'bad.yaml');
      writeFileSync(badFile, '- name: x\n  action: allow\n');
      const add = await cli.run(['policy:add', '--file', badFile]);
      expect(add.code).not.toBe(0);
      expect(add.stderr).toContain(`${badFile}:2:`);
      expect((await cli.run(['policy:remove', 'file:1'])).stderr).toContain('not a database policy ID');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'policy:add, policy:list and policy:remove manage database policies that apply at once',
    async () => {
      const file = join(cli.env.DATA_DIR as string, 'mailer.yaml');
      writeFileSync(
        file,
        '- name: "mailer may write to clients, with approval"\n  conditions:\n    action: { equals: "gmail.send" }\n  action: require_approval\n  priority: 10\n  risk: elevated\n',
      );
      const added = await cli.run(['policy:add', '--file', file, '--agent', 'mailer', '--json']);
      expect(added.code, added.stderr).toBe(0);
      const [policy] = JSON.parse(added.stdout);
      // The file's risk survives into the stored policy (issue 15).
      expect(policy).toMatchObject({ source: 'database', agent: { name: 'mailer' }, risk: 'elevated' });

      const listed = await cli.run(['policy:list']);
      expect(listed.stdout).toContain('file:4');
      expect(listed.stdout).toContain(policy.id);
      expect(listed.stdout).toContain('  risk: elevated');

      const withAgent = await cli.run([
        'policy:test',
        '--action',
        'gmail.send',
        '--resource',
        'email:c',
        '--agent',
        'mailer',
      ]);
      expect(withAgent.stdout).toContain('Decision: require_approval');
      expect(withAgent.stdout).toContain('Risk:     elevated');
      const withoutAgent = await cli.run(['policy:test', '--action', 'gmail.send', '--resource', 'email:c']);
      expect(withoutAgent.stdout).toContain('Decision: deny');

      // The running server sees the new policy without a restart.
      const created = await call(server.url, '/api/v1/permissions/request', {
        token: agent.apiKey,
        json: {
          action: 'gmail.send',
          resource: 'email:client@example.com',
          scope: { max_emails: 1 },
          context: { reason: 'Sending monthly invoice to client' },
        },
      });
      expect(created.body.status).toBe('pending_approval');
      const id = created.body.id as string;

      const pending = await cli.run(['pending']);
      expect(pending.stdout).toContain(id);
      expect(pending.stdout).toContain('Action: gmail.send');
      expect(pending.stdout).toContain('Resource: email:client@example.com');
      expect(pending.stdout).toContain('Scope: {"max_emails":1}');
      expect(pending.stdout).toContain('reason: Sending monthly invoice to client');

      const waiting = call(server.url, `/api/v1/permissions/${id}?wait=30`, { token: agent.apiKey });
      const approve = await cli.run(['approve', id]);
      expect(approve.code, approve.stderr).toBe(0);
      expect(approve.stdout).toContain('approved');
      const woken = await waiting;
      expect(woken.body).toMatchObject({ status: 'approved', decision: { channel: 'cli' } });
      expect(woken.body.token).toMatch(/^otp_/);

      const removed = await cli.run(['policy:remove', policy.id]);
      expect(removed.stdout).toContain(`Removed ${policy.id}`);
      const after = await call(server.url, '/api/v1/permissions/request', {
        token: agent.apiKey,
        json: { action: 'gmail.send', resource: 'email:client@example.com' },
      });
      expect(after.body.status).toBe('denied');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'deny works on permission requests too',
    async () => {
      const created = await call(server.url, '/api/v1/permissions/request', {
        token: agent.apiKey,
        json: { action: 'bank.transfer', resource: 'acct:9', context: { reason: 'rent' } },
      });
      const denied = await cli.run(['deny', created.body.id]);
      expect(denied.stdout).toContain('now denied');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'an invalid POLICY_FILE stops serve with the line',
    async () => {
      const bad = join(cli.env.DATA_DIR as string, 'broken.yaml');
      writeFileSync(bad, '- name: x\n  conditions:\n    nope: { equals: 1 }\n  action: deny\n');
      const env = { ...cli.env, POLICY_FILE: bad, PORT: '0' };
      const { execFile } = await import('node:child_process');
      const { CLI } = await import('../../../test-support/cli.js');
      const result = await new Promise<{ code: number; stderr: string }>((resolve) => {
        execFile(process.execPath, [CLI, 'serve'], { env, timeout: 20_000 }, (error, _stdout, stderr) =>
          resolve({ code: (error as { code?: number } | null)?.code ?? 0, stderr }),
        );
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr).toContain(`${bad}:3:`);
      expect(result.stderr).toContain('unknown path');
    },
    CLI_TEST_TIMEOUT,
  );
});
