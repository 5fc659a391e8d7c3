import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOwnerAccount, createOwnerToken } from '@agent-otp/core';
import { SQLITE_DATABASE_FILE } from '@agent-otp/db';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { type AgentRequest, openEmailRequest, statusOf, waitForCode } from './support/agent.js';
import { buildMessage, type DovecotServer, dovecotAvailable, startDovecot } from './support/dovecot.js';
import { describeWithService } from './support/require-service.js';

// Issue 16: mailboxes connected by their owners through the API, run without a restart,
// each as its own capture source, against real dovecot servers on loopback.

let serial = 0;
/** A code that cannot occur by accident in ids, hashes or ciphertext. */
function code(): string {
  serial += 1;
  return String(83_000_000 + serial * 7_919 + Math.floor(Math.random() * 997)).slice(0, 8);
}
const mail = (from: string, otp: string) =>
  buildMessage({
    from,
    subject: 'Your sign-in code',
    text: `Your verification code is ${otp}. It expires in 10 minutes.`,
  });

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';

describeWithService('dovecot', dovecotAvailable(), () => {
  describeEachDialect('mailboxes connected by owners', (dialect) => {
    let relay: TestRelay;
    let boxA: DovecotServer;
    let boxB: DovecotServer;
    let tokenA: string;
    let tokenB: string;
    let agentA: string;
    let agentB: string;
    /** Every response body the tests received, scanned for passwords at the end. */
    const bodies: string[] = [];
    const api = async (token: string, path: string, options: { method?: string; json?: unknown } = {}) => {
      const res = await call(relay.url, `/api/v1/mailboxes${path}`, { token, ...options });
      bodies.push(JSON.stringify(res.body ?? ''));
      return res;
    };
    const imapBody = (box: DovecotServer, name: string) => ({
      kind: 'imap',
      name,
      settings: { host: box.host, port: box.port, tls: 'none', login: box.user },
      password: box.password,
    });
    /** Owner B's approval (the helper approves as the relay's default owner). */
    const openAsB = async (senderPattern: string): Promise<AgentRequest> => {
      const request = await openEmailRequest(relay, agentB, senderPattern, { approve: false });
      const res = await call(relay.url, `/api/v1/requests/${request.id}/approve`, {
        method: 'POST',
        token: tokenB,
      });
      expect(res.status).toBe(200);
      return request;
    };

    beforeAll(async () => {
      [boxA, boxB] = await Promise.all([startDovecot(), startDovecot()]);
      relay = await startTestRelay(dialect, {
        // dovecot runs on loopback, which owners' mailboxes may reach only when allowed.
        env: { METRICS_ENABLED: 'true', METRICS_TOKEN, MAILBOX_ALLOW_PRIVATE: 'true' },
      });
      const { owner: ownerA } = await createOwnerAccount(relay.ctx, {
        email: 'alice@example.test',
        password: 'correct horse battery staple A',
        channel: 'cli',
      });
      const { owner: ownerB } = await createOwnerAccount(relay.ctx, {
        email: 'bob@example.test',
        password: 'correct horse battery staple B',
        channel: 'cli',
      });
      expect(ownerA.id).not.toBe(ownerB.id);
      tokenA = await createOwnerToken(relay.ctx, ownerA.id, 3600);
      tokenB = await createOwnerToken(relay.ctx, ownerB.id, 3600);
      ({ apiKey: agentA } = await relay.createAgent({ name: 'agent-a', ownerId: ownerA.id }));
      ({ apiKey: agentB } = await relay.createAgent({ name: 'agent-b', ownerId: ownerB.id }));
    });
    afterAll(async () => {
      await relay?.stop();
      await Promise.all([boxA?.close(), boxB?.close()]);
    });

    const openAsA = async (senderPattern: string): Promise<AgentRequest> => {
      const request = await openEmailRequest(relay, agentA, senderPattern, { approve: false });
      const res = await call(relay.url, `/api/v1/requests/${request.id}/approve`, {
        method: 'POST',
        token: tokenA,
      });
      expect(res.status).toBe(200);
      return request;
    };

    it('an owner adds a mailbox through the API and a matching mail reaches the waiting agent, no restart', async () => {
      const added = await api(tokenA, '', { json: imapBody(boxA, 'Alice mail') });
      expect(added.status).toBe(201);
      expect(added.body).toMatchObject({ kind: 'imap', name: 'Alice mail', hasCredential: true });
      expect(added.body.settings).toEqual({
        host: boxA.host,
        port: boxA.port,
        tls: 'none',
        login: boxA.user,
        folder: 'INBOX',
      });
      const request = await openAsA('*@alice-shop.test');
      const otp = code();
      const waiting = waitForCode(relay, request);
      await boxA.appendMessage(mail('no-reply@alice-shop.test', otp));
      expect(await waiting).toBe(otp);
      // The health the instance running it wrote.
      await eventually(async () => {
        const listed = await api(tokenA, '');
        const health = listed.body.mailboxes[0].health;
        return (
          health.state === 'idle' && health.lastMessageAt !== null && typeof health.runningOn === 'string'
        );
      }, 15_000);
      // /metrics counts mailboxes by state, with no owner or mailbox id in the labels.
      const metrics = await (
        await fetch(`${relay.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text();
      expect(metrics).toContain('agent_otp_mailboxes{state="idle"} 1');
      expect(metrics).toContain('agent_otp_mailboxes{state="failing"} 0');
      expect(metrics).not.toContain(added.body.id);
    });

    it('each owner’s codes reach only that owner’s agents', async () => {
      const added = await api(tokenB, '', { json: imapBody(boxB, 'Bob mail') });
      expect(added.status).toBe(201);
      // Both agents wait for the same sender; each mailbox serves only its owner.
      const forA = await openAsA('*@both-shop.test');
      const forB = await openAsB('*@both-shop.test');
      const codeA = code();
      const codeB = code();
      await boxB.appendMessage(mail('no-reply@both-shop.test', codeB));
      expect(await waitForCode(relay, forB)).toBe(codeB);
      expect(await statusOf(relay, forA)).toBe('approved');
      await boxA.appendMessage(mail('no-reply@both-shop.test', codeA));
      expect(await waitForCode(relay, forA)).toBe(codeA);
    });

    it('owner B cannot read, test, edit or delete owner A’s mailbox (404, like an unknown id)', async () => {
      const [mailboxA] = (await api(tokenA, '')).body.mailboxes;
      const listedByB = await api(tokenB, '');
      expect(listedByB.body.mailboxes.map((m: { id: string }) => m.id)).not.toContain(mailboxA.id);
      for (const [method, path, json] of [
        ['GET', `/${mailboxA.id}`, undefined],
        ['POST', `/${mailboxA.id}/test`, undefined],
        ['PATCH', `/${mailboxA.id}`, { name: 'taken over' }],
        ['DELETE', `/${mailboxA.id}`, undefined],
      ] as const) {
        const res = await api(tokenB, path, { method, ...(json ? { json } : {}) });
        expect(res.status, `${method} ${path}`).toBe(404);
        expect(res.body.error.message).toBe(`no mailbox ${mailboxA.id}`);
      }
      expect((await api(tokenA, `/${mailboxA.id}`)).body.name).toBe('Alice mail');
    });

    it('tests saved and unsaved settings step by step', async () => {
      const [mailboxA] = (await api(tokenA, '')).body.mailboxes;
      const saved = await api(tokenA, `/${mailboxA.id}/test`, { method: 'POST' });
      expect(saved.status).toBe(200);
      expect(saved.body.ok).toBe(true);
      expect(saved.body.steps.map((s: { step: string }) => s.step)).toEqual([
        'dns',
        'tcp',
        'tls',
        'login',
        'folder',
      ]);
      const wrong = await api(tokenA, '/test', {
        json: { kind: 'imap', settings: imapBody(boxA, 'x').settings, password: 'not-the-password' },
      });
      expect(wrong.status).toBe(200);
      expect(wrong.body.ok).toBe(false);
      expect(wrong.body.steps.at(-1).step).toBe('login');
    });

    it('refuses bad input with a message naming the field', async () => {
      const remote = await api(tokenA, '', {
        json: {
          ...imapBody(boxA, 'x'),
          settings: { host: 'imap.example.com', port: 143, tls: 'none', login: 'me' },
        },
      });
      expect(remote.status).toBe(400);
      expect(remote.body.error.message).toMatch(/tls.*only to a server on this machine/);
      const noPassword = await api(tokenA, '', {
        json: { kind: 'imap', name: 'x', settings: imapBody(boxA, 'x').settings },
      });
      expect(noPassword.status).toBe(400);
      expect(noPassword.body.error.message).toMatch(/password/);
      const badPort = await api(tokenA, '', {
        json: { ...imapBody(boxA, 'x'), settings: { ...imapBody(boxA, 'x').settings, port: 70000 } },
      });
      expect(badPort.status).toBe(400);
      expect(badPort.body.error.message).toMatch(/port/);
      const [mailboxA] = (await api(tokenA, '')).body.mailboxes;
      const remoteByPatch = await api(tokenA, `/${mailboxA.id}`, {
        method: 'PATCH',
        json: { settings: { host: 'imap.example.com' } },
      });
      expect(remoteByPatch.status).toBe(400);
      expect(remoteByPatch.body.error.message).toMatch(/settings\.tls/);
    });

    it('a new password through PATCH restarts the connector, which keeps capturing', async () => {
      const [mailboxA] = (await api(tokenA, '')).body.mailboxes;
      const edited = await api(tokenA, `/${mailboxA.id}`, {
        method: 'PATCH',
        json: { name: 'Alice main', password: boxA.password },
      });
      expect(edited.status).toBe(200);
      expect(edited.body.name).toBe('Alice main');
      const request = await openAsA('*@alice-again.test');
      const otp = code();
      await boxA.appendMessage(mail('no-reply@alice-again.test', otp));
      expect(await waitForCode(relay, request)).toBe(otp);
    });

    it('removing the mailbox stops its connector: a later mail is not captured', async () => {
      const [mailboxA] = (await api(tokenA, '')).body.mailboxes;
      const removed = await api(tokenA, `/${mailboxA.id}`, { method: 'DELETE' });
      expect(removed.status).toBe(204);
      expect((await api(tokenA, `/${mailboxA.id}`)).status).toBe(404);
      await eventually(
        async () =>
          relay.logs.some((line) => line.includes(mailboxA.id) && line.includes('mailbox connector stopped')),
        10_000,
      );
      const request = await openAsA('*@after-removal.test');
      await boxA.appendMessage(mail('no-reply@after-removal.test', code()));
      await new Promise((resolve) => setTimeout(resolve, 3000));
      expect(await statusOf(relay, request)).toBe('approved');
      const row = await relay.ctx.database.db
        .selectFrom('mailboxes')
        .select(['credential', 'removed_at'])
        .where('id', '=', mailboxA.id)
        .executeTakeFirstOrThrow();
      expect(row.credential).toBeNull();
      expect(row.removed_at).not.toBeNull();
    });

    it('keeps every mailbox password out of the database, the logs and every response', async () => {
      const passwords = [boxA.password, boxB.password];
      const rows = JSON.stringify(await relay.ctx.database.db.selectFrom('mailboxes').selectAll().execute());
      const audit = JSON.stringify(
        await relay.ctx.database.db.selectFrom('audit_events').selectAll().execute(),
      );
      const stored = [rows, audit, await relay.dumpDatabase()];
      if (dialect === 'sqlite') {
        // The file's own bytes (pages, free pages, WAL), not only what queries return.
        for (const file of [SQLITE_DATABASE_FILE, `${SQLITE_DATABASE_FILE}-wal`])
          try {
            stored.push(readFileSync(join(relay.dataDir, file)).toString('latin1'));
          } catch (error) {
            if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
          }
      }
      expect(rows).toContain('"credential":"v1.');
      for (const password of passwords) {
        for (const text of stored) expect(text).not.toContain(password);
        for (const line of relay.logs) expect(line).not.toContain(password);
        for (const body of bodies) expect(body).not.toContain(password);
      }
      expect(bodies.length).toBeGreaterThan(15);
    });
  });
});
