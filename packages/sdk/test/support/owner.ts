import { encryptOtpPayload, type OwnerOtpRequest, parseAgentPublicKey } from '@agent-otp/shared';
import type { TestRelay } from '../../../../test-support/relay.js';

/** JSON from an owner API call, failing loudly on a non-2xx answer. */
export async function ownerJson<T>(relay: TestRelay, path: string, init?: RequestInit): Promise<T> {
  const response = await relay.ownerFetch(path, init);
  const body = await response.text();
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${path} → ${response.status}: ${body}`);
  return JSON.parse(body) as T;
}

/**
 * What an owner watching the dashboard does: waits until a pending request matching
 * `predicate` shows up in the approval queue (polling the owner list, which has no
 * long-poll), and returns it.
 */
export async function waitForPendingRequest(
  relay: TestRelay,
  predicate: (request: OwnerOtpRequest) => boolean,
  timeoutMs = 10_000,
): Promise<OwnerOtpRequest> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { requests } = await ownerJson<{ requests: OwnerOtpRequest[] }>(
      relay,
      '/api/v1/requests?status=pending_approval',
    );
    const found = requests.find(predicate);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`no pending request matched within ${timeoutMs} ms`);
}

export function decide(relay: TestRelay, id: string, outcome: 'approve' | 'deny'): Promise<OwnerOtpRequest> {
  return ownerJson(relay, `/api/v1/requests/${id}/${outcome}`, { method: 'POST' });
}

/** Feeds the seed's Acme email through the relay's real capture path (match, extract, encrypt). */
export function captureAcmeEmail(relay: TestRelay, text = 'Your code is 847291') {
  return ownerJson<{ matched: boolean; requestId: string | null; reason: string }>(
    relay,
    '/api/v1/owner/capture',
    {
      method: 'POST',
      body: JSON.stringify({
        source: 'email',
        from: 'noreply@acme.com',
        subject: 'Your verification code',
        text,
      }),
    },
  );
}

/**
 * What a capture source does: encrypts a code to the request's public key on its side and
 * delivers ciphertext only.
 */
export async function deliverCode(relay: TestRelay, sourceToken: string, requestId: string, code: string) {
  const headers = { authorization: `Bearer ${sourceToken}`, 'content-type': 'application/json' };
  const listed = await fetch(`${relay.url}/api/v1/capture/requests`, { headers });
  const { requests } = (await listed.json()) as { requests: Array<{ id: string; publicKey: string }> };
  const target = requests.find((request) => request.id === requestId);
  if (!target) throw new Error(`request ${requestId} is not open for this source`);
  const key = await parseAgentPublicKey(target.publicKey);
  const encryptedPayload = await encryptOtpPayload(key.key, key.fingerprint, {
    code,
    source: 'email',
    sender: 'noreply@acme.com',
    receivedAt: new Date().toISOString(),
    requestId,
  });
  const delivered = await fetch(`${relay.url}/api/v1/capture/requests/${requestId}/deliver`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ encryptedPayload }),
  });
  if (!delivered.ok) throw new Error(`deliver → ${delivered.status}: ${await delivered.text()}`);
}
