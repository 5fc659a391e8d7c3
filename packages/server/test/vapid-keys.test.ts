import { createECDH } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@agent-otp/config';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultVapidKeyPath, loadVapidKeys } from '../src/web-push/vapid-keys.js';

/** A P-256 key whose scalar starts with a zero byte: Node's getPrivateKey() returns 31 bytes. */
function keyWithLeadingZero() {
  for (;;) {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    if (ecdh.getPrivateKey().length < 32) return ecdh;
  }
}

describe('VAPID key file', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-otp-vapid-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads a key whose scalar lost its leading zero byte, as 32 bytes with the same public key', () => {
    const dir = dataDir();
    const ecdh = keyWithLeadingZero();
    writeFileSync(defaultVapidKeyPath(dir), `${ecdh.getPrivateKey('base64url')}\n`, { mode: 0o600 });
    const keys = loadVapidKeys(loadConfig({ DATA_DIR: dir }));
    expect(Buffer.from(keys.privateKey, 'base64url')).toHaveLength(32);
    expect(keys.publicKey).toBe(ecdh.getPublicKey('base64url', 'uncompressed'));
  });

  it('writes every generated key as 32 bytes and reads the same key back', () => {
    for (let i = 0; i < 64; i++) {
      const dir = dataDir();
      const first = loadVapidKeys(loadConfig({ DATA_DIR: dir }));
      const stored = readFileSync(defaultVapidKeyPath(dir), 'utf8').trim();
      expect(Buffer.from(stored, 'base64url')).toHaveLength(32);
      expect(loadVapidKeys(loadConfig({ DATA_DIR: dir }))).toEqual(first);
    }
  });

  it('refuses a file that is not a P-256 scalar, naming the file', () => {
    const dir = dataDir();
    writeFileSync(defaultVapidKeyPath(dir), `${Buffer.alloc(33, 1).toString('base64url')}\n`);
    expect(() => loadVapidKeys(loadConfig({ DATA_DIR: dir }))).toThrow(/vapid\.key.*P-256 private key/);
  });
});
