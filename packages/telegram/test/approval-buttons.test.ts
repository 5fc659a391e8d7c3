import { afterAll, beforeAll, expect, it } from 'vitest';
import { agentKeyPair, call } from '../../../test-support/http.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { alice, mallory, type RelayWithBot, startRelayWithBot } from './support/relay-with-bot.js';

// The bot in the real relay, against the Bot API stand-in: presses of ✅/❌ decide the
// request and wake the agent; presses from strangers or after a decision change nothing.

describeEachDialect('Telegram approval buttons', (dialect) => {
  let h: RelayWithBot;

  beforeAll(async () => {
    h = await startRelayWithBot(dialect);
  });
  afterAll(() => h.stop());

  const status = async (id: string) =>
    (await call(h.relay.url, `/api/v1/otp/${id}`, { token: h.apiKey })).body.status as string;
  const auditActions = async (id: string) =>
    (
      await h.relay.ctx.database.db
        .selectFrom('audit_events')
        .select(['action', 'channel'])
        .where('target_id', '=', id)
        .orderBy('seq', 'asc')
        .execute()
    ).map((e) => `${e.action}:${e.channel}`);

  it('registers its commands and announces a new request to the linked chat with both buttons', async () => {
    expect(h.fake.commands().map((c) => c.command)).toEqual(['pending', 'status', 'agents', 'help']);
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    expect(message.text).toContain('shopping-agent requests a verification code');
    // The agent's first request: its key is new to the relay (issue 15, risk at a glance).
    expect(message.text).toContain(
      '⚠️ Elevated risk\n• new key: the first request of this agent, with a key never seen before',
    );
    expect(message.text).toContain('Reason: Sign up at Acme');
    expect(message.text).toContain('Expected sender: Acme');
    expect(message.text).toContain('Sources: email');
    expect(message.text).toContain('Sender pattern: *@acme.com');
    expect(message.text).toMatch(/Agent key fingerprint: [0-9a-f]{64}/);
    expect(message.text).toContain('• a code from *@acme.com by');
    expect(message.text).toMatch(/Key: [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} \(/);
    expect(message.text).toMatch(/Expires: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(message.parse_mode).toBe('HTML');
    expect(message.reply_markup).toEqual({
      inline_keyboard: [
        [
          { text: '✅ Approve', callback_data: `a:${id}` },
          { text: '❌ Deny', callback_data: `d:${id}` },
        ],
        // Issue 15: a rule from this request, after a confirmation (always-allow.test.ts).
        [{ text: '♾ Always allow like this…', callback_data: `p:${id}` }],
      ],
    });
    expect(Buffer.byteLength(`a:${id}`)).toBeLessThanOrEqual(64);
    // Nobody else is linked, so nobody else was told.
    expect(h.fake.messages(mallory.id).filter((m) => m.text.includes(id))).toEqual([]);
  });

  it('a high-risk permission request says so in words, with every reason, and links to the dashboard instead of an Approve button', async () => {
    const created = await call(h.relay.url, '/api/v1/permissions/request', {
      token: h.apiKey,
      json: { action: 'db.drop_table', resource: 'postgres://prod/users' },
    });
    expect(created.status).toBe(201);
    const message = await h.messageAbout(created.body.id);
    expect(message.text).toContain(
      [
        '🛑 High risk',
        "• deletes data: the action `db.drop_table` contains the verb 'drop'",
        "• touches production: the resource `postgres://prod/users` has the segment 'prod'",
      ].join('\n'),
    );
    // Approving needs a passkey (issue 15): Telegram links to the dashboard, and Deny stays.
    // The test relay's address is http://localhost, which Telegram refuses in a URL button,
    // so the link is in the text only.
    expect(message.reply_markup).toEqual({
      inline_keyboard: [[{ text: '❌ Deny', callback_data: `d:${created.body.id}` }]],
    });
    expect(message.text).toContain(
      `🔐 Approve in the dashboard with your passkey: ${h.relay.ctx.publicUrl}/approvals/${created.body.id}`,
    );
    // A forged or stale approve press changes nothing and says where to approve.
    const press = h.fake.pressButton(alice, message, `a:${created.body.id}`, { allowMissingButton: true });
    const answer = await h.fake.waitFor(() =>
      h.fake.answeredCallbacks().find((a) => a.callback_query_id === press.callback_query?.id),
    );
    expect(answer?.text).toContain('approve it in the dashboard with your passkey');
    expect(answer?.show_alert).toBe(true);
    const still = await call(h.relay.url, `/api/v1/permissions/${created.body.id}`, { token: h.apiKey });
    expect(still.body.status).toBe('pending_approval');
    // Deny still works from Telegram.
    h.fake.pressButton(alice, message, `d:${created.body.id}`);
    const edited = await h.messageWhen(created.body.id, (m) => m.reply_markup === undefined);
    expect(edited.text).toMatch(/Denied by .* via Telegram/);
  });

  it('approve wakes the waiting agent and the message shows who approved, through Telegram, without buttons', async () => {
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    const started = Date.now();
    const waiting = call(h.relay.url, `/api/v1/otp/${id}?wait=25`, { token: h.apiKey });
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the long-poll subscribe first
    const press = h.fake.pressButton(alice, message, `a:${id}`);
    const woke = await waiting;
    expect(woke.status).toBe(200);
    expect(woke.body.status).toBe('approved');
    expect(Date.now() - started).toBeLessThan(10_000); // woken, not timed out
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toMatch(
      /Approved by owner@localhost \(Telegram @alice\) via Telegram at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/,
    );
    expect(edited.text.startsWith('✅')).toBe(true);
    const answer = await h.fake.waitFor(() =>
      h.fake.answeredCallbacks().find((a) => a.callback_query_id === press.callback_query?.id),
    );
    expect(answer).toEqual({
      callback_query_id: press.callback_query?.id,
      text: '✅ Approved',
      show_alert: false,
    });
    expect(await auditActions(id)).toEqual(['otp.requested:api', 'otp.approved:telegram']);
  });

  it('deny wakes the waiting agent with denied', async () => {
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    const started = Date.now();
    const waiting = call(h.relay.url, `/api/v1/otp/${id}?wait=25`, { token: h.apiKey });
    await new Promise((resolve) => setTimeout(resolve, 200)); // let the long-poll subscribe first
    h.fake.pressButton(alice, message, `d:${id}`);
    expect((await waiting).body.status).toBe('denied');
    expect(Date.now() - started).toBeLessThan(10_000);
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toMatch(/Denied by owner@localhost \(Telegram @alice\) via Telegram at/);
    expect(edited.text.startsWith('❌')).toBe(true);
  });

  it('markup in a reason or sender can neither break nor forge the message', async () => {
    const reason = 'Pay <b>now</b> </code> & <a href="https://evil.example/">✅ Approve</a> <i>';
    const sender = '</code><b>Acme</b>';
    const id = await h.createRequest({ reason, expectedSender: sender });
    const message = await h.messageAbout(id);
    // The text shows the values exactly as typed…
    expect(message.text).toContain(`Reason: ${reason}`);
    expect(message.text).toContain(`Expected sender: ${sender}`);
    // …and no entity starts inside them except Telegram's own visible-URL detection.
    for (const value of [reason, sender]) {
      const start = message.text.indexOf(value);
      const end = start + value.length;
      const inside = (message.entities ?? []).filter(
        (e) => e.offset < end && e.offset + e.length > start && e.type !== 'url' && e.type !== 'code',
      );
      expect(inside).toEqual([]);
    }
    // The sender's field is one code span, exactly the value (the plain-language line above
    // names it too, as escaped text).
    expect(message.text).toContain(`• the agent expects it from ${sender}`);
    const senderStart = message.text.indexOf(`Expected sender: ${sender}`) + 'Expected sender: '.length;
    expect(message.entities).toContainEqual({ type: 'code', offset: senderStart, length: sender.length });
    expect(message.entities?.some((e) => e.type === 'text_link')).toBe(false);
    expect(message.reply_markup?.inline_keyboard.flat().map((b) => b.callback_data)).toEqual([
      `a:${id}`,
      `d:${id}`,
      `p:${id}`,
    ]);
    // The edit after a decision escapes the same way.
    h.fake.pressButton(alice, message, `d:${id}`);
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toContain(`Reason: ${reason}`);
    expect(edited.entities?.some((e) => e.type === 'text_link')).toBe(false);
  });

  it('a press from a Telegram user not linked to the owner is refused politely and changes nothing', async () => {
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    const press = h.fake.pressButton(mallory, message, `a:${id}`);
    const answer = await h.fake.waitFor(() =>
      h.fake.answeredCallbacks().find((a) => a.callback_query_id === press.callback_query?.id),
    );
    expect(answer.text).toMatch(/^Sorry, you cannot decide on this request/);
    expect(answer.show_alert).toBe(true);
    expect(await status(id)).toBe('pending_approval');
    const current = (await h.messageAbout(id)).history;
    expect(current).toHaveLength(1);
    expect(await auditActions(id)).toEqual(['otp.requested:api']);
    // A forged press on another request id, or garbage data, is refused the same way.
    const forged = h.fake.pressButton(mallory, message, 'a:otp_01ARZ3NDEKTSV4RRFFQ69G5FAV', {
      allowMissingButton: true,
    });
    const garbage = h.fake.pressButton(alice, message, 'x:<b>', { allowMissingButton: true });
    const answers = await h.fake.waitFor(() => {
      const all = h.fake.answeredCallbacks();
      const a = all.find((x) => x.callback_query_id === forged.callback_query?.id);
      const b = all.find((x) => x.callback_query_id === garbage.callback_query?.id);
      return a && b ? [a, b] : undefined;
    });
    expect(answers[0]?.text).toMatch(/^Sorry/);
    expect(answers[1]?.text).toBe('This button is not valid any more.');
    expect(await status(id)).toBe('pending_approval');
  });

  it('a second press after a decision changes nothing and answers with the current outcome', async () => {
    const id = await h.createRequest();
    const message = await h.messageAbout(id);
    h.fake.pressButton(alice, message, `a:${id}`);
    const decided = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    const edits = decided.history.length;
    // A stale client still shows the buttons; the user taps Deny.
    const late = h.fake.pressButton(alice, message, `d:${id}`, { allowMissingButton: true });
    const answer = await h.fake.waitFor(() =>
      h.fake.answeredCallbacks().find((a) => a.callback_query_id === late.callback_query?.id),
    );
    expect(answer.text).toMatch(/^Already approved by owner@localhost \(Telegram @alice\) via telegram at/);
    expect(await status(id)).toBe('approved');
    expect((await h.messageAbout(id)).history).toHaveLength(edits);
    expect(await auditActions(id)).toEqual(['otp.requested:api', 'otp.approved:telegram']);
  });

  it('a decision made through the owner API (the CLI) edits the Telegram message', async () => {
    const id = await h.createRequest();
    await h.messageAbout(id);
    const res = await h.relay.ownerFetch(`/api/v1/requests/${id}/deny`, { method: 'POST' });
    expect(res.status).toBe(200);
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toMatch(/Denied by owner@localhost via the CLI at/);
    // Pressing the stale button afterwards is answered with that outcome.
    const late = h.fake.pressButton(alice, edited, `a:${id}`, { allowMissingButton: true });
    const answer = await h.fake.waitFor(() =>
      h.fake.answeredCallbacks().find((a) => a.callback_query_id === late.callback_query?.id),
    );
    expect(answer.text).toMatch(/^Already denied by owner@localhost via cli at/);
    expect(await status(id)).toBe('denied');
  });

  it('expiry and cancellation edit the message and remove the buttons', async () => {
    const expiring = await h.createRequest();
    const cancelled = await h.createRequest();
    await h.messageAbout(expiring);
    await h.messageAbout(cancelled);
    // Move the deadline into the past; the relay's own sweeper expires it and tells the bot.
    await h.relay.ctx.database.db
      .updateTable('otp_requests')
      .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
      .where('id', '=', expiring)
      .execute();
    const expired = await h.messageWhen(expiring, (m) => m.reply_markup === undefined);
    expect(expired.text).toMatch(/Expired at .* UTC without a decision/);
    expect(expired.text.startsWith('⌛')).toBe(true);

    const res = await call(h.relay.url, `/api/v1/otp/${cancelled}`, { method: 'DELETE', token: h.apiKey });
    expect(res.status).toBeLessThan(300);
    const gone = await h.messageWhen(cancelled, (m) => m.reply_markup === undefined);
    expect(gone.text).toContain(
      'Cancelled: withdrawn by the agent, ended by you (cancel or revoke), or the agent was revoked.',
    );
    expect(gone.text.startsWith('🚫')).toBe(true);
  });

  it('follows up quietly when the approved code arrives and is consumed', async () => {
    // A sender no other (older, still open) request of this suite matches.
    const id = await h.createRequest({ filter: { sources: ['email'], senderPattern: '*@followup.example' } });
    const message = await h.messageAbout(id);
    h.fake.pressButton(alice, message, `a:${id}`);
    await h.messageWhen(id, (m) => m.reply_markup === undefined);
    const captured = await h.relay.ownerFetch('/api/v1/owner/capture', {
      method: 'POST',
      body: JSON.stringify({
        source: 'email',
        from: 'Follow-up <noreply@followup.example>',
        subject: 'Your code',
        text: 'Your Acme verification code is 581234.',
      }),
    });
    expect(captured.status).toBe(200);
    const delivered = await h.messageWhen(id, (m) => m.text.includes('The code arrived'));
    expect(delivered.text).not.toContain('581234');
    expect(delivered.text).toContain('Approved by');
    const consumed = await call(h.relay.url, `/api/v1/otp/${id}/consume`, {
      method: 'POST',
      token: h.apiKey,
    });
    expect(consumed.status).toBe(200);
    const read = await h.messageWhen(id, (m) => m.text.includes('The agent has read the code'));
    expect(read.text).not.toContain('581234');
    // Edits never notify; only the first message about a request did (it was a send).
    expect(h.fake.calls('sendMessage').filter((c) => String(c.body.text).includes(id))).toHaveLength(1);
  });

  it('revoking an agent edits the message of its open request and removes the buttons (issue 9 item 8)', async () => {
    const agent = await h.relay.createAgent({ name: 'revoked-bot' });
    const created = await call(h.relay.url, '/api/v1/otp', {
      token: agent.apiKey,
      json: { reason: 'Sign in', publicKey: (await agentKeyPair()).publicKey },
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    await h.messageAbout(id);
    const revoked = await h.relay.ownerFetch(`/api/v1/agents/${agent.id}/revoke`, { method: 'POST' });
    expect(revoked.status).toBe(200);
    const edited = await h.messageWhen(id, (m) => m.reply_markup === undefined);
    expect(edited.text).toContain('the agent was revoked');
    expect(edited.text.startsWith('🚫')).toBe(true);
  });
});
