// Issue 17, the CLI: `requests` and `audit` list what the relay holds for the owner (both
// request kinds, newest first, with filters), and `deny --reason` reaches the agent.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, type CliResult, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { EXIT } from '../src/exit-codes.js';

/** The fields of an entry of GET /api/v1/requests these checks read. */
interface ListedRequest {
  id: string;
  kind: 'otp' | 'permission';
  status: string;
  agent: { id: string; name: string };
  reason?: string;
  action?: string;
  resource?: string;
  denialReason: string | null;
}

function jsonOf<T>(result: CliResult): T {
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as T;
}

describeEachDialect('agent-otp requests, audit and deny --reason', (dialect) => {
  let cli: CliEnvironment;
  let server: Awaited<ReturnType<CliEnvironment['serve']>>;
  let mailer: { id: string; apiKey: string };
  let other: { id: string; apiKey: string };
  const created: { otp: string[]; permission: string[] } = { otp: [], permission: [] };

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    server = await cli.serve();
    mailer = JSON.parse((await cli.run(['agent:create', '--name', 'mailer', '--json'])).stdout);
    other = JSON.parse((await cli.run(['agent:create', '--name', 'other', '--json'])).stdout);
    const { publicKey } = await agentKeyPair();
    // Oldest first: an OTP request of each agent, then a permission request of the mailer.
    for (const [agent, reason] of [
      [mailer, 'sign in to the bank'],
      [other, 'sign in to the shop'],
    ] as const) {
      const otp = await call(server.url, '/api/v1/otp', { token: agent.apiKey, json: { reason, publicKey } });
      expect(otp.status).toBe(201);
      created.otp.push(otp.body.id);
    }
    const permission = await call(server.url, '/api/v1/permissions/request', {
      token: mailer.apiKey,
      json: { action: 'gmail.send', resource: 'email:client@example.com' },
    });
    expect(permission.status).toBe(201);
    created.permission.push(permission.body.id);
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await cli?.cleanup();
  });

  it('deny --reason sends the reason, which the agent then reads as denialReason', async () => {
    const [otpId] = created.otp;
    const denied = await cli.run(['deny', otpId!, '--reason', '  Use the staging account  ']);
    expect(denied.code).toBe(0);
    expect(denied.stdout).toContain(`Denied ${otpId}`);
    const agentView = await call(server.url, `/api/v1/otp/${otpId}`, { token: mailer.apiKey });
    expect(agentView.body).toMatchObject({ status: 'denied', denialReason: 'Use the staging account' });

    // Checked before any round trip, with the option named; the request stays pending.
    const [, otherId] = created.otp;
    for (const reason of ['   ', 'x'.repeat(501), 'line one\nline two']) {
      const refused = await cli.run(['deny', otherId!, '--reason', reason, '--json']);
      expect(refused.code).toBe(EXIT.usage);
      expect(JSON.parse(refused.stderr).error).toMatchObject({
        code: 'USAGE',
        message: expect.stringMatching(/^--reason: /),
      });
    }
    const stillPending = await call(server.url, `/api/v1/otp/${otherId}`, { token: other.apiKey });
    expect(stillPending.body.status).toBe('pending_approval');

    const permissionId = created.permission[0]!;
    expect((await cli.run(['deny', permissionId, '--reason', 'not this client'])).code).toBe(0);
    const permissionView = await call(server.url, `/api/v1/permissions/${permissionId}`, {
      token: mailer.apiKey,
    });
    expect(permissionView.body).toMatchObject({ status: 'denied', denialReason: 'not this client' });
  }, 60_000);

  it('requests lists both kinds newest first and filters by status, kind, agent and limit', async () => {
    const all = jsonOf<ListedRequest[]>(await cli.run(['requests', '--json']));
    expect(all.map((r) => r.id)).toEqual([created.permission[0], created.otp[1], created.otp[0]]);
    expect(all[0]).toMatchObject({
      kind: 'permission',
      action: 'gmail.send',
      resource: 'email:client@example.com',
    });
    expect(all[2]).toMatchObject({
      kind: 'otp',
      status: 'denied',
      agent: { id: mailer.id, name: 'mailer' },
      reason: 'sign in to the bank',
      denialReason: 'Use the staging account',
    });

    const human = await cli.run(['requests']);
    expect(human.code).toBe(0);
    const lines = human.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      new RegExp(
        `^${created.otp[1]}\\s+otp\\s+pending_approval\\s+other\\s+sign in to the shop\\s+\\d+ (s|min) ago$`,
      ),
    );

    const ids = async (args: string[]) =>
      jsonOf<ListedRequest[]>(await cli.run(['requests', ...args, '--json'])).map((r) => r.id);
    expect(await ids(['--status', 'denied'])).toEqual([created.permission[0], created.otp[0]]);
    expect(await ids(['--status', 'denied', '--kind', 'otp'])).toEqual([created.otp[0]]);
    expect(await ids(['--kind', 'permission'])).toEqual(created.permission);
    expect(await ids(['--agent', other.id])).toEqual([created.otp[1]]);
    expect(await ids(['--limit', '1'])).toEqual([created.permission[0]]);
    // A status only OTP requests have leaves permission requests out.
    expect(await ids(['--status', 'otp_received'])).toEqual([]);

    for (const args of [
      ['--limit', '0'],
      ['--limit', '201'],
      ['--kind', 'sms'],
      ['--status', 'lost'],
      ['--agent', 'mailer'],
      ['--kind', 'permission', '--status', 'otp_received'],
    ]) {
      const refused = await cli.run(['requests', ...args, '--json']);
      expect(refused.code).toBe(EXIT.usage);
      expect(JSON.parse(refused.stderr).error).toMatchObject({
        code: 'USAGE',
        message: expect.stringContaining(args.at(-2) ?? ''),
      });
    }
  }, 90_000);

  it('audit lists recent events newest first, by family of action and by text', async () => {
    interface Event {
      seq: number;
      action: string;
      targetId: string | null;
    }
    const recent = jsonOf<Event[]>(await cli.run(['audit', '--limit', '5', '--json']));
    expect(recent).toHaveLength(5);
    const seqs = recent.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));

    const agents = jsonOf<Event[]>(await cli.run(['audit', '--type', 'agent', '--json']));
    expect(agents.map((e) => e.action)).toEqual(['agent.created', 'agent.created']);
    const exact = jsonOf<Event[]>(
      await cli.run(['audit', '--type', 'agent.created', '--limit', '1', '--json']),
    );
    expect(exact).toEqual([agents[0]]);
    // `--type agent` is the family `agent.*`, not every action that starts with "agent".
    expect(jsonOf<Event[]>(await cli.run(['audit', '--type', 'agen', '--json']))).toEqual([]);

    const aboutShop = jsonOf<Event[]>(await cli.run(['audit', '--q', created.otp[1]!, '--json']));
    expect(aboutShop.length).toBeGreaterThan(0);
    expect(
      aboutShop.every((e) => e.targetId === created.otp[1] || JSON.stringify(e).includes(created.otp[1]!)),
    ).toBe(true);

    const human = await cli.run(['audit', '--type', 'agent']);
    expect(human.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(
        /^#\d+ {2}\S+ {2}agent\.created\s+agt_\S+ {2}by owner usr_\S+ \(cli\) {2}\d+ (s|min) ago$/,
      ),
      expect.stringMatching(/agent\.created/),
    ]);
    for (const args of [
      ['--type', 'Not An Action'],
      ['--q', 'x'.repeat(201)],
      ['--limit', 'ten'],
    ]) {
      const refused = await cli.run(['audit', ...args, '--json']);
      expect(refused.code).toBe(EXIT.usage);
    }
  }, 90_000);
});
