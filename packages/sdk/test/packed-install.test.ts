// What a stranger gets: the SDK and its contract packed with `npm pack`, installed into an
// empty folder outside the workspace (so no workspace package can be picked up by
// accident), running the root README's quick start, as written, against a live relay.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeWithService } from '../../../test-support/services.js';
import { captureAcmeEmail, decide, ownerJson, waitForPendingRequest } from './support/owner.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmAvailable = spawnSync(npm, ['--version'], { encoding: 'utf8' }).status === 0;

/**
 * The environment of a child npm or node: this process's, without what an enclosing
 * `npm test` exported (`npm_config_local_prefix` and friends would point npm back at the
 * workspace and install there).
 */
function outsideEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^npm_(config|package|lifecycle)_/i.test(name)),
  );
  return { ...env, ...extra };
}

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking the event loop (the relay lives in this process). */
function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function mustRun(command: string, args: string[], cwd: string, env = outsideEnvironment()) {
  const result = await run(command, args, cwd, env);
  if (result.code !== 0)
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`,
    );
  return result.stdout;
}

/** The root README's `agent.mjs`, exactly as the quick start prints it. */
function readmeQuickStart(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const block = /Save this as `agent\.mjs`[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README.md no longer has the agent.mjs quick start');
  return block;
}

describeWithService('npm', npmAvailable, 'the packed SDK, installed outside the workspace', () => {
  let packs: string;
  let project: string;
  let relay: TestRelay;

  beforeAll(async () => {
    // Fresh dist/ of the two public packages (incremental: quick when nothing changed).
    await mustRun(
      process.execPath,
      [join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/contract', 'packages/sdk'],
      root,
    );
    packs = mkdtempSync(join(tmpdir(), 'agent-otp-packs-'));
    project = mkdtempSync(join(tmpdir(), 'agent-otp-stranger-'));
    const packed = JSON.parse(
      await mustRun(
        npm,
        [
          'pack',
          './packages/contract',
          './packages/sdk',
          '--pack-destination',
          packs,
          '--json',
          '--ignore-scripts',
        ],
        root,
      ),
    ) as Array<{ filename: string }>;
    await mustRun(npm, ['init', '-y'], project);
    await mustRun(
      npm,
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        ...packed.map((pack) => join(packs, pack.filename)),
      ],
      project,
    );
    writeFileSync(join(project, 'agent.mjs'), readmeQuickStart());
    relay = await startTestRelay('sqlite');
  }, 240_000);

  afterAll(async () => {
    await relay?.stop();
    if (packs) rmSync(packs, { recursive: true, force: true });
    if (project) rmSync(project, { recursive: true, force: true });
  });

  it('depends on public packages only', () => {
    const sdk = JSON.parse(
      readFileSync(join(project, 'node_modules/@orrisai/agent-otp-sdk/package.json'), 'utf8'),
    ) as { dependencies: Record<string, string> };
    expect(Object.keys(sdk.dependencies).sort()).toEqual(['@orrisai/agent-otp-contract']);
    expect(existsSync(join(project, 'node_modules/@agent-otp'))).toBe(false);
    expect(existsSync(join(project, 'node_modules/@orrisai/agent-otp-contract/dist/index.js'))).toBe(true);
  });

  it('ships the MIT LICENSE and a README whose links work on a registry page', () => {
    const license = readFileSync(join(root, 'LICENSE'), 'utf8');
    expect(license).toMatch(/^MIT License/);
    for (const name of ['agent-otp-sdk', 'agent-otp-contract']) {
      const installed = join(project, 'node_modules/@orrisai', name);
      expect(readFileSync(join(installed, 'LICENSE'), 'utf8'), name).toBe(license);
      // A registry page shows the README outside the repository: a relative link to another
      // file is dead there. Links must be absolute URLs or anchors of the README itself.
      const readme = readFileSync(join(installed, 'README.md'), 'utf8');
      const anchors = new Set(
        [...readme.matchAll(/^#+ (.+)$/gm)].map((heading) =>
          (heading[1] ?? '')
            .toLowerCase()
            .replace(/[^\w\- ]/g, '')
            .replace(/ /g, '-'),
        ),
      );
      for (const [, target] of readme.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (target?.startsWith('#')) expect(anchors, `${name}: ${target}`).toContain(target.slice(1));
        else expect(target, name).toMatch(/^https:\/\//);
      }
    }
  });

  it('verifies a signed webhook with the installed package', async () => {
    const receiver = [
      "import { verifyWebhookSignature } from '@orrisai/agent-otp-sdk/webhooks';",
      "import { generateWebhookSecret, webhookSignature } from '@orrisai/agent-otp-contract/webhook-signing';",
      'const secret = generateWebhookSecret();',
      "const body = JSON.stringify({ id: 'evt_1', type: 'otp.denied', kind: 'otp', request_id: 'otp_1', status: 'denied', agent_id: 'agt_1', created_at: new Date().toISOString() });",
      'const ts = Math.floor(Date.now() / 1000);',
      "const headers = { 'x-otp-event-id': 'evt_1', 'x-otp-timestamp': String(ts), 'x-otp-signature': 'v1=' + webhookSignature(secret, ts, body) };",
      'console.log(verifyWebhookSignature(Buffer.from(body), headers, secret).status);',
    ].join('\n');
    writeFileSync(join(project, 'receiver.mjs'), receiver);
    expect((await mustRun(process.execPath, ['receiver.mjs'], project)).trim()).toBe('denied');
  });

  it('every published package carries the LICENSE', async () => {
    const packages = ['sdk', 'contract', 'mcp', 'langchain'].map((name) => `./packages/${name}`);
    const listed = JSON.parse(
      await mustRun(npm, ['pack', '--dry-run', '--json', '--ignore-scripts', ...packages], root),
    ) as Array<{ name: string; files: Array<{ path: string }> }>;
    expect(listed).toHaveLength(packages.length);
    for (const pack of listed)
      expect(
        pack.files.map((file) => file.path),
        pack.name,
      ).toContain('LICENSE');
  });

  it('runs the README quick start: the owner approves, the Acme email arrives, the agent prints the code', async () => {
    const agent = await relay.createAgent({ name: 'stranger' });
    const child = run(
      process.execPath,
      ['agent.mjs'],
      project,
      outsideEnvironment({ AGENT_OTP_API_KEY: agent.apiKey, AGENT_OTP_URL: relay.url }),
    );

    const pending = await waitForPendingRequest(
      relay,
      (r) => r.reason === 'Sign up for Acme website',
      60_000,
    );
    expect(pending.agent.id).toBe(agent.id);
    await decide(relay, pending.id, 'approve');
    expect(await captureAcmeEmail(relay)).toMatchObject({ matched: true, requestId: pending.id });

    const { code, stdout, stderr } = await child;
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([
      `Waiting for approval: ${pending.id}`,
      'Received OTP: 847291',
    ]);
  }, 120_000);

  it('runs the README quick start when the owner denies: the agent prints the denial and its reason', async () => {
    const agent = await relay.createAgent({ name: 'stranger-denied' });
    const child = run(
      process.execPath,
      ['agent.mjs'],
      project,
      outsideEnvironment({ AGENT_OTP_API_KEY: agent.apiKey, AGENT_OTP_URL: relay.url }),
    );
    const pending = await waitForPendingRequest(relay, (r) => r.agent.id === agent.id, 60_000);
    await ownerJson(relay, `/api/v1/approvals/${pending.id}/deny`, {
      method: 'POST',
      body: JSON.stringify({ reason: 'not this account' }),
    });

    const { code, stdout, stderr } = await child;
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout.trim().split('\n')).toEqual([
      `Waiting for approval: ${pending.id}`,
      'Denied by the owner: not this account',
    ]);
  }, 120_000);
});
