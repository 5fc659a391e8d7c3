import { createDecipheriv, createECDH, hkdfSync, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';

// A push service stand-in speaking the Web Push protocol (RFC 8030) on loopback: it checks
// the VAPID authorization (RFC 8292) and DECRYPTS each aes128gcm message (RFC 8291) with the
// private key of the browser it minted the subscription for. A message it can read is the
// proof that the relay encrypted it correctly; nothing of web-push is used here.

/** What a browser's `subscription.toJSON()` gives, plus what only the browser knows. */
export interface StandInSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

/** One message the stand-in accepted and decrypted. */
export interface ReceivedPush {
  endpoint: string;
  ttl: number;
  urgency: string | undefined;
  /** The VAPID JWT's claims, verified. */
  claims: { aud: string; exp: number; sub: string };
  /** The VAPID public key from `k=`. */
  vapidKey: string;
  plaintext: string;
}

/** A request the stand-in refused, and why (tests assert there are none). */
export interface RefusedPush {
  endpoint: string;
  reason: string;
}

export interface PushServiceStandIn {
  origin: string;
  /** A new browser subscription: fresh P-256 key pair and auth secret. */
  subscribe(): StandInSubscription;
  /** From now on, messages to this endpoint get 410 Gone (the browser unsubscribed). */
  gone(endpoint: string): void;
  /** The next `times` messages to this endpoint get 503 (the push service is overloaded). */
  failNext(endpoint: string, times: number): void;
  /** Every POST per endpoint, answered or not. */
  attempts: Map<string, number>;
  received: ReceivedPush[];
  refused: RefusedPush[];
  close(): Promise<void>;
}

interface Browser {
  ecdh: ReturnType<typeof createECDH>;
  auth: Buffer;
  gone: boolean;
  failures: number;
}

/** RFC 8291 §3.4 and RFC 8188: one aes128gcm record, decrypted by the user agent's keys. */
export function decryptAes128gcm(
  body: Buffer,
  browser: { ecdh: ReturnType<typeof createECDH>; auth: Buffer },
) {
  const salt = body.subarray(0, 16);
  const recordSize = body.readUInt32BE(16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const record = body.subarray(21 + idLength);
  if (idLength !== 65) throw new Error(`keyid is ${idLength} bytes, not a 65-byte P-256 point`);
  if (record.length > recordSize) throw new Error('more than one record');
  const shared = browser.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), browser.ecdh.getPublicKey(), senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, browser.auth, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(record.subarray(record.length - 16));
  const padded = Buffer.concat([decipher.update(record.subarray(0, record.length - 16)), decipher.final()]);
  // The last record ends with the delimiter 0x02, then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end -= 1;
  if (padded[end] !== 2) throw new Error('the last record does not end with the 0x02 delimiter');
  return padded.subarray(0, end).toString('utf8');
}

/** Verifies `vapid t=<JWT>, k=<key>` (RFC 8292): ES256 by k, aud = our origin, exp within 24 h, sub. */
async function verifyVapid(header: string | undefined, origin: string) {
  const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(header ?? '');
  if (!match?.[1] || !match[2]) throw new Error(`Authorization is not "vapid t=…, k=…": ${header}`);
  const point = Buffer.from(match[2], 'base64url');
  if (point.length !== 65 || point[0] !== 4) throw new Error('k is not an uncompressed P-256 point');
  const key = await importJWK(
    {
      kty: 'EC',
      crv: 'P-256',
      x: point.subarray(1, 33).toString('base64url'),
      y: point.subarray(33).toString('base64url'),
    },
    'ES256',
  );
  const { payload } = await jwtVerify(match[1], key, { algorithms: ['ES256'], audience: origin });
  const now = Math.floor(Date.now() / 1000);
  if (typeof payload.exp !== 'number' || payload.exp > now + 24 * 3600)
    throw new Error('exp is missing or more than 24 hours ahead');
  if (typeof payload.sub !== 'string' || !/^(mailto:|https:)/.test(payload.sub))
    throw new Error('sub is missing or not mailto:/https:');
  return { claims: { aud: origin, exp: payload.exp, sub: payload.sub }, vapidKey: match[2] };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/**
 * Starts the stand-in on 127.0.0.1 (plain http: the relay under test runs with
 * PUSH_ALLOW_PRIVATE). Answers 201 to a valid message, 410 to a gone subscription, 404 to an
 * unknown one, 400/401 to a malformed one (recorded in `refused`).
 */
export async function startPushServiceStandIn(): Promise<PushServiceStandIn> {
  const browsers = new Map<string, Browser>();
  const received: ReceivedPush[] = [];
  const refused: RefusedPush[] = [];
  const attempts = new Map<string, number>();
  let origin = '';
  const server = createServer(async (request, response) => {
    const endpoint = `${origin}${request.url ?? ''}`;
    const body = await readBody(request);
    const browser = browsers.get(endpoint);
    if (request.method !== 'POST' || !browser) return response.writeHead(404).end();
    attempts.set(endpoint, (attempts.get(endpoint) ?? 0) + 1);
    if (browser.gone) return response.writeHead(410).end();
    if (browser.failures > 0) {
      browser.failures -= 1;
      return response.writeHead(503).end();
    }
    const refuse = (status: number, reason: string) => {
      refused.push({ endpoint, reason });
      response.writeHead(status).end(reason);
    };
    const ttl = Number(request.headers.ttl);
    if (request.headers.ttl === undefined || !Number.isInteger(ttl) || ttl < 0)
      return refuse(400, 'TTL header missing');
    if (request.headers['content-encoding'] !== 'aes128gcm')
      return refuse(415, 'Content-Encoding must be aes128gcm');
    let vapid: Awaited<ReturnType<typeof verifyVapid>>;
    try {
      vapid = await verifyVapid(request.headers.authorization, origin);
    } catch (error) {
      return refuse(401, `VAPID: ${(error as Error).message}`);
    }
    let plaintext: string;
    try {
      plaintext = decryptAes128gcm(body, browser);
    } catch (error) {
      return refuse(400, `decryption: ${(error as Error).message}`);
    }
    const urgency = request.headers.urgency;
    received.push({
      endpoint,
      ttl,
      urgency: typeof urgency === 'string' ? urgency : undefined,
      ...vapid,
      plaintext,
    });
    response.writeHead(201, { location: `${endpoint}/messages/${received.length}` }).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    subscribe() {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const auth = randomBytes(16);
      const endpoint = `${origin}/push/${randomBytes(12).toString('base64url')}`;
      browsers.set(endpoint, { ecdh, auth, gone: false, failures: 0 });
      return {
        endpoint,
        keys: { p256dh: ecdh.getPublicKey('base64url'), auth: auth.toString('base64url') },
      };
    },
    gone(endpoint) {
      const browser = browsers.get(endpoint);
      if (browser) browser.gone = true;
    },
    failNext(endpoint, times) {
      const browser = browsers.get(endpoint);
      if (browser) browser.failures = times;
    },
    attempts,
    received,
    refused,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
