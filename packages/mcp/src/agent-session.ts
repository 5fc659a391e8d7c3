import {
  AgentOTPClient,
  type AgentOTPClientOptions,
  exportPrivateKey,
  exportPublicKey,
  generateKeyPair,
  importPrivateKey,
  keyFingerprint,
} from '@orrisai/agent-otp-sdk';

/** The agent's decryption key as this process holds it: the private half cannot be exported. */
export interface SessionKeys {
  /** SPKI base64, what the relay receives. */
  publicKey: string;
  privateKey: CryptoKey;
  /** What the owner sees next to the request, so they can tell this process's key apart. */
  fingerprint: string;
}

/**
 * One agent identity inside one MCP (or LangChain) process: the SDK client configured with
 * the agent's API key, and an RSA key pair generated here on first use. The private key is
 * re-imported non-extractable, so nothing in the process can serialise it; only the public
 * key ever goes to the relay. Requests created by this session are remembered, so a code
 * that arrives after a tool call timed out can still be read by `get_request_status`.
 *
 * @example
 * const session = new AgentSession({ apiKey: 'ak_test_…', baseUrl: 'http://127.0.0.1:8787' });
 * const { publicKey } = await session.keys();
 */
export class AgentSession {
  readonly client: AgentOTPClient;
  readonly #ownRequests = new Set<string>();
  #keys: Promise<SessionKeys> | undefined;

  constructor(options: AgentOTPClientOptions = {}) {
    this.client = new AgentOTPClient(options);
  }

  keys(): Promise<SessionKeys> {
    this.#keys ??= generateSessionKeys();
    // A failed generation is not cached: the next call tries again.
    this.#keys.catch(() => {
      this.#keys = undefined;
    });
    return this.#keys;
  }

  remember(requestId: string): void {
    this.#ownRequests.add(requestId);
  }

  /** Whether this process created the request (and so holds the key its code is sealed to). */
  owns(requestId: string): boolean {
    return this.#ownRequests.has(requestId);
  }
}

async function generateSessionKeys(): Promise<SessionKeys> {
  const pair = await generateKeyPair();
  const publicKey = await exportPublicKey(pair.publicKey);
  const privateKey = await importPrivateKey(await exportPrivateKey(pair.privateKey), { extractable: false });
  return { publicKey, privateKey, fingerprint: await keyFingerprint(publicKey) };
}
