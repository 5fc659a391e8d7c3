/**
 * The four HTTP steps of one OTP lifecycle as an agent, its owner and a capture source make
 * them (create → approve → deliver JWE → consume), with the agents' RSA keys made up front so
 * the benchmark times the relay, not client key generation.
 */
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { decryptOtpPayloadFor, encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import { call } from '../../test-support/http.js';

/** Credentials of one running relay, as the three parties hold them. */
export interface RelayCredentials {
  url: string;
  agentKey: string;
  ownerToken: string;
  sourceToken: string;
}

/** One agent key pair: the SPKI the agent sends, and the private key it decrypts with. */
export interface AgentKey {
  publicKey: string;
  privateKey: CryptoKey;
}

const generateRsa = promisify(generateKeyPair);

/** Makes `size` RSA-OAEP 2048 key pairs (on libuv's threads, so in parallel), outside any timing. */
export async function agentKeyPool(size: number): Promise<AgentKey[]> {
  return Promise.all(
    Array.from({ length: size }, async () => {
      const { publicKey, privateKey } = await generateRsa('rsa', { modulusLength: 2048 });
      return {
        publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
        privateKey: await crypto.subtle.importKey(
          'pkcs8',
          privateKey.export({ type: 'pkcs8', format: 'der' }),
          { name: 'RSA-OAEP', hash: 'SHA-256' },
          false,
          ['decrypt'],
        ),
      };
    }),
  );
}

function expectStatus(step: string, res: { status: number; body: unknown }, status = 200) {
  if (res.status !== status) throw new Error(`${step} answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export async function createRequest(relay: RelayCredentials, key: AgentKey): Promise<string> {
  const res = await call(relay.url, '/api/v1/otp', {
    token: relay.agentKey,
    json: { reason: 'bench', filter: { sources: ['email'] }, publicKey: key.publicKey },
  });
  expectStatus('create', res, 201);
  return res.body.id as string;
}

export async function approveRequest(relay: RelayCredentials, id: string): Promise<void> {
  expectStatus(
    'approve',
    await call(relay.url, `/api/v1/requests/${id}/approve`, { method: 'POST', token: relay.ownerToken }),
  );
}

/** What a capture source does before delivering: seals the code to the request's key (client CPU). */
export async function sealCode(key: AgentKey, id: string): Promise<string> {
  const parsed = await parseAgentPublicKey(key.publicKey);
  return encryptOtpPayload(parsed.key, parsed.fingerprint, {
    code: '123456',
    source: 'email',
    sender: 'bench@example.com',
    receivedAt: new Date().toISOString(),
    requestId: id,
  });
}

export async function deliverSealed(relay: RelayCredentials, id: string, jwe: string): Promise<void> {
  expectStatus(
    'deliver',
    await call(relay.url, `/api/v1/capture/requests/${id}/deliver`, {
      token: relay.sourceToken,
      json: { encryptedPayload: jwe },
    }),
  );
}

/** Consumes and returns the ciphertext; `openCode` decrypts it as the agent would (client CPU). */
export async function consumeRequest(relay: RelayCredentials, id: string): Promise<string> {
  const res = await call(relay.url, `/api/v1/otp/${id}/consume`, { method: 'POST', token: relay.agentKey });
  expectStatus('consume', res);
  return res.body.encryptedPayload as string;
}

export async function openCode(key: AgentKey, id: string, jwe: string): Promise<string> {
  const payload = await decryptOtpPayloadFor(jwe, key.privateKey, id);
  return payload.code;
}

/** One whole lifecycle, checking the agent gets its code back. */
export async function runLifecycle(relay: RelayCredentials, key: AgentKey): Promise<void> {
  const id = await createRequest(relay, key);
  await approveRequest(relay, id);
  await deliverSealed(relay, id, await sealCode(key, id));
  const code = await openCode(key, id, await consumeRequest(relay, id));
  if (code !== '123456') throw new Error(`lifecycle ${id} returned the wrong code`);
}
