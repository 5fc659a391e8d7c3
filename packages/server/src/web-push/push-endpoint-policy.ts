import {
  hostOf,
  resolveAllowedAddresses,
  WebhookAddressError,
  type WebhookAddressPolicy,
} from '@agent-otp/core';
import { AppError } from '@agent-otp/shared';

/**
 * The address policy of push endpoints: public https only, unless PUSH_ALLOW_PRIVATE (tests,
 * development) also allows plain http and internal addresses. The relay POSTs to whatever
 * endpoint a browser hands it, so without this an owner could aim it at the relay's own network.
 */
export function pushEndpointPolicy(allowPrivate: boolean): WebhookAddressPolicy {
  return { allowHttp: allowPrivate, allowPrivate };
}

/**
 * Checks a subscription's endpoint when a browser subscribes (400 with the reason); each
 * send checks again after its own resolution, since DNS answers change.
 *
 * @example
 * await assertPushEndpointAllowed(pushEndpointPolicy(false), body.endpoint);
 */
export async function assertPushEndpointAllowed(
  policy: WebhookAddressPolicy,
  endpoint: string,
): Promise<void> {
  const url = new URL(endpoint);
  if (url.protocol !== 'https:' && !(policy.allowHttp && url.protocol === 'http:'))
    throw new AppError('VALIDATION_ERROR', 'endpoint must be an https:// URL');
  if (url.username || url.password)
    throw new AppError('VALIDATION_ERROR', 'endpoint must not carry a user name or password');
  try {
    await resolveAllowedAddresses(policy, hostOf(url));
  } catch (error) {
    if (error instanceof WebhookAddressError)
      throw new AppError('VALIDATION_ERROR', `endpoint refused: ${error.message}`);
    throw new AppError(
      'VALIDATION_ERROR',
      `endpoint refused: ${hostOf(url)} could not be resolved (${(error as NodeJS.ErrnoException).code ?? 'DNS error'})`,
    );
  }
}
