import { OTP_TTL, PERMISSION_TTL } from '@orrisai/agent-otp-contract';
import { expect } from 'vitest';
import { agentKeyPair, call } from '../../../../test-support/http.js';
import type { TestRelay } from '../../../../test-support/relay.js';

/** What the seeded relay holds that a page check needs to reach. */
export interface RealisticData {
  lowRisk: string;
  highRisk: string;
  /** An approved permission whose token the agent has read. */
  decided: string;
  /** A denied permission, with the owner's reason. */
  denied: string;
  /** A fresh pending permission (for a check that decides one). */
  newPendingPermission(): Promise<string>;
}

const ok = async (response: Promise<Response>) => expect((await response).ok).toBe(true);

/**
 * Fills a relay (whose owner exists) with what every dashboard page shows when in use:
 * agents, sources, pending and decided requests of both kinds (one high risk), a message
 * held between two agents, one that held no clear code, a policy, and the audit rows all
 * of that writes. Each step is checked, so a page is never checked empty by accident.
 */
export async function seedRealisticData(relay: TestRelay): Promise<RealisticData> {
  const shopping = await relay.createAgent({ name: 'shopping-assistant' });
  const travel = await relay.createAgent({ name: 'travel-assistant' });
  const ops = await relay.createAgent({ name: 'ops-agent' });
  await relay.createSource('sms');
  await relay.createSource('email');
  const keys = await agentKeyPair();
  const askPermission = async (apiKey: string, json: object) => {
    // The longest life a request may have: a slow run must not find its pending cards expired.
    const asked = await call(relay.url, '/api/v1/permissions/request', {
      token: apiKey,
      json: { ...json, ttl: PERMISSION_TTL.max },
    });
    expect(asked.body.status).toBe('pending_approval');
    return asked.body.id as string;
  };
  const askApprovedCode = async (apiKey: string, reason: string, senderPattern: string) => {
    const asked = await call(relay.url, '/api/v1/otp', {
      token: apiKey,
      json: {
        reason,
        filter: { sources: ['email'], senderPattern },
        publicKey: keys.publicKey,
        ttl: OTP_TTL.max,
      },
    });
    await ok(relay.ownerFetch(`/api/v1/requests/${asked.body.id}/approve`, { method: 'POST' }));
  };

  // Pending: a code request and a low- and a high-risk permission.
  const pendingCode = await call(relay.url, '/api/v1/otp', {
    token: shopping.apiKey,
    json: {
      reason: 'Sign in to Acme',
      filter: { sources: ['sms'] },
      publicKey: keys.publicKey,
      ttl: OTP_TTL.max,
    },
  });
  expect(pendingCode.status).toBe(201);
  const lowRisk = await askPermission(ops.apiKey, {
    action: 'calendar.create',
    resource: 'calendar:primary',
    context: { reason: 'Team sync' },
  });
  const highRisk = await askPermission(ops.apiKey, {
    action: 'db.drop_table',
    resource: 'postgres://prod/users',
    context: { reason: 'Clean up' },
  });

  // Decided: an approved permission whose token the agent has read, and a denied one.
  const decided = await askPermission(shopping.apiKey, {
    action: 'gmail.send',
    resource: 'email:client@example.com',
    scope: { max_uses: 3 },
    context: { reason: 'November invoice' },
  });
  await ok(relay.ownerFetch(`/api/v1/approvals/${decided}/approve`, { method: 'POST' }));
  const read = await call(relay.url, `/api/v1/permissions/${decided}`, { token: shopping.apiKey });
  expect(read.body.token).toMatch(/^otp_/);
  const denied = await askPermission(travel.apiKey, {
    action: 'payments.refund',
    resource: 'order:1042',
    context: { reason: 'Customer asked' },
  });
  await ok(
    relay.ownerFetch(`/api/v1/approvals/${denied}/deny`, {
      method: 'POST',
      body: JSON.stringify({ reason: 'Refunds go through support' }),
    }),
  );

  // A message two approved code requests tie for is held; another holds no clear code.
  await askApprovedCode(shopping.apiKey, 'Sign in to the airline', '*@tie.example');
  await askApprovedCode(travel.apiKey, 'Sign in to the airline', '*@tie.example');
  const held = await relay.ownerFetch('/api/v1/owner/capture', {
    method: 'POST',
    body: JSON.stringify({ source: 'email', from: 'codes@tie.example', text: 'Your code is 604211.' }),
  });
  expect((await held.json()).heldMessageId).toMatch(/^hld_/);
  await askApprovedCode(ops.apiKey, 'Sign in to Acme billing', '*@acme.example');
  const unclear = await relay.ownerFetch('/api/v1/owner/capture', {
    method: 'POST',
    body: JSON.stringify({
      source: 'email',
      from: 'codes@acme.example',
      text: 'Acme account. Login: 48213907',
    }),
  });
  expect(await unclear.json()).toMatchObject({ matched: false, reason: 'no_code_found' });

  const policy = await relay.ownerFetch('/api/v1/policies', {
    method: 'POST',
    body: JSON.stringify({
      name: 'Calendar invites need me',
      action: 'require_approval',
      conditions: { action: { equals: 'calendar.create' } },
    }),
  });
  expect(policy.status).toBe(201);

  let asked = 0;
  return {
    lowRisk,
    highRisk,
    decided,
    denied,
    newPendingPermission: () =>
      askPermission(ops.apiKey, {
        action: 'docs.share',
        resource: `doc:roadmap-${++asked}`,
        context: { reason: 'Share the roadmap with the team' },
      }),
  };
}
