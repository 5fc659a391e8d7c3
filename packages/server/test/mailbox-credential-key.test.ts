// Issue 16: mailbox passwords are sealed with the credential key. Instances sharing a
// PostgreSQL database must share that key: one whose key does not open the stored
// passwords refuses to start, naming CREDENTIAL_KEY. On SQLite a password the key cannot
// open turns its mailbox `failing` with the reason, and the owner enters it again.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeWithService, postgresAvailable } from '../../../test-support/services.js';

/** A mailbox on a loopback port nobody listens on: enough to be stored and supervised. */
const mailbox = {
  kind: 'imap',
  name: 'sealed mail',
  settings: { host: '127.0.0.1', port: 9, tls: 'none', login: 'owner' },
  password: `pw-${randomBytes(9).toString('base64url')}`,
};
const otherKey = () => ({ CREDENTIAL_KEY: randomBytes(32).toString('hex') });

describeWithService('PostgreSQL', postgresAvailable(), 'credential key on PostgreSQL', () => {
  let relay: TestRelay;
  beforeAll(async () => {
    relay = await startTestRelay('postgres', { env: otherKey() });
    const added = await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken, json: mailbox });
    expect(added.status).toBe(201);
  });
  afterAll(() => relay.stop());

  it('refuses to start an instance whose key does not open the stored passwords, naming CREDENTIAL_KEY', async () => {
    await expect(startTestRelay('postgres', { shareWith: relay, env: otherKey() })).rejects.toThrow(
      /CREDENTIAL_KEY: the password of mailbox mbx_[0-9A-Z]{26} does not open with this instance's credential key/,
    );
  });
});

describe('credential key on SQLite', () => {
  let relay: TestRelay;
  let second: TestRelay | undefined;
  beforeAll(async () => {
    relay = await startTestRelay('sqlite');
  });
  afterAll(async () => {
    await second?.stop();
    await relay.stop();
  });

  it('shows a password the key cannot open as failing, with the reason in words', async () => {
    const added = await call(relay.url, '/api/v1/mailboxes', { token: relay.ownerToken, json: mailbox });
    expect(added.status).toBe(201);
    // The holder stops (releasing the lease); an instance with another key takes the mailbox.
    await relay.server.stop();
    second = await startTestRelay('sqlite', { shareWith: relay, env: otherKey() });
    const id = added.body.id as string;
    const health = await eventually(async () => {
      const res = await call((second as TestRelay).url, `/api/v1/mailboxes/${id}`, {
        token: (second as TestRelay).ownerToken,
      });
      return res.body.health.state === 'failing' ? res.body.health : undefined;
    }, 15_000);
    expect(health.lastError).toContain('does not open with this relay’s credential key (CREDENTIAL_KEY)');
    // A new password, sealed under this instance's key, clears it.
    const fixed = await call(second.url, `/api/v1/mailboxes/${id}`, {
      method: 'PATCH',
      token: second.ownerToken,
      json: { password: mailbox.password },
    });
    expect(fixed.status).toBe(200);
    await eventually(async () => {
      const res = await call((second as TestRelay).url, `/api/v1/mailboxes/${id}`, {
        token: (second as TestRelay).ownerToken,
      });
      return res.body.health.lastError !== null && !res.body.health.lastError.includes('credential key');
    }, 15_000);
  });
});
