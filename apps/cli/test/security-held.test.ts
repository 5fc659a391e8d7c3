// Issue 9 item 7 in the CLI: a message two agents tie for is held; `held` lists it, `assign`
// gives it to one request, `discard` throws one away; `pending` shows "any sender".
import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

describeEachDialect('held messages in the agent-otp command', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  const agents: { id: string; apiKey: string }[] = [];
  let keys: Awaited<ReturnType<typeof agentKeyPair>>;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    server = await cli.serve();
    keys = await agentKeyPair();
    for (const name of ['alpha-cli', 'beta-cli'])
      agents.push(JSON.parse((await cli.run(['agent:create', '--name', name, '--json'])).stdout));
  }, 60_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  async function request(apiKey: string, senderPattern?: string) {
    const created = await call(server.url, '/api/v1/otp', {
      token: apiKey,
      json: {
        reason: 'CLI tie',
        filter: { sources: ['email'], ...(senderPattern ? { senderPattern } : {}) },
        publicKey: keys.publicKey,
      },
    });
    expect(created.status).toBe(201);
    return created.body.id as string;
  }

  it('pending shows a request without a sender pattern as "any sender"', async () => {
    const [alpha] = agents;
    const id = await request(alpha?.apiKey ?? '');
    const pending = await cli.run(['pending']);
    expect(pending.stdout).toContain(id);
    expect(pending.stdout).toContain('Sender pattern: any sender');
    await call(server.url, `/api/v1/otp/${id}`, { method: 'DELETE', token: alpha?.apiKey ?? '' });
  });

  it('capture reports a hold; held lists it; assign gives it to one request; discard erases another', async () => {
    const [alpha, beta] = agents;
    if (!alpha || !beta) throw new Error('agents missing');
    const a = await request(alpha.apiKey, '*@tie-cli.test');
    const b = await request(beta.apiKey, '*@tie-cli.test');
    for (const id of [a, b]) expect((await cli.run(['approve', id])).code).toBe(0);

    const captured = await cli.run([
      'capture',
      '--source',
      'email',
      '--from',
      'codes@tie-cli.test',
      '--text',
      'Your code is 90311274',
    ]);
    expect(captured.code).toBe(0);
    expect(captured.stdout).toContain('held as hld_');

    const listed = await cli.run(['held', '--json']);
    const [held] = JSON.parse(listed.stdout);
    expect(held.candidates.map((c: { requestId: string }) => c.requestId)).toEqual([a, b]);
    const human = await cli.run(['held']);
    expect(human.stdout).toContain('alpha-cli');
    expect(human.stdout).toContain('beta-cli');
    expect(human.stdout).not.toContain('90311274');

    const assigned = await cli.run(['assign', held.id, b]);
    expect(assigned.code).toBe(0);
    expect(assigned.stdout).toContain(`Assigned ${held.id} to ${b}`);
    const consumed = await call(server.url, `/api/v1/otp/${b}/consume`, {
      method: 'POST',
      token: beta.apiKey,
    });
    expect((await decryptOtpPayloadFor(consumed.body.encryptedPayload, keys.privateKey, b)).code).toBe(
      '90311274',
    );

    const c = await request(beta.apiKey, '*@tie-cli.test');
    expect((await cli.run(['approve', c])).code).toBe(0);
    await cli.run([
      'capture',
      '--source',
      'email',
      '--from',
      'codes@tie-cli.test',
      '--text',
      'Your code is 1234567',
    ]);
    const [second] = JSON.parse((await cli.run(['held', '--json'])).stdout);
    const discarded = await cli.run(['discard', second.id]);
    expect(discarded.code).toBe(0);
    expect(JSON.parse((await cli.run(['held', '--json'])).stdout)).toEqual([]);

    const bad = await cli.run(['assign', 'hld_nope', a]);
    expect(bad.code).toBe(2); // usage
    expect(bad.stderr).toContain('hld_nope is not a held message ID');
    // A dozen CLI processes, each a Node start-up: give them room on a busy machine.
  }, 120_000);
});
