// The SDK passes `webhookUrl` through to the relay on both kinds of request, as the contract
// declares it, instead of refusing it (issue 11 §2). What the relay does with it (validation,
// signed deliveries) is tested with the relay's webhook outbox.
import { AgentOTPClient } from '@orrisai/agent-otp-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  json,
  OTP_ID,
  otpRequestBody,
  type ScriptedServer,
  startScriptedServer,
} from './support/scripted-server.js';

const WEBHOOK_URL = 'https://agent.example.com/hooks/agent-otp';
const PERMISSION_ID = 'prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N';

const permissionBody = {
  id: PERMISSION_ID,
  status: 'pending_approval',
  action: 'gmail.send',
  resource: 'email:client@example.com',
  scope: {},
  requestedScope: {},
  context: {},
  tokenIssued: false,
  usesRemaining: 1,
  approvalUrl: `http://127.0.0.1/approvals/${PERMISSION_ID}`,
  policy: null,
  decision: null,
  createdAt: '2026-01-30T12:00:00.000Z',
  expiresAt: '2026-01-30T12:05:00.000Z',
};

describe('webhookUrl on create requests (scripted HTTP stand-in)', () => {
  let server: ScriptedServer;
  let client: AgentOTPClient;

  beforeAll(async () => {
    server = await startScriptedServer();
    client = new AgentOTPClient({ apiKey: 'ak_live_scripted', baseUrl: server.url });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('requestOTP sends webhookUrl in the create body', async () => {
    server.script([json(201, otpRequestBody())]);
    const created = await client.requestOTP({
      reason: 'webhook',
      publicKey: 'MIIB',
      webhookUrl: WEBHOOK_URL,
    });
    expect(created.id).toBe(OTP_ID);
    expect(server.hits).toHaveLength(1);
    expect(server.hits[0]).toMatchObject({ method: 'POST', url: '/api/v1/otp' });
    expect(JSON.parse(server.hits[0]?.body ?? '')).toEqual({
      reason: 'webhook',
      publicKey: 'MIIB',
      webhookUrl: WEBHOOK_URL,
    });
  });

  it('requestPermission sends webhookUrl in the create body', async () => {
    server.script([json(201, permissionBody)]);
    const created = await client.requestPermission({
      action: 'gmail.send',
      resource: 'email:client@example.com',
      webhookUrl: WEBHOOK_URL,
    });
    expect(created.id).toBe(PERMISSION_ID);
    expect(server.hits[0]).toMatchObject({ method: 'POST', url: '/api/v1/permissions/request' });
    expect(JSON.parse(server.hits[0]?.body ?? '')).toEqual({
      action: 'gmail.send',
      resource: 'email:client@example.com',
      webhookUrl: WEBHOOK_URL,
    });
  });
});
