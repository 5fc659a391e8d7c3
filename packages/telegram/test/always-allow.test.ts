import { afterAll, beforeAll, expect, it } from 'vitest';
import { call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { alice, mallory, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

// "Always allow like this" from Telegram (issue 15): a button under a request drafts the
// policy, a confirmation shows it, and only "Save" stores it; the next identical request is
// then approved at once. Against the Bot API stand-in, in the real relay.

describeEachDialect('Telegram: always allow like this', (dialect) => {
  let h: RelayWithBot;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect);
  });
  afterAll(() => h.stop());

  const policies = async () =>
    (
      (await (await h.relay.ownerFetch('/api/v1/policies')).json()) as {
        policies: { id: string; name: string; agent: { name: string } | null; conditions: unknown }[];
      }
    ).policies;
  const buttonsOf = (message: { reply_markup?: { inline_keyboard: { callback_data?: string }[][] } }) =>
    message.reply_markup?.inline_keyboard.flat().map((button) => button.callback_data) ?? [];
  const answerTo = (pressId: string | undefined) =>
    h.fake.waitFor(() => h.fake.answeredCallbacks().find((a) => a.callback_query_id === pressId));

  it('proposes the policy, saves it only on confirmation, and the next identical request is approved', async () => {
    const id = await h.createRequest({ filter: { sources: ['email'], senderPattern: '*@shop.example' } });
    const message = await h.messageAbout(id);
    expect(buttonsOf(message)).toEqual([`a:${id}`, `d:${id}`, `p:${id}`]);

    // A stranger's press changes nothing.
    const stranger = h.fake.pressButton(mallory, message, `p:${id}`);
    expect((await answerTo(stranger.callback_query?.id)).text).toMatch(/^Sorry, you cannot make rules/);

    h.fake.pressButton(alice, message, `p:${id}`);
    const confirmation = await h.messageWhen(id, (m) => m.text.startsWith('♾ Always allow like this?'));
    expect(confirmation.text).toContain(
      'would approve at once, without asking you, every code request of shopping-agent where:',
    );
    expect(confirmation.text).toContain('• otp.senderPattern is *@shop.example');
    expect(confirmation.text).toContain('• otp.sources within email');
    expect(buttonsOf(confirmation)).toEqual([`pc:${id}`, `pn:${id}`]);
    expect(await policies()).toEqual([]);

    h.fake.pressButton(alice, confirmation, `pc:${id}`);
    const saved = await h.fake.waitFor(() =>
      h.fake
        .messages(alice.id)
        .find((m) => m.message_id === confirmation.message_id && m.text.startsWith('✅ Policy')),
    );
    expect(saved.reply_markup).toBeUndefined();
    const [policy] = await policies();
    expect(policy).toMatchObject({
      name: 'Always allow shopping-agent: codes from *@shop.example',
      agent: { name: 'shopping-agent' },
    });
    const audited = await h.relay.ctx.database.db
      .selectFrom('audit_events')
      .select(['action', 'channel'])
      .where('target_id', '=', policy?.id ?? '')
      .execute();
    expect(audited).toEqual([{ action: 'policy.created', channel: 'telegram' }]);
    // The request itself still waits for a decision; the next one like it does not.
    expect((await call(h.relay.url, `/api/v1/otp/${id}`, { token: h.apiKey })).body.status).toBe(
      'pending_approval',
    );
    const next = await h.createRequest({ filter: { sources: ['email'], senderPattern: '*@shop.example' } });
    expect((await call(h.relay.url, `/api/v1/otp/${next}`, { token: h.apiKey })).body.status).toBe(
      'approved',
    );
  });

  it('saves nothing on Cancel', async () => {
    const before = (await policies()).length;
    const id = await h.createRequest({ filter: { sources: ['sms'], senderPattern: 'BANK' } });
    const message = await h.messageAbout(id);
    h.fake.pressButton(alice, message, `p:${id}`);
    const confirmation = await h.messageWhen(id, (m) => m.text.startsWith('♾ Always allow like this?'));
    h.fake.pressButton(alice, confirmation, `pn:${id}`);
    await h.fake.waitFor(() =>
      h.fake
        .messages(alice.id)
        .find((m) => m.message_id === confirmation.message_id && m.text === '♾ No policy was saved.'),
    );
    expect(await policies()).toHaveLength(before);
  });

  it('offers no rule for a high-risk request, and refuses a forged press', async () => {
    const created = await call(h.relay.url, '/api/v1/permissions/request', {
      token: h.apiKey,
      json: { action: 'db.drop_table', resource: 'postgres://prod/users', context: { reason: 'cleanup' } },
    });
    const id = created.body.id as string;
    const message = await h.messageAbout(id);
    expect(buttonsOf(message)).not.toContain(`p:${id}`);
    const before = (await policies()).length;
    const forged = h.fake.pressButton(alice, message, `pc:${id}`, { allowMissingButton: true });
    const answer = await answerTo(forged.callback_query?.id);
    expect(answer.text).toMatch(/^This request is high risk/);
    expect(answer.show_alert).toBe(true);
    expect(await policies()).toHaveLength(before);
  });
});
