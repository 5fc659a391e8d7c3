// Issue 9 item 15: a Telegram username is third-party text that ends up in a text column (the
// decision's audit label). One holding NUL must not break a decision on PostgreSQL.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { alice, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

describeEachDialect('Telegram text no database can store (issue 9 item 15)', (dialect) => {
  let h: RelayWithBot;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect);
  });
  afterAll(() => h.stop());

  it('decides a request pressed by a linked user whose username holds a NUL', async () => {
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    h.fake.pressButton({ ...alice, username: 'ali\u0000ce' }, message, `a:${id}`);
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toMatch(/Approved by owner@localhost \(Telegram @alice\) via Telegram/);
    const status = await call(h.relay.url, `/api/v1/otp/${id}`, { token: h.apiKey });
    expect(status.body.status).toBe('approved');
  });
});
