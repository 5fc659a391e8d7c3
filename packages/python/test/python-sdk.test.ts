// Runs the Python SDK's pytest suite (packages/python/tests) against live relays, once per
// dialect: a relay started in this process (owner API for approvals), a second one allowing
// one request a minute (rate limits), and one served by the `agent-otp` command in another
// process so the CLI can approve while Python waits. The first relay delivers webhooks to
// loopback receivers (the pytest end-to-end webhook test listens on 127.0.0.1).
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect, describeWithService } from '../../../test-support/services.js';

const PYTHON = '/usr/bin/python3';
const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGE = fileURLToPath(new URL('../', import.meta.url));
const PYTEST_TIMEOUT_MS = 420_000;
/** Loopback http receivers need both switches; retries are fast so no test waits on backoff. */
const WEBHOOKS_TO_LOOPBACK = {
  WEBHOOK_ALLOW_HTTP: '1',
  WEBHOOK_ALLOW_PRIVATE: '1',
  WEBHOOK_RETRY_BASE_MS: '40',
  WEBHOOK_RETRY_MAX_MS: '200',
  WEBHOOK_POLL_MS: '25',
};

/** An agent created through the owner API, as its owner would: the one response with its webhook secret. */
async function createWebhookAgent(
  relay: TestRelay,
): Promise<{ id: string; apiKey: string; webhookSecret: string }> {
  const response = await relay.ownerFetch('/api/v1/agents', {
    method: 'POST',
    body: JSON.stringify({ name: 'python-webhooks' }),
  });
  expect(response.status).toBe(201);
  const created = (await response.json()) as {
    agent: { id: string };
    apiKey: string;
    webhookSecret?: string;
  };
  expect(created.webhookSecret).toMatch(/^whsec_/);
  return { id: created.agent.id, apiKey: created.apiKey, webhookSecret: created.webhookSecret as string };
}

function pythonReady(): boolean {
  const probe = spawnSync(PYTHON, ['-c', 'import cryptography, httpx, pytest'], { stdio: 'ignore' });
  return probe.status === 0;
}

/** Runs pytest with the relays' coordinates; resolves with its exit code and output. */
function runPytest(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    // AGENT_OTP_PYTEST_ARGS (e.g. "-k seed -x") narrows the run while working on one test.
    const extra = process.env.AGENT_OTP_PYTEST_ARGS?.split(' ').filter(Boolean) ?? [];
    const args = ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-rs', 'tests', ...extra];
    const child = spawn(PYTHON, args, {
      cwd: PACKAGE,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '/tmp',
        PYTHONPATH: `${PACKAGE}src`,
        PYTHONDONTWRITEBYTECODE: '1',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), PYTEST_TIMEOUT_MS);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describeWithService('Python 3 with cryptography, httpx and pytest', pythonReady(), 'Python SDK', () => {
  describeEachDialect('the pytest suite against a live relay', (dialect) => {
    let relay: TestRelay;
    let limited: TestRelay;
    let cli: CliEnvironment;
    let served: Awaited<ReturnType<CliEnvironment['serve']>>;
    let env: Record<string, string>;

    beforeAll(async () => {
      relay = await startTestRelay(dialect, { env: WEBHOOKS_TO_LOOPBACK });
      limited = await startTestRelay(dialect, { env: { RATE_LIMIT_PER_MINUTE: '1', RATE_LIMIT_BURST: '1' } });
      cli = await createCliEnvironment(dialect);
      served = await cli.serve();
      const cliJson = async <T>(...args: string[]): Promise<T> => {
        const result = await cli.run([...args, '--json']);
        expect(result.code, result.stderr).toBe(0);
        return JSON.parse(result.stdout) as T;
      };
      const liveAgent = await cliJson<{ id: string; apiKey: string }>(
        'agent:create',
        '--name',
        'python-live',
      );
      const testAgent = await cliJson<{ id: string; apiKey: string }>(
        'agent:create',
        '--name',
        'python-test',
        '--test',
      );
      const source = await cliJson<{ token: string }>('source:create', '--kind', 'email', '--name', 'inbox');
      const webhookAgent = await createWebhookAgent(relay);
      env = {
        AGENT_OTP_TEST_REPO: REPO,
        AGENT_OTP_TEST_RELAY: JSON.stringify({
          url: relay.url,
          ownerToken: relay.ownerToken,
          liveKey: (await relay.createAgent({ name: 'python-live' })).apiKey,
          testKey: (await relay.createAgent({ name: 'python-test', test: true })).apiKey,
          limitedUrl: limited.url,
          limitedKey: (await limited.createAgent({ name: 'python-limited' })).apiKey,
          webhookKey: webhookAgent.apiKey,
          webhookAgentId: webhookAgent.id,
          webhookSecret: webhookAgent.webhookSecret,
        }),
        AGENT_OTP_TEST_CLI: JSON.stringify({
          url: served.url,
          liveKey: liveAgent.apiKey,
          liveAgentId: liveAgent.id,
          testKey: testAgent.apiKey,
          sourceToken: source.token,
          node: process.execPath,
          cli: fileURLToPath(new URL('../../../apps/cli/bin/agent-otp.js', import.meta.url)),
          env: { ...cli.env, AGENT_OTP_URL: served.url },
        }),
      };
    }, 240_000);

    afterAll(async () => {
      await served?.stop();
      await cli?.cleanup();
      await limited?.stop();
      await relay?.stop();
    });

    it(
      'passes on every call, error class, key format, webhook vector and webhook delivery',
      async () => {
        const { code, output } = await runPytest(env);
        expect(code, output).toBe(0);
        expect(output).toMatch(/\d+ passed/);
        expect(output).not.toMatch(/\bskipped\b/);
      },
      PYTEST_TIMEOUT_MS + 10_000,
    );
  });
});
