import { decryptOtpPayloadFor } from '@agent-otp/shared';
import { agentKeyPair, call } from '../../../../test-support/http.js';
import type { TestRelay } from '../../../../test-support/relay.js';

/** An agent's OTP request for email from `senderPattern`, with the key pair to read the code. */
export interface AgentRequest {
  id: string;
  apiKey: string;
  privateKey: CryptoKey;
}

/**
 * Creates an email OTP request as an agent would, approved by the owner unless told not to.
 *
 * @example
 * const request = await openEmailRequest(relay, apiKey, '*@acme.test');
 */
export async function openEmailRequest(
  relay: TestRelay,
  apiKey: string,
  senderPattern: string,
  options: { approve?: boolean; contentPattern?: string } = {},
): Promise<AgentRequest> {
  const keys = await agentKeyPair();
  const created = await call(relay.url, '/api/v1/otp', {
    token: apiKey,
    json: {
      reason: `mail from ${senderPattern}`,
      filter: {
        sources: ['email'],
        senderPattern,
        ...(options.contentPattern ? { contentPattern: options.contentPattern } : {}),
      },
      publicKey: keys.publicKey,
    },
  });
  if (created.status !== 201) throw new Error(`creating the request failed: ${JSON.stringify(created.body)}`);
  const id = created.body.id as string;
  if (options.approve !== false) await approve(relay, id);
  return { id, apiKey, privateKey: keys.privateKey };
}

export async function approve(relay: TestRelay, id: string): Promise<void> {
  const res = await relay.ownerFetch(`/api/v1/requests/${id}/approve`, { method: 'POST' });
  if (!res.ok) throw new Error(`approving ${id} failed: ${res.status} ${await res.text()}`);
}

/**
 * Waits like an agent (long-poll), consumes and decrypts: the code the agent ends up holding.
 *
 * @example
 * const code = await waitForCode(relay, request);
 */
export async function waitForCode(
  relay: TestRelay,
  request: AgentRequest,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await call(relay.url, `/api/v1/otp/${request.id}?wait=5`, { token: request.apiKey });
    if (status.body.status === 'otp_received') break;
    if (!['pending_approval', 'approved'].includes(status.body.status))
      throw new Error(`request ended as ${status.body.status}`);
    if (Date.now() > deadline) throw new Error(`no code for ${request.id} in ${timeoutMs} ms`);
  }
  const consumed = await call(relay.url, `/api/v1/otp/${request.id}/consume`, {
    method: 'POST',
    token: request.apiKey,
  });
  if (consumed.status !== 200) throw new Error(`consume failed: ${JSON.stringify(consumed.body)}`);
  return (await decryptOtpPayloadFor(consumed.body.encryptedPayload, request.privateKey, request.id)).code;
}

/** The request's status as its agent sees it now. */
export async function statusOf(relay: TestRelay, request: AgentRequest): Promise<string> {
  return (await call(relay.url, `/api/v1/otp/${request.id}`, { token: request.apiKey })).body
    .status as string;
}
