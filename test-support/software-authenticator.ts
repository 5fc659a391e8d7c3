import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';
import { isoCBOR } from '@simplewebauthn/server/helpers';

/**
 * A platform authenticator in software for HTTP tests: it makes real WebAuthn structures
 * (CBOR attestation object with `none` attestation, authenticator data with the RP ID hash,
 * flags and signature counter, ES256 signatures in DER over authenticatorData ‖
 * SHA-256(clientDataJSON)), exactly what a browser would send, so the relay's verifier
 * checks them for real. Browser tests use Chromium's virtual authenticator instead.
 */
export interface SoftwarePasskey {
  credentialId: Buffer;
  privateKey: KeyObject;
  userHandle: Buffer;
  rpId: string;
  counter: number;
}

const b64url = (bytes: Uint8Array | Buffer) => Buffer.from(bytes).toString('base64url');

// biome-ignore lint/suspicious/noExplicitAny: options are the relay's JSON, read field by field.
type Options = any;

function authenticatorData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
  const count = Buffer.alloc(4);
  count.writeUInt32BE(counter);
  const parts: Buffer[] = [createHash('sha256').update(rpId).digest(), Buffer.from([flags]), count];
  if (attested) parts.push(attested);
  return Buffer.concat(parts);
}

function clientData(type: string, challenge: string, origin: string): Buffer {
  return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
}

const UP = 0x01;
const UV = 0x04;
const AT = 0x40;

/**
 * Answers `navigator.credentials.create()` options: a new ES256 passkey and the registration
 * response for it.
 *
 * @example
 * const { passkey, response } = createPasskey(options, 'http://localhost:8080');
 */
export function createPasskey(
  options: Options,
  origin: string,
  settings: { userVerified?: boolean } = {},
): { passkey: SoftwarePasskey; response: Options } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const cose = isoCBOR.encode(
    new Map<number, number | Uint8Array>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, Buffer.from(jwk.x ?? '', 'base64url')],
      [-3, Buffer.from(jwk.y ?? '', 'base64url')],
    ]),
  );
  const credentialId = randomBytes(16);
  const idLength = Buffer.alloc(2);
  idLength.writeUInt16BE(credentialId.length);
  const attested = Buffer.concat([Buffer.alloc(16), idLength, credentialId, Buffer.from(cose)]);
  const rpId: string = options.rp.id;
  const flags = UP | AT | (settings.userVerified === false ? 0 : UV);
  const authData = authenticatorData(rpId, flags, 0, attested);
  const attestation = new Map<string, string | Map<string, never> | Uint8Array>();
  attestation.set('fmt', 'none');
  attestation.set('attStmt', new Map<string, never>());
  attestation.set('authData', new Uint8Array(authData));
  const attestationObject = isoCBOR.encode(attestation);
  const passkey: SoftwarePasskey = {
    credentialId,
    privateKey,
    userHandle: Buffer.from(options.user.id, 'base64url'),
    rpId,
    counter: 0,
  };
  return {
    passkey,
    response: {
      id: b64url(credentialId),
      rawId: b64url(credentialId),
      type: 'public-key',
      response: {
        clientDataJSON: b64url(clientData('webauthn.create', options.challenge, origin)),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
    },
  };
}

/**
 * Answers `navigator.credentials.get()` options with this passkey; the counter moves on by
 * one unless `counter` says otherwise (a cloned authenticator replaying an old count).
 *
 * @example
 * const assertion = assertPasskey(passkey, options, 'http://localhost:8080');
 */
export function assertPasskey(
  passkey: SoftwarePasskey,
  options: Options,
  origin: string,
  settings: { userVerified?: boolean; counter?: number; rpId?: string } = {},
): Options {
  passkey.counter = settings.counter ?? passkey.counter + 1;
  const flags = UP | (settings.userVerified === false ? 0 : UV);
  const authData = authenticatorData(settings.rpId ?? passkey.rpId, flags, passkey.counter);
  const clientDataJSON = clientData('webauthn.get', options.challenge, origin);
  const signature = sign(
    'sha256',
    Buffer.concat([authData, createHash('sha256').update(clientDataJSON).digest()]),
    passkey.privateKey,
  );
  return {
    id: b64url(passkey.credentialId),
    rawId: b64url(passkey.credentialId),
    type: 'public-key',
    response: {
      clientDataJSON: b64url(clientDataJSON),
      authenticatorData: b64url(authData),
      signature: b64url(signature),
      userHandle: b64url(passkey.userHandle),
    },
    authenticatorAttachment: 'platform',
    clientExtensionResults: {},
  };
}
