import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { type FakeBotApi, startFakeBotApi } from '../../telegram/test/support/fake-bot-api.js';
import { alice } from '../../telegram/test/support/relay-with-bot.js';
import { type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// Issue 16: a mailbox failing for longer than MAILBOX_FAILING_NOTICE_MINUTES tells its owner
// once per failure episode: one Telegram message to the owner's linked chat (through the Bot
// API stand-in that speaks the real wire format) and a notice the dashboard shows; recovery
// clears the notice. Real dovecot refuses the wrong password.

/** 0.01 minutes: 600 ms, so a test can cross the threshold. */
const NOTICE_MINUTES = '0.01';

describeWithService('dovecot', dovecotAvailable(), () => {
  let box: DovecotServer;
  let fake: FakeBotApi;
  let relay: TestRelay;

  beforeAll(async () => {
    box = await startDovecot();
    fake = await startFakeBotApi({ knownChats: [alice], botUsername: 'agent_otp_test_bot' });
    relay = await startTestRelay('sqlite', {
      env: {
        TELEGRAM_BOT_TOKEN: fake.token,
        TELEGRAM_API_ROOT: fake.url,
        // Links Alice's chat to the default owner, who connects the mailbox below.
        TELEGRAM_ADMIN_ID: String(alice.id),
        // dovecot runs on loopback.
        MAILBOX_ALLOW_PRIVATE: 'true',
        MAILBOX_FAILING_NOTICE_MINUTES: NOTICE_MINUTES,
      },
    });
    await relay.server.services.telegram?.ready;
  });
  afterAll(async () => {
    await relay?.stop();
    await fake?.close();
    await box?.close();
  });

  const notices = async () => {
    const res = await call(relay.url, '/api/v1/mailboxes/notices', { token: relay.ownerToken });
    expect(res.status).toBe(200);
    return res.body.notices as Array<{
      mailboxId: string;
      state: string;
      lastError: string;
      message: string;
    }>;
  };
  const failingNotices = () =>
    fake
      .calls('sendMessage')
      .filter((c) => String(c.body.text).startsWith('Mailbox Work mail has been failing'));

  it('tells the owner once in Telegram, shows the notice, and clears it on recovery', async () => {
    const added = await call(relay.url, '/api/v1/mailboxes', {
      token: relay.ownerToken,
      json: {
        kind: 'imap',
        name: 'Work mail',
        settings: { host: box.host, port: box.port, tls: 'none', login: box.user },
        password: `wrong-${box.password}`,
      },
    });
    expect(added.status).toBe(201);
    // A refused login is `failing` at once; the notice follows once the threshold has passed.
    await eventually(async () => {
      const res = await call(relay.url, `/api/v1/mailboxes/${added.body.id}`, { token: relay.ownerToken });
      return res.body.health.state === 'failing';
    }, 15_000);

    const message = await fake.waitFor(
      () => fake.messages(alice.id).find((m) => m.text.startsWith('Mailbox ')),
      15_000,
    );
    expect(message.text).toMatch(
      /^Mailbox Work mail has been failing since \d{4}-\d\d-\d\d \d\d:\d\d UTC: IMAP login failed \(check the user and password\)$/,
    );
    const [notice] = await eventually(async () => {
      const current = await notices();
      return current.length > 0 ? current : undefined;
    }, 15_000);
    expect(notice).toMatchObject({
      mailboxId: added.body.id,
      state: 'failing',
      lastError: 'IMAP login failed (check the user and password)',
    });
    expect(notice?.message).toMatch(/^Mailbox Work mail has been failing since .* UTC: IMAP login failed/);
    expect(JSON.stringify(notice)).not.toContain(box.password);

    // The connector keeps retrying (several more failing writes): still one message per episode.
    const attemptsNow = (
      await call(relay.url, `/api/v1/mailboxes/${added.body.id}`, { token: relay.ownerToken })
    ).body.health.reconnectAttempts as number;
    await eventually(async () => {
      const res = await call(relay.url, `/api/v1/mailboxes/${added.body.id}`, { token: relay.ownerToken });
      return res.body.health.reconnectAttempts >= attemptsNow + 2;
    }, 20_000);
    expect(failingNotices()).toHaveLength(1);

    // The right password: the connector restarts, connects, and the notice is gone.
    const fixed = await call(relay.url, `/api/v1/mailboxes/${added.body.id}`, {
      method: 'PATCH',
      token: relay.ownerToken,
      json: { password: box.password },
    });
    expect(fixed.status).toBe(200);
    await eventually(async () => {
      const res = await call(relay.url, `/api/v1/mailboxes/${added.body.id}`, { token: relay.ownerToken });
      return res.body.health.state === 'idle';
    }, 15_000);
    expect(await notices()).toEqual([]);
    expect(failingNotices()).toHaveLength(1);
  });
});
