import { encryptOtpPayload, parseAgentPublicKey } from '@agent-otp/shared';
import type { IncomingMessage } from '../matching/match-message.js';
import { senderIdentity } from '../matching/sender.js';

/**
 * Encrypts one extracted code to the public key of the request it serves: the payload every
 * capture path hands the relay (server-side capture, the email connector in either mode).
 * Sharing it keeps the payload's shape (sender as the parsed address, subject capped,
 * receipt time) the same whichever path found the code.
 *
 * @example
 * const jwe = await sealOtpPayload(request, message, '847291');
 */
export async function sealOtpPayload(
  request: { id: string; publicKey: string },
  message: IncomingMessage,
  code: string,
): Promise<string> {
  const key = await parseAgentPublicKey(request.publicKey);
  return encryptOtpPayload(key.key, key.fingerprint, {
    code,
    source: message.source,
    sender: senderIdentity(message.source, message.from) ?? message.from,
    ...(message.subject ? { subject: message.subject.slice(0, 2_000) } : {}),
    receivedAt: message.receivedAt.toISOString(),
    requestId: request.id,
  });
}
