// The relay's signature checks against each provider's published examples, so they assert
// the providers' algorithms rather than agreement with themselves.
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SeenMessages, timestampFresh } from '../src/sms/seen-messages.js';
import {
  signaturesMatch,
  smsGatewaySignature,
  telnyxSignatureValid,
  twilioSignature,
} from '../src/sms/sms-signatures.js';

describe('Twilio X-Twilio-Signature', () => {
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = (caller: string): Array<[string, string]> => [
    ['Digits', '1234'],
    ['To', '+18005551212'],
    ['From', caller],
    ['Caller', caller],
    ['CallSid', 'CA1234567890ABCDE'],
  ];

  it("matches the worked example in Twilio's webhook security docs", () => {
    // Docs sample: auth token 12345, caller +12349013030 → 0/KCTR6DLpKmkAf8muzZqo1nDgQ=
    expect(twilioSignature('12345', url, params('+12349013030'))).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it("matches the vector in Twilio's own SDK tests", () => {
    expect(twilioSignature('12345', url, params('+14158675309'))).toBe('RSOYDt4T1cUTdK1PDd93/VVr8B8=');
  });

  it('changes with the URL, any parameter, or the token', () => {
    const good = twilioSignature('12345', url, params('+12349013030'));
    expect(twilioSignature('12345', `${url}&x=1`, params('+12349013030'))).not.toBe(good);
    expect(twilioSignature('12345', url, params('+12349013031'))).not.toBe(good);
    expect(twilioSignature('12346', url, params('+12349013030'))).not.toBe(good);
  });
});

describe('SMS Gateway for Android X-Signature', () => {
  it('is hex HMAC-SHA256 over the raw body followed by X-Timestamp', () => {
    // printf '%s' '{"a":1}1700000000' | openssl dgst -sha256 -hmac key
    expect(smsGatewaySignature('key', '{"a":1}', '1700000000')).toBe(
      '5cff791334e7fd8344cc05c2398964f60329f4edd6ab1087ed1ba6c34eefeeca',
    );
  });
});

describe('Telnyx telnyx-signature-ed25519', () => {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('base64');

  it('verifies Ed25519 over "<timestamp>|<body>" with the raw base64 public key', () => {
    const body = '{"data":{"event_type":"message.received"}}';
    const signature = sign(null, Buffer.from(`1700000000|${body}`), privateKey).toString('base64');
    expect(telnyxSignatureValid(raw, '1700000000', body, signature)).toBe(true);
    expect(telnyxSignatureValid(raw, '1700000001', body, signature)).toBe(false);
    expect(telnyxSignatureValid(raw, '1700000000', `${body} `, signature)).toBe(false);
    expect(telnyxSignatureValid(raw, '1700000000', body, 'AAAA')).toBe(false);
    expect(telnyxSignatureValid('short', '1700000000', body, signature)).toBe(false);
  });
});

describe('replay protection', () => {
  it('compares in constant time and tells different lengths apart', () => {
    expect(signaturesMatch('abc', 'abc')).toBe(true);
    expect(signaturesMatch('abc', 'abd')).toBe(false);
    expect(signaturesMatch('abc', 'abcd')).toBe(false);
  });

  it('accepts timestamps within the window only', () => {
    const now = 1_700_000_000_000;
    expect(timestampFresh('1700000000', now, 300)).toBe(true);
    expect(timestampFresh('1699999600', now, 300)).toBe(false);
    expect(timestampFresh('1700000400', now, 300)).toBe(false);
    expect(timestampFresh('17e8', now, 300)).toBe(false);
    expect(timestampFresh(undefined, now, 300)).toBe(false);
  });

  it('remembers ids for their lifetime, within a bounded size, oldest evicted first', () => {
    const seen = new SeenMessages(1_000, 3);
    expect(seen.claim('a', 0)).toBe(true);
    expect(seen.claim('a', 500)).toBe(false);
    expect(seen.claim('a', 1_500)).toBe(true);
    for (const id of ['b', 'c', 'd', 'e']) seen.claim(id, 1_600);
    expect(seen.size).toBeLessThanOrEqual(3);
    seen.release('e');
    expect(seen.claim('e', 1_700)).toBe(true);
  });
});
