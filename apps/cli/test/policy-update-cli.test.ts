import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { describeEachDialect } from '../../../test-support/services.js';

/** Every CLI call starts a Node process; a test that makes several needs room on a busy machine. */
const CLI_TEST_TIMEOUT = 180_000;

// Issue 15: policy:update, policy:enable and policy:disable change a database policy in place,
// through the same core function (and checks) as PATCH /api/v1/policies/{id}.
describeEachDialect('agent-otp policy:update, policy:enable, policy:disable', (dialect) => {
  let cli: CliEnvironment;
  let policyId: string;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    // user:create makes the database (the commands below expect an existing install).
    const owner = await cli.run([
      'user:create',
      '--email',
      'owner@example.com',
      '--password',
      'a long passphrase',
    ]);
    expect(owner.code, owner.stderr).toBe(0);
    const created = await cli.run(['agent:create', '--name', 'reader']);
    expect(created.code, created.stderr).toBe(0);
    const file = join(cli.env.DATA_DIR as string, 'docs.yaml');
    writeFileSync(
      file,
      '- name: docs reads\n  conditions:\n    action: { equals: "docs.read" }\n  action: auto_approve\n',
    );
    const added = await cli.run(['policy:add', '--file', file, '--json']);
    expect(added.code, added.stderr).toBe(0);
    policyId = JSON.parse(added.stdout)[0].id;
  }, 60_000);
  afterAll(() => cli?.cleanup());

  const decisionFor = async (...extra: string[]) =>
    (await cli.run(['policy:test', '--action', 'docs.read', ...extra])).stdout;

  it(
    'disables and enables a policy: disabled, it decides nothing',
    async () => {
      const disabled = await cli.run(['policy:disable', policyId]);
      expect(disabled.code, disabled.stderr).toBe(0);
      expect(disabled.stdout).toContain(`Disabled ${policyId}`);
      expect(disabled.stdout).toContain('DISABLED');
      expect(await decisionFor()).toContain('Matched:  no policy');
      expect((await cli.run(['policy:list'])).stdout).toContain('DISABLED');

      const enabled = await cli.run(['policy:enable', policyId, '--json']);
      expect(JSON.parse(enabled.stdout)).toMatchObject({ id: policyId, enabled: true });
      expect(await decisionFor()).toContain('Decision: auto_approve');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'changes priority and agent, and replaces the definition from a file',
    async () => {
      const moved = await cli.run([
        'policy:update',
        policyId,
        '--priority',
        '7',
        '--agent',
        'reader',
        '--json',
      ]);
      expect(moved.code, moved.stderr).toBe(0);
      expect(JSON.parse(moved.stdout)).toMatchObject({ priority: 7, agent: { name: 'reader' } });
      expect(await decisionFor()).toContain('Matched:  no policy');
      expect(await decisionFor('--agent', 'reader')).toContain('Decision: auto_approve');

      const file = join(cli.env.DATA_DIR as string, 'deny-docs.yaml');
      writeFileSync(
        file,
        '- name: no docs\n  conditions:\n    action: { startsWith: "docs." }\n  action: deny\n  risk: high\n',
      );
      const replaced = await cli.run(['policy:update', policyId, '--file', file, '--every-agent', '--json']);
      expect(replaced.code, replaced.stderr).toBe(0);
      // The file restates every field: its priority (default 0) replaces 7.
      expect(JSON.parse(replaced.stdout)).toMatchObject({
        id: policyId,
        name: 'no docs',
        action: 'deny',
        priority: 0,
        risk: 'high',
        agent: null,
        conditions: { action: { startsWith: 'docs.' } },
      });
      expect(await decisionFor()).toContain('Decision: deny');
    },
    CLI_TEST_TIMEOUT,
  );

  it(
    'answers bad input with a message and a non-zero exit code',
    async () => {
      const two = join(cli.env.DATA_DIR as string, 'two.yaml');
      writeFileSync(two, '- name: a\n  action: deny\n- name: b\n  action: deny\n');
      const otpOnPermission = join(cli.env.DATA_DIR as string, 'otp.yaml');
      writeFileSync(
        otpOnPermission,
        '- name: c\n  appliesTo: permission\n  conditions:\n    otp.sources: { in: [sms] }\n  action: deny\n',
      );
      for (const [args, message] of [
        [['policy:update', 'file:1', '--priority', '1'], 'POLICY_FILE entries change by editing the file'],
        [['policy:update', policyId], 'nothing to change'],
        [['policy:update', policyId, '--priority', '1.5'], '--priority must be a whole number'],
        [['policy:update', policyId, '--file', two], 'exactly one policy'],
        [['policy:update', policyId, '--file', otpOnPermission], 'otp.sources exists only for OTP requests'],
        [['policy:update', policyId, '--agent', 'nobody'], 'no active agent named "nobody"'],
        [['policy:disable', 'pol_01JD2W9X3YH4Q7M5RZ8T6KCB2N'], 'no policy pol_01JD2W9X3YH4Q7M5RZ8T6KCB2N'],
      ] as const) {
        const result = await cli.run([...args]);
        expect(result.code, args.join(' ')).not.toBe(0);
        expect(result.stderr, args.join(' ')).toContain(message);
      }
      expect(await decisionFor()).toContain('Decision: deny');
    },
    CLI_TEST_TIMEOUT,
  );
});
