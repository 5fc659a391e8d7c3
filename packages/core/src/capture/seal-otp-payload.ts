import { AppError, encryptOtpPayload } from '@agent-otp/shared';
import type { IncomingMessage } from '../matching/match-message.js';
import { senderIdentity } from '../matching/sender.js';
import { relayAgentKey } from '../otp/agent-public-keys.js';

/**
 * Encrypts one extracted code to the public key of the request it serves: the payload every
 * capture path hands the relay (server-side capture, the email connector in either mode).
 * Sharing it keeps the payload's shape (sender as the parsed address, subject capped,
 * receipt time) the same whichever path found the code. A key that cannot be used (stored
 * before keys were proved on create) is an INVALID_PUBLIC_KEY naming the request, so the
 * caller can pass the message to its next candidate instead of failing. The key was proved
 * when the request was created, so it normally comes from the parsed-key cache.
 *
 * @example
 * const jwe = await sealOtpPayload(request, message, '847291');
 */
export async function sealOtpPayload(
  request: { id: string; publicKey: string },
  message: IncomingMessage,
  code: string,
): Promise<string> {
  try {
    const key = relayAgentKey(request.publicKey);
    return await encryptOtpPayload(key.key, key.fingerprint, {
      code,
      source: message.source,
      sender: senderIdentity(message.source, message.from) ?? message.from,
      ...(message.subject ? { subject: message.subject.slice(0, 2_000) } : {}),
      receivedAt: message.receivedAt.toISOString(),
      requestId: request.id,
    });
  } catch {
    // Never the error itself: it may describe the plaintext payload that failed to encrypt.
    throw new AppError(
      'INVALID_PUBLIC_KEY',
      `the public key of OTP request ${request.id} cannot encrypt a code`,
    );
  }
}
