import { createECDH } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from '@agent-otp/config';
import { createKeyFile } from '../key-files.js';

/** The relay's VAPID key pair (RFC 8292), both halves base64url as web-push and browsers take them. */
export interface VapidKeys {
  /** The uncompressed P-256 point (65 bytes): the dashboard's `applicationServerKey`. */
  publicKey: string;
  privateKey: string;
  /** `mailto:` or `https:`, sent as the JWT's `sub`. */
  subject: string;
}

/** The default key file: DATA_DIR/vapid.key. */
export function defaultVapidKeyPath(dataDir: string): string {
  return join(dataDir, 'vapid.key');
}

/** The public half of a private key; throws a ConfigError naming `source` when it is not a P-256 key. */
function keyPair(privateKey: string, source: string): Omit<VapidKeys, 'subject'> {
  const ecdh = createECDH('prime256v1');
  let scalar: Buffer;
  try {
    scalar = toScalar(Buffer.from(privateKey, 'base64url'));
    ecdh.setPrivateKey(scalar);
  } catch {
    throw new ConfigError(`${source}: must hold a P-256 private key, 32 bytes base64url`);
  }
  return {
    publicKey: ecdh.getPublicKey('base64url', 'uncompressed'),
    privateKey: scalar.toString('base64url'),
  };
}

/**
 * A 32-byte P-256 scalar. Node's `getPrivateKey()` drops leading zero bytes (1 key in 256
 * comes out as 31 bytes), and web-push insists on exactly 32, so a short scalar is padded
 * back on the left rather than refused: files written that way stay usable.
 */
function toScalar(bytes: Buffer): Buffer {
  if (bytes.length === 0 || bytes.length > 32) throw new Error('not a 32-byte scalar');
  return bytes.length === 32 ? bytes : Buffer.concat([Buffer.alloc(32 - bytes.length), bytes]);
}

/** A fresh P-256 private key as the file holds it: 32 bytes, base64url. */
function newVapidPrivateKey(): string {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return toScalar(ecdh.getPrivateKey()).toString('base64url');
}

function readVapidKeyFile(path: string, name: string): string {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new ConfigError(
      `${name}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
}

/**
 * The VAPID keys from VAPID_PRIVATE_KEY, VAPID_PRIVATE_KEY_FILE, or DATA_DIR/vapid.key,
 * which is generated on first start. Keep the file: browsers subscribed under one public key,
 * and a new key makes every existing subscription useless until each browser subscribes again.
 *
 * @example
 * const { publicKey } = loadVapidKeys(config);
 */
export function loadVapidKeys(config: Config): VapidKeys {
  const { webPush } = config;
  if (webPush.privateKey)
    return { ...keyPair(webPush.privateKey, 'VAPID_PRIVATE_KEY'), subject: webPush.subject };
  if (webPush.privateKeyFile) {
    const material = readVapidKeyFile(webPush.privateKeyFile, 'VAPID_PRIVATE_KEY_FILE');
    return {
      ...keyPair(material, `VAPID_PRIVATE_KEY_FILE (${webPush.privateKeyFile})`),
      subject: webPush.subject,
    };
  }
  const path = defaultVapidKeyPath(config.dataDir);
  if (!existsSync(path)) createKeyFile(config.dataDir, path, newVapidPrivateKey);
  const material = readVapidKeyFile(path, 'DATA_DIR/vapid.key');
  return { ...keyPair(material, `DATA_DIR/vapid.key (${path})`), subject: webPush.subject };
}
