// What a stranger gets: the MCP server and the LangChain tool packed with `npm pack` (with the
// contract and the SDK they depend on), installed into an empty folder outside the workspace,
// and run from there against a live relay: `npx agent-otp-mcp` driven by the MCP SDK's
// client over stdio, and the LangChain tool invoked from a plain script.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeWithService } from '../../../test-support/services.js';
import { callTool, connectStdio } from './support/mcp-clients.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npmAvailable = spawnSync(npm, ['--version'], { encoding: 'utf8' }).status === 0;

/** This process's environment without what an enclosing `npm test` exported (it points npm at the workspace). */
function outsideEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] =>
        entry[1] !== undefined && !/^npm_(config|package|lifecycle)_/i.test(entry[0]),
    ),
  );
  return { ...env, ...extra };
}

/** Runs a command to its end without blocking the event loop (the relay lives in this process). */
function mustRun(command: string, args: string[], cwd: string, env = outsideEnvironment()): Promise<string> {
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
    child.on('close', (code) =>
      code === 0
        ? resolve(stdout)
        : reject(new Error(`${command} ${args.join(' ')} → ${code}:\n${stderr}${stdout}`)),
    );
  });
}

describeWithService(
  'npm',
  npmAvailable,
  'the packed MCP server and LangChain tool, installed outside the workspace',
  () => {
    let packs: string;
    let project: string;
    let relay: TestRelay;
    let testKey: string;

    beforeAll(async () => {
      await mustRun(
        process.execPath,
        [
          join(root, 'node_modules/typescript/bin/tsc'),
          '-b',
          'packages/contract',
          'packages/sdk',
          'packages/mcp',
          'packages/langchain',
        ],
        root,
      );
      packs = mkdtempSync(join(tmpdir(), 'agent-otp-mcp-packs-'));
      project = mkdtempSync(join(tmpdir(), 'agent-otp-mcp-stranger-'));
      const packed = JSON.parse(
        await mustRun(
          npm,
          [
            'pack',
            './packages/contract',
            './packages/sdk',
            './packages/mcp',
            './packages/langchain',
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
      relay = await startTestRelay('sqlite');
      testKey = (await relay.createAgent({ name: 'stranger-mcp', test: true })).apiKey;
    }, 300_000);

    afterAll(async () => {
      await relay?.stop();
      if (packs) rmSync(packs, { recursive: true, force: true });
      if (project) rmSync(project, { recursive: true, force: true });
    });

    it('depends on public packages only, and ships its bin and LICENSE', () => {
      for (const name of ['agent-otp-mcp', 'agent-otp-langchain']) {
        const installed = join(project, 'node_modules/@orrisai', name);
        const manifest = JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as {
          dependencies: Record<string, string>;
        };
        for (const dependency of Object.keys(manifest.dependencies))
          expect(dependency).not.toMatch(/^@agent-otp\//);
        expect(readFileSync(join(installed, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
      }
      expect(existsSync(join(project, 'node_modules/@agent-otp'))).toBe(false);
      expect(existsSync(join(project, 'node_modules/.bin/agent-otp-mcp'))).toBe(true);
    });

    it('npx agent-otp-mcp serves request_otp to the MCP client over stdio', async () => {
      const connected = await connectStdio(
        npm,
        ['exec', '--offline', '--', 'agent-otp-mcp'],
        {
          ...outsideEnvironment(),
          AGENT_OTP_API_KEY: testKey,
          AGENT_OTP_URL: relay.url,
        },
        project,
      );
      try {
        const { tools } = await connected.client.listTools();
        expect(tools).toHaveLength(4);
        const result = await callTool(connected, 'request_otp', {
          reason: 'Stranger sign-up',
          sources: ['email'],
        });
        expect(result.isError).toBeFalsy();
        expect((result.structuredContent as { code: string }).code).toMatch(/^\d{6}$/);
      } finally {
        await connected.close();
      }
    }, 120_000);

    it('the LangChain tool runs from a plain script', async () => {
      writeFileSync(
        join(project, 'langchain-agent.mjs'),
        [
          "import { createRequestOtpTool } from '@orrisai/agent-otp-langchain';",
          'const requestOtp = createRequestOtpTool();',
          "const message = await requestOtp.invoke({ type: 'tool_call', id: 'c1', name: 'request_otp', args: { reason: 'Stranger sign-up' } });",
          'console.log(JSON.stringify(message.artifact));',
        ].join('\n'),
      );
      const stdout = await mustRun(
        process.execPath,
        ['langchain-agent.mjs'],
        project,
        outsideEnvironment({ AGENT_OTP_API_KEY: testKey, AGENT_OTP_URL: relay.url }),
      );
      expect(JSON.parse(stdout)).toMatchObject({
        status: 'consumed',
        code: expect.stringMatching(/^\d{6}$/),
      });
    }, 120_000);
  },
);
