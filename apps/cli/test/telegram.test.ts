import { spawn } from 'node:child_process';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TelegramUser } from '../../../packages/telegram/test/support/bot-api-types.js';
import { type FakeBotApi, startFakeBotApi } from '../../../packages/telegram/test/support/fake-bot-api.js';
import { CLI, type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';

// `agent-otp telegram:link` prints a one-time deep link (bot username from getMe); the bot
// inside `agent-otp serve` links whoever sends `/start <token>` first, once.

const bob: TelegramUser = { id: 5151, is_bot: false, first_name: 'Bob', username: 'bob' };
const eve: TelegramUser = { id: 7373, is_bot: false, first_name: 'Eve' };
const carol: TelegramUser = { id: 8181, is_bot: false, first_name: 'Carol', username: 'carol' };

describeEachDialect('agent-otp telegram:link', (dialect) => {
  let cli: CliEnvironment;
  let fake: FakeBotApi;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
    // Only `serve` creates the database; the link commands below run before the bot serves.
    await (await cli.serve()).stop();
    fake = await startFakeBotApi({ botUsername: 'relay_approvals_bot', knownChats: [bob, eve] });
  }, 60_000);
  afterAll(async () => {
    await fake?.close();
    await cli?.cleanup();
  });

  it('refuses without TELEGRAM_BOT_TOKEN, naming the variable', async () => {
    const result = await cli.run(['telegram:link']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('TELEGRAM_BOT_TOKEN');
  });

  it('reports a token Telegram refuses without printing it', async () => {
    cli.env.TELEGRAM_BOT_TOKEN = '7000000001:AAWrongTokenWrongTokenWrongToken_x';
    cli.env.TELEGRAM_API_ROOT = fake.url;
    const result = await cli.run(['telegram:link']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401');
    expect(result.stderr + result.stdout).not.toContain('AAWrongToken');
  });

  it('prints a deep link that links once through the bot in `serve`', async () => {
    cli.env.TELEGRAM_BOT_TOKEN = fake.token;
    cli.env.TELEGRAM_API_ROOT = fake.url;
    const human = await cli.run(['telegram:link']);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/https:\/\/t\.me\/relay_approvals_bot\?start=tl_[A-Za-z0-9_-]{43}/);
    const json = await cli.run(['telegram:link', '--json']);
    expect(json.code).toBe(0);
    const link = JSON.parse(json.stdout) as { url: string; bot: string; owner: string; expiresAt: string };
    expect(link).toMatchObject({ bot: 'relay_approvals_bot', owner: 'owner@localhost' });
    const token = new URL(link.url).searchParams.get('start') ?? '';
    expect(token).toMatch(/^tl_/);
    expect(Date.parse(link.expiresAt)).toBeGreaterThan(Date.now());

    const unknown = await cli.run(['telegram:link', '--user', 'nobody@example.com']);
    expect(unknown.code).toBe(3); // not found
    expect(unknown.stderr).toContain('nobody@example.com');

    const server = await cli.serve();
    try {
      await fake.waitFor(() => fake.calls('getUpdates').length > 0, 15_000);
      fake.sendUserMessage(bob, `/start ${token}`);
      const linked = await fake.waitFor(() => fake.messages(bob.id).find((m) => m.text.includes('Linked')));
      expect(linked.text).toContain('owner@localhost');
      fake.sendUserMessage(eve, `/start ${token}`);
      const refused = await fake.waitFor(() =>
        fake.messages(eve.id).find((m) => m.text.includes('not valid any more')),
      );
      expect(refused).toBeDefined();
      expect(server.output()).not.toContain(token);
      expect(server.output()).not.toContain(fake.token.split(':')[1]);
    } finally {
      await server.stop();
    }
  });

  it('`agent-otp telegram` runs the bot on its own next to a server without it', async () => {
    cli.env.TELEGRAM_BOT_TOKEN = fake.token;
    cli.env.TELEGRAM_API_ROOT = fake.url;
    const link = JSON.parse((await cli.run(['telegram:link', '--json'])).stdout) as { url: string };
    const token = new URL(link.url).searchParams.get('start') ?? '';
    const agent = JSON.parse(
      (await cli.run(['agent:create', '--name', 'standalone-agent', '--json'])).stdout,
    );
    const botEnv = { ...cli.env };
    delete cli.env.TELEGRAM_BOT_TOKEN;
    delete cli.env.TELEGRAM_API_ROOT;
    const server = await cli.serve();
    const bot = spawn(process.execPath, [CLI, 'telegram'], {
      env: botEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let botOutput = '';
    bot.stdout.on('data', (d) => (botOutput += d));
    bot.stderr.on('data', (d) => (botOutput += d));
    try {
      const polls = fake.calls('getUpdates').length;
      await fake.waitFor(() => fake.calls('getUpdates').length > polls, 15_000);
      fake.sendUserMessage(carol, `/start ${token}`);
      await fake.waitFor(() => fake.messages(carol.id).find((m) => m.text.includes('Linked')));

      const { publicKey } = await agentKeyPair();
      const created = await call(server.url, '/api/v1/otp', {
        token: agent.apiKey,
        json: { reason: 'Standalone bot check', publicKey },
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      const announced = await fake.waitFor(
        () => fake.messages(carol.id).find((m) => m.text.includes(id) && m.reply_markup),
        15_000,
      );
      expect(announced.text).toContain('Standalone bot check');
      const approved = await cli.run(['approve', id, '--url', server.url]);
      expect(approved.code).toBe(0);
      const edited = await fake.waitFor(
        () => fake.messages(carol.id).find((m) => m.text.includes(id) && !m.reply_markup),
        15_000,
      );
      expect(edited.text).toMatch(/Approved by owner@localhost via the CLI/);
    } finally {
      const exited = new Promise<number | null>((resolve) => bot.once('exit', (code) => resolve(code)));
      bot.kill('SIGTERM');
      expect(await exited).toBe(0);
      await server.stop();
    }
    expect(botOutput).not.toContain(fake.token.split(':')[1]);
  });
});
