import type { OtpRequestRecord } from '@agent-otp/db';
import {
  AppError,
  CAPTURE_SOURCES,
  type CreateOtpRequestBody,
  encryptOtpPayload,
  OTP_TTL,
  type OtpRequest,
  PublicKeyError,
} from '@agent-otp/shared';
import type { AuthenticatedAgent } from '../agents/authenticate-api-key.js';
import { type Actor, agentActor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { newId } from '../ids.js';
import { insertRequest } from '../requests/insert-request.js';
import { OTP_REQUESTS } from '../requests/otp-requests.js';
import { assessOtpRisk } from '../risk/assess-new-request.js';
import { randomNumericCode } from '../secrets.js';
import { acceptWebhookUrl } from '../webhooks/accept-webhook-url.js';
import { type RelayAgentKey, relayAgentKey } from './agent-public-keys.js';
import { applyOtpPolicy, policyAuditDetails } from './apply-otp-policy.js';
import { toApiOtpRequest } from './otp-row.js';

/** Who decides test-key requests: nobody, they approve themselves. */
const TEST_KEY_ACTOR: Actor = { type: 'system', id: null, label: 'test-key', channel: 'system' };

/**
 * Creates an OTP request for an agent. Live keys wait for the owner's approval; test keys
 * are approved at once and receive a synthetic code, encrypted like a real one. An agent
 * holding OPEN_REQUESTS_PER_AGENT open requests gets RATE_LIMITED instead.
 *
 * @example
 * const request = await createOtpRequest(ctx, agent, { reason: 'Sign up at Acme', publicKey });
 */
export async function createOtpRequest(
  ctx: CoreContext,
  agent: AuthenticatedAgent,
  body: CreateOtpRequestBody,
): Promise<OtpRequest> {
  let key: RelayAgentKey;
  try {
    key = relayAgentKey(body.publicKey);
  } catch (error) {
    if (error instanceof PublicKeyError) throw new AppError('INVALID_PUBLIC_KEY', error.message);
    throw error;
  }
  const webhookUrl = await acceptWebhookUrl(ctx, agent.agentId, body.webhookUrl);
  const now = ctx.clock.now();
  const ttl = body.ttl ?? OTP_TTL.default;
  const isTest = agent.environment === 'test';
  const requester = agentActor(agent);
  const row: OtpRequestRecord = {
    id: newId('otp'),
    owner_id: agent.ownerId,
    agent_id: agent.agentId,
    api_key_id: agent.keyId,
    status: 'pending_approval',
    reason: body.reason,
    expected_sender: body.expectedSender ?? null,
    sources: body.filter?.sources ? [...new Set(body.filter.sources)] : [...CAPTURE_SOURCES],
    sender_pattern: body.filter?.senderPattern ?? null,
    content_pattern: body.filter?.contentPattern ?? null,
    public_key: key.spki,
    key_fingerprint: key.fingerprint,
    is_test: isTest ? 1 : 0,
    encrypted_payload: null,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + ttl * 1000).toISOString(),
    decision: null,
    decided_by: null,
    decision_channel: null,
    decided_at: null,
    denial_reason: null,
    otp_received_at: null,
    consumed_at: null,
    closed_at: null,
    webhook_url: webhookUrl,
    risk: null,
  };

  if (isTest) {
    const source = row.sources[0] ?? 'email';
    row.encrypted_payload = await encryptOtpPayload(key.key, key.fingerprint, {
      code: randomNumericCode(6),
      source,
      sender: row.expected_sender ?? 'agent-otp-test',
      subject: 'Agent OTP test code',
      receivedAt: row.created_at,
      requestId: row.id,
    });
    Object.assign(row, {
      status: 'otp_received',
      decision: 'approved',
      decided_by: TEST_KEY_ACTOR.label,
      decision_channel: TEST_KEY_ACTOR.channel,
      decided_at: row.created_at,
      otp_received_at: row.created_at,
    } satisfies Partial<OtpRequestRecord>);
  }

  // Test keys keep their behaviour (no real code is ever at stake); live keys meet the policies.
  const policy = isTest ? null : await applyOtpPolicy(ctx, agent, row);
  // Assessed before the insert, so the request's own key does not count as seen before.
  row.risk = await assessOtpRisk(ctx, row, policy?.outcome ?? null);

  await insertRequest(ctx, OTP_REQUESTS, row, [
    {
      actor: requester,
      action: 'requested',
      details: {
        reason: row.reason,
        expectedSender: row.expected_sender,
        sources: row.sources,
        senderPattern: row.sender_pattern,
        keyFingerprint: row.key_fingerprint,
        expiresAt: row.expires_at,
        test: isTest,
        risk: row.risk.level,
        ...policyAuditDetails(policy),
      },
    },
    ...(policy?.decider
      ? [
          {
            actor: policy.decider,
            action: row.status === 'approved' ? 'approved' : 'denied',
            details: { policyId: policy.decider.id },
          },
        ]
      : []),
    ...(isTest
      ? [
          {
            actor: TEST_KEY_ACTOR,
            action: 'approved',
            details: { reason: 'test key: approved automatically' },
          },
          { actor: TEST_KEY_ACTOR, action: 'code_delivered', details: { synthetic: true } },
        ]
      : []),
  ]);
  return toApiOtpRequest(ctx, row);
}
