// Issue 15 "Email, as the seeds promise": with SMTP configured, the owner gets one email per
// pending request with the card's facts and one-time, signed, expiring approve/deny links
// that open a confirmation page (a bare GET decides nothing). Real relay, real nodemailer
// client, a real SMTP server (smtp-server) on loopback; both dialects.
import { createOwnerAccount, getDecisionSubject, listAuditEvents, type Owner } from '@agent-otp/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentKeyPair, call, eventually } from '../../../test-support/http.js';
import { startTestRelay, type TestRelay } from '../../../test-support/relay.js';
import { describeEachDialect } from '../../../test-support/services.js';
import { type ReceivedMail, type SmtpStandIn, startSmtpStandIn } from '../../../test-support/smtp-server.js';
import { decisionLinkKey, signDecisionLink } from '../src/email-notifications/decision-link-token.js';

const FROM = 'Agent OTP <otp@relay.example>';
const PASSWORD = 'correct horse battery staple';

/** The path of a link in the email (`/email-decision/<token>`), whatever PUBLIC_URL the relay has. */
function linkPath(text: string, label: 'Approve' | 'Deny'): string {
  const match = text.match(new RegExp(`^${label} \\(opens a page where you confirm\\):\\n(\\S+)$`, 'm'));
  if (!match?.[1]) throw new Error(`no ${label} link in:\n${text}`);
  return new URL(match[1]).pathname;
}

const tokenOf = (path: string) => path.slice('/email-decision/'.length);

describeEachDialect('owner notification email', (dialect) => {
  let smtp: SmtpStandIn;
  let relay: TestRelay;
  let alice: Owner;
  let bob: Owner;
  let aliceKey: string;
  let bobKey: string;
  let publicKey: string;
  const tokens: string[] = [];

  beforeAll(async () => {
    smtp = await startSmtpStandIn();
    relay = await startTestRelay(dialect, { env: { SMTP_URL: smtp.url, SMTP_FROM: FROM } });
    // The first account claims the passwordless default owner; the second is a new owner.
    alice = (
      await createOwnerAccount(relay.ctx, {
        email: 'alice@example.com',
        password: PASSWORD,
        channel: 'dashboard',
      })
    ).owner;
    bob = (
      await createOwnerAccount(relay.ctx, {
        email: 'bob@example.com',
        password: PASSWORD,
        channel: 'dashboard',
      })
    ).owner;
    aliceKey = (await relay.createAgent({ name: 'alice-agent', ownerId: alice.id })).apiKey;
    bobKey = (await relay.createAgent({ name: 'bob-agent', ownerId: bob.id })).apiKey;
    ({ publicKey } = await agentKeyPair());
  });
  afterAll(async () => {
    await relay?.stop();
    await smtp?.close();
  });

  async function createOtp(apiKey: string, reason = 'Sign up at Acme'): Promise<string> {
    const created = await call(relay.url, '/api/v1/otp', { token: apiKey, json: { reason, publicKey } });
    expect(created.status).toBe(201);
    return created.body.id;
  }

  /** The one email about a request (found by its dashboard link), once it arrived. */
  async function mailAbout(id: string): Promise<ReceivedMail> {
    const mail = await eventually(async () =>
      smtp.received.find((m) => m.mail.text?.includes(`/approvals/${id}`)),
    );
    for (const path of [...(mail.mail.text ?? '').matchAll(/\/email-decision\/(\S+)/g)])
      tokens.push(path[1] ?? '');
    return mail;
  }

  const statusOf = async (ownerId: string, id: string) =>
    (await getDecisionSubject(relay.ctx, ownerId, id))?.status;

  const confirm = (token: string, headers: Record<string, string> = {}) =>
    fetch(`${relay.url}/email-decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams({ token }).toString(),
    });

  it('sends one email to the owner with the card facts, escaped, and no code', async () => {
    const id = await createOtp(aliceKey, 'Sign up at <b>Acme</b> & "friends"');
    const { from, to, mail } = await mailAbout(id);
    expect(from).toBe('otp@relay.example');
    expect(to).toEqual(['alice@example.com']);
    expect(mail.subject).toContain('alice-agent requests a verification code');
    const text = mail.text ?? '';
    expect(text).toContain('Reason: Sign up at <b>Acme</b> & "friends"');
    expect(text).toContain('Agent key fingerprint: ');
    const subject = await getDecisionSubject(relay.ctx, alice.id, id);
    // The same plain-language lines as the dashboard card and Telegram (issue 15).
    for (const line of subject?.summary ?? ['(no summary)']) expect(text).toContain(`  - ${line}`);
    expect(text).toMatch(/Key: [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} [0-9A-F]{4} \(/);
    expect(text).toContain(`Expires: ${subject?.expiresAt}`);
    const risk = subject?.risk;
    if (!risk) throw new Error('every new request is assessed for risk');
    expect(text).toContain({ low: 'Low risk', elevated: 'Elevated risk', high: 'High risk' }[risk.level]);
    for (const reason of risk.reasons) expect(text).toContain(reason.text);
    const html = String(mail.html);
    expect(html).toContain('Sign up at &lt;b&gt;Acme&lt;/b&gt; &amp; &quot;friends&quot;');
    expect(html).not.toContain('<b>Acme');
    expect(linkPath(text, 'Approve')).toMatch(/^\/email-decision\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(linkPath(text, 'Deny')).not.toBe(linkPath(text, 'Approve'));
    // One email, not one per event or per reconcile.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.received.filter((m) => m.mail.text?.includes(`/approvals/${id}`))).toHaveLength(1);
  });

  it('opens a confirmation page on GET without deciding; the POST approves and the waiting agent goes on', async () => {
    const id = await createOtp(aliceKey);
    const approve = linkPath((await mailAbout(id)).mail.text ?? '', 'Approve');

    const page = await fetch(`${relay.url}${approve}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(page.headers.get('cache-control')).toBe('no-store');
    const body = await page.text();
    expect(body).toContain('<form method="post" action="/email-decision">');
    expect(body).toContain(`value="${tokenOf(approve)}"`);
    // Link scanners fetch links (some twice): still pending.
    await fetch(`${relay.url}${approve}`);
    expect(await statusOf(alice.id, id)).toBe('pending_approval');

    const waiting = call(relay.url, `/api/v1/otp/${id}?wait=20`, { token: aliceKey });
    const decided = await confirm(tokenOf(approve), { origin: new URL(relay.url).origin });
    expect(decided.status).toBe(200);
    expect(await decided.text()).toContain('Approved');
    expect((await waiting).body.status).toBe('approved');
    const subject = await getDecisionSubject(relay.ctx, alice.id, id);
    expect(subject?.decision).toMatchObject({ outcome: 'approved', channel: 'email' });
    const { events } = await listAuditEvents(relay.ctx, {
      ownerId: alice.id,
      limit: 50,
      action: 'otp.approved',
    });
    expect(events.find((event) => event.targetId === id)).toMatchObject({ channel: 'email' });
  });

  it('spends a link with its decision: no reuse, and the other outcome cannot follow', async () => {
    const id = await createOtp(aliceKey);
    const text = (await mailAbout(id)).mail.text ?? '';
    const deny = tokenOf(linkPath(text, 'Deny'));
    const approve = tokenOf(linkPath(text, 'Approve'));
    expect((await confirm(deny)).status).toBe(200);
    const again = await confirm(deny);
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('no longer waiting');
    expect((await confirm(approve)).status).toBe(409);
    expect((await fetch(`${relay.url}/email-decision/${approve}`)).status).toBe(409);
    expect(await statusOf(alice.id, id)).toBe('denied');
  });

  it('refuses tampered, forged and expired tokens, and tokens moved to another request', async () => {
    const first = await createOtp(aliceKey);
    const second = await createOtp(aliceKey);
    const approve = tokenOf(linkPath((await mailAbout(first)).mail.text ?? '', 'Approve'));
    await mailAbout(second);
    const [payload = '', mac = ''] = approve.split('.');
    const claims = Buffer.from(payload, 'base64url').toString();
    const moved = `${Buffer.from(claims.replace(first, second)).toString('base64url')}.${mac}`;
    const flipped = `${payload}.${mac.startsWith('A') ? `B${mac.slice(1)}` : `A${mac.slice(1)}`}`;
    const denyClaims = `${Buffer.from(claims.replace('.a.', '.d.')).toString('base64url')}.${mac}`;
    for (const token of [moved, flipped, denyClaims, 'not-a-token', `${payload}.`]) {
      expect((await confirm(token)).status).toBe(404);
      expect((await fetch(`${relay.url}/email-decision/${token}`)).status).toBe(404);
    }
    // A genuine signature whose expiry has passed.
    const key = decisionLinkKey(relay.ctx.auditKey.secret);
    const expired = signDecisionLink(key, {
      requestId: second,
      ownerId: alice.id,
      outcome: 'approved',
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    const expiredPage = await fetch(`${relay.url}/email-decision/${expired}`);
    expect(expiredPage.status).toBe(410);
    expect(await expiredPage.text()).toContain('This link has expired');
    expect((await confirm(expired)).status).toBe(410);
    // A signature made with another key.
    const foreign = signDecisionLink(decisionLinkKey(Buffer.alloc(32, 7)), {
      requestId: second,
      ownerId: alice.id,
      outcome: 'approved',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    });
    expect((await confirm(foreign)).status).toBe(404);
    expect(await statusOf(alice.id, first)).toBe('pending_approval');
    expect(await statusOf(alice.id, second)).toBe('pending_approval');
  });

  it("keeps owners apart: Bob's link cannot touch Alice's request", async () => {
    const alices = await createOtp(aliceKey);
    const bobs = await createOtp(bobKey);
    const bobMail = await mailAbout(bobs);
    expect(bobMail.to).toEqual(['bob@example.com']);
    await mailAbout(alices);
    const bobApprove = tokenOf(linkPath(bobMail.mail.text ?? '', 'Approve'));
    const [payload = '', mac = ''] = bobApprove.split('.');
    const retargeted = `${Buffer.from(Buffer.from(payload, 'base64url').toString().replace(bobs, alices)).toString('base64url')}.${mac}`;
    expect((await confirm(retargeted)).status).toBe(404);
    // Even a correctly signed link naming Bob and Alice's request finds nothing: lookups are per owner.
    const key = decisionLinkKey(relay.ctx.auditKey.secret);
    const crossed = signDecisionLink(key, {
      requestId: alices,
      ownerId: bob.id,
      outcome: 'approved',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    });
    expect((await confirm(crossed)).status).toBe(404);
    expect(await statusOf(alice.id, alices)).toBe('pending_approval');
    expect((await confirm(bobApprove)).status).toBe(200);
    expect(await statusOf(bob.id, bobs)).toBe('approved');
  });

  it('refuses a confirmation POST sent from another site', async () => {
    const id = await createOtp(aliceKey);
    const approve = tokenOf(linkPath((await mailAbout(id)).mail.text ?? '', 'Approve'));
    expect((await confirm(approve, { origin: 'https://evil.example' })).status).toBe(403);
    expect((await confirm(approve, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    const notAForm = await fetch(`${relay.url}/email-decision`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: approve }),
    });
    expect(notAForm.status).toBe(400);
    expect(await statusOf(alice.id, id)).toBe('pending_approval');
  });

  it('sends only a dashboard link for a high-risk request, and refuses to decide it by link', async () => {
    const created = await call(relay.url, '/api/v1/permissions/request', {
      token: aliceKey,
      json: { action: 'db.drop_table', resource: 'postgres://prod/users', scope: {} },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    expect((await getDecisionSubject(relay.ctx, alice.id, id))?.risk?.level).toBe('high');
    const { mail } = await mailAbout(id);
    expect(mail.subject).toContain('[High risk]');
    expect(mail.text).toContain('This request is high risk: decide it in the dashboard.');
    expect(mail.text).not.toContain('/email-decision/');
    const key = decisionLinkKey(relay.ctx.auditKey.secret);
    const token = signDecisionLink(key, {
      requestId: id,
      ownerId: alice.id,
      outcome: 'approved',
      expiresAt: Math.floor(Date.now() / 1000) + 300,
    });
    const page = await fetch(`${relay.url}/email-decision/${token}`);
    expect(page.status).toBe(403);
    expect(await page.text()).toContain(`/approvals/${id}`);
    expect((await confirm(token)).status).toBe(403);
    expect(await statusOf(alice.id, id)).toBe('pending_approval');
  });

  it('writes no link token to the logs', async () => {
    expect(tokens.length).toBeGreaterThan(5);
    const logs = relay.logs.join('\n');
    for (const token of tokens) expect(logs).not.toContain(token);
    expect(logs).toContain('/email-decision/…');
    expect(logs).toContain('email: notification sent');
    expect(logs).not.toContain('smtp-secret-9f2c');
  });
});

describe('owner notification email with the SMTP server down', () => {
  let relay: TestRelay;

  beforeAll(async () => {
    // A port nothing listens on: every attempt is refused at once.
    const smtp = await startSmtpStandIn();
    const url = smtp.url;
    await smtp.close();
    relay = await startTestRelay('sqlite', { env: { SMTP_URL: url, SMTP_FROM: FROM } });
  });
  afterAll(() => relay?.stop());

  it('leaves the request path as it was and logs the failure without the link', async () => {
    const { apiKey } = await relay.createAgent({ name: 'offline-agent' });
    const { publicKey } = await agentKeyPair();
    const created = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: { reason: 'Sign in', publicKey },
    });
    expect(created.status).toBe(201);
    const id: string = created.body.id;
    const line = await eventually(async () =>
      relay.logs.find((l) => l.includes('could not send a notification')),
    );
    expect(JSON.parse(line)).toMatchObject({ requestId: id, attempt: 1, err: { failure: 'ESOCKET' } });
    expect(line).not.toContain('/email-decision/');
    expect(line).not.toContain('smtp-secret-9f2c');
    // The relay goes on: the owner can still decide, and the agent sees it.
    const approved = await relay.ownerFetch(`/api/v1/approvals/${id}/approve`, { method: 'POST' });
    expect(approved.status).toBe(200);
    expect((await call(relay.url, `/api/v1/otp/${id}`, { token: apiKey })).body.status).toBe('approved');
  });
});
