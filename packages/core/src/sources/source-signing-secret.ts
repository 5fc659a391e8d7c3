import { createSecretBox, type SecretBox } from '@agent-otp/db';
import type { CoreContext } from '../context.js';

const PURPOSE = 'capture source signing secret';
const boxes = new WeakMap<CoreContext['auditKey'], SecretBox>();

/** One box per key: deriving the AES key costs an HKDF, done once per process. */
function boxOf(ctx: Pick<CoreContext, 'auditKey'>): SecretBox {
  let box = boxes.get(ctx.auditKey);
  if (!box) {
    box = createSecretBox(ctx.auditKey.secret, PURPOSE);
    boxes.set(ctx.auditKey, box);
  }
  return box;
}

const bindingOf = (sourceId: string) => `capture_sources:${sourceId}`;

/**
 * Seals the key a source's signatures are checked with (an app's HMAC key, Twilio's Auth
 * Token) to its row: the database holds only the sealed text.
 *
 * @example
 * row.sealed_signing_secret = sealSigningSecret(ctx, row.id, secret);
 */
export function sealSigningSecret(
  ctx: Pick<CoreContext, 'auditKey'>,
  sourceId: string,
  secret: string,
): string {
  return boxOf(ctx).seal(secret, bindingOf(sourceId));
}

/** Opens what {@link sealSigningSecret} sealed for this source; throws on any mismatch. */
export function openSigningSecret(
  ctx: Pick<CoreContext, 'auditKey'>,
  sourceId: string,
  sealed: string,
): string {
  return boxOf(ctx).open(sealed, bindingOf(sourceId));
}
