import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { alice, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

// Bot API failures (flood control, a user who blocked the bot, a deleted message) are
// handled and logged; the relay keeps working and nothing is retried forever.

describeEachDialect('Telegram Bot API failures', (dialect) => {
  let h: RelayWithBot;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect);
  });
  afterAll(() => h.stop());

  const logsWith = (text: string) => h.relay.logs.filter((line) => line.includes(text));
  const messageRows = (id: string) =>
    h.relay.ctx.database.db
      .selectFrom('telegram_messages')
      .selectAll()
      .where('request_id', '=', id)
      .execute();

  it('waits out flood control (429 retry_after) and sends the request anyway', async () => {
    h.fake.failNext('sendMessage', {
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      retry_after: 1,
    });
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    expect(message.reply_markup).toBeDefined();
    const attempts = h.fake.calls('sendMessage').filter((c) => String(c.body.text).includes(id));
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect(logsWith('flood control').length).toBeGreaterThan(0);
  });

  it('a chat that blocked the bot is logged and skipped; the relay and other channels carry on', async () => {
    h.fake.setBlocked(alice.id, true);
    try {
      const id = await h.createRequest();
      const line = await eventually(async () =>
        logsWith('could not send an approval request').find((l) => l.includes(id)),
      );
      expect(JSON.parse(line)).toMatchObject({ failure: 'blocked', errorCode: 403 });
      const approved = await h.relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
      expect(approved.status).toBe(200);
      expect((await fetch(`${h.relay.url}/healthz`)).status).toBe(200);
    } finally {
      h.fake.setBlocked(alice.id, false);
    }
  });

  it('a message the user deleted is forgotten instead of being edited again and again', async () => {
    const id = await h.createRequest();
    await h.messageAbout(id);
    h.fake.failNext('editMessageText', {
      error_code: 400,
      description: 'Bad Request: message to edit not found',
    });
    const denied = await h.relay.ownerFetch(`/api/v1/requests/${id}/deny`, { method: 'POST' });
    expect(denied.status).toBe(200);
    const line = await eventually(async () =>
      logsWith('could not update a message').find((l) => l.includes(id)),
    );
    expect(JSON.parse(line)).toMatchObject({ failure: 'gone' });
    await eventually(async () => (await messageRows(id)).length === 0);
  });

  it('"message is not modified" counts as up to date', async () => {
    const id = await h.createRequest();
    await h.messageAbout(id);
    h.fake.failNext('editMessageText', {
      error_code: 400,
      description:
        'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
    });
    await h.relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
    await h.fake.waitFor(() =>
      h.fake.calls('editMessageText').find((c) => String(c.body.text).includes(id) && c.status === 400),
    );
    const rows = await messageRows(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.has_buttons).toBe(0);
    expect(logsWith('could not update a message').filter((l) => l.includes(id))).toEqual([]);
  });
});
