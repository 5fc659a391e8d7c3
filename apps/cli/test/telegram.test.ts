import { afterAll, beforeAll, expect, it } from 'vitest';
import type { TelegramUser } from '../../../packages/telegram/test/support/bot-api-types.js';
import { type FakeBotApi, startFakeBotApi } from '../../../packages/telegram/test/support/fake-bot-api.js';
import { type CliEnvironment, createCliEnvironment } from '../../../test-support/cli.js';
import { describeEachDialect } from '../../../test-support/services.js';

// `agent-otp telegram:link` prints a one-time deep link (bot username from getMe); the bot
// inside `agent-otp serve` links whoever sends `/start <token>` first, once.

const bob: TelegramUser = { id: 5151, is_bot: false, first_name: 'Bob', username: 'bob' };
const eve: TelegramUser = { id: 7373, is_bot: false, first_name: 'Eve' };

describeEachDialect('agent-otp telegram:link', (dialect) => {
  let cli: CliEnvironment;
  let fake: FakeBotApi;

  beforeAll(async () => {
    cli = await createCliEnvironment(dialect);
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
    expect(unknown.code).toBe(1);
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
});
