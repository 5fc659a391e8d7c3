import { bytesToBase64, encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';

// biome-ignore lint/suspicious/noExplicitAny: tests read response bodies field by field and assert each one.
export interface CallResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

/**
 * One HTTP call to the relay with a bearer credential; JSON bodies are encoded, anything
 * else (`raw`) is sent as is, so tests can send malformed input.
 */
// biome-ignore lint/suspicious/noExplicitAny: as above.
export async function call<T = any>(
  baseUrl: string,
  path: string,
  options: {
    method?: string;
    token?: string;
    json?: unknown;
    raw?: string;
    headers?: Record<string, string>;
  } = {},
): Promise<CallResult<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined;
  if (options.json !== undefined) {
    body = JSON.stringify(options.json);
    headers['content-type'] ??= 'application/json';
  } else if (options.raw !== undefined) {
    body = options.raw;
  }
  const response = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? (body ? 'POST' : 'GET'),
    headers,
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON (SSE, HTML): return the text.
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

/** An RSA-OAEP key pair as an agent makes it, and its public key as SPKI base64. */
export async function agentKeyPair(modulusLength = 2048) {
  const pair = await crypto.subtle.generateKey(
    { name: 'RSA-OAEP', modulusLength, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['encrypt', 'decrypt'],
  );
  const spki = bytesToBase64(await crypto.subtle.exportKey('spki', pair.publicKey));
  return { publicKey: spki, privateKey: pair.privateKey, pair };
}

/**
 * A delivery as a capture source makes it: the code sealed to the request's key, the JWE
 * header naming the request. Tests that attack delivery start from a genuine one.
 */
export async function sealCodeFor(
  keys: { publicKey: string },
  requestId: string,
  code = '482913',
): Promise<string> {
  const key = await parseAgentPublicKey(keys.publicKey);
  return encryptOtpPayload(key.key, key.fingerprint, {
    code,
    source: 'email',
    sender: 'noreply@acme.test',
    receivedAt: new Date().toISOString(),
    requestId,
  });
}

/** Waits until `check` returns a value, polling every 20 ms, failing after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false>,
  timeoutMs = 5000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
