import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, resolveAllowedAddresses, type WebhookAddressPolicy } from '@agent-otp/core';

/** How one POST to a push service ended: its HTTP status, or why there was none. */
export type PushPostResult = { httpStatus: number } | { error: string };

/** The most of a push service's answer read: only the status matters. */
const MAX_RESPONSE_BYTES = 16 * 1024;

/** A lookup that hands the socket only addresses the policy accepted (no DNS rebinding). */
function checkedLookup(policy: WebhookAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowedAddresses(policy, hostname).then(
      (addresses) => {
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => !options.family || entry.family === options.family);
        const first = entries[0];
        if (!first)
          callback(Object.assign(new Error(`${hostname}: no usable address`), { code: 'ENOTFOUND' }), '', 0);
        else if (options.all) callback(null, entries);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * POSTs one encrypted push message (headers and body from web-push's generateRequestDetails)
 * to a checked address, no redirects, bounded by `timeoutMs`.
 *
 * @example
 * const result = await postPushMessage({ endpoint, headers, body, policy, timeoutMs: 10_000 });
 */
export async function postPushMessage(options: {
  endpoint: string;
  headers: Record<string, string | number>;
  body: Buffer | null;
  policy: WebhookAddressPolicy;
  timeoutMs: number;
}): Promise<PushPostResult> {
  const url = new URL(options.endpoint);
  if (url.protocol !== 'https:' && !(options.policy.allowHttp && url.protocol === 'http:'))
    return { error: 'plain http push endpoints are not allowed' };
  try {
    if (isIP(hostOf(url))) await resolveAllowedAddresses(options.policy, hostOf(url));
  } catch (error) {
    return { error: (error as Error).message };
  }
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PushPostResult>((resolve) => {
    let settled = false;
    const finish = (result: PushPostResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    const request = send(url, {
      method: 'POST',
      agent: false,
      lookup: checkedLookup(options.policy),
      headers: { ...options.headers, 'content-length': options.body?.length ?? 0 },
    });
    const timer = setTimeout(
      () => finish({ error: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    request.on('response', (response) => {
      let received = 0;
      const status = () => finish({ httpStatus: response.statusCode ?? 0 });
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) status();
      });
      response.on('end', status);
      response.on('error', status);
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }),
    );
    request.end(options.body ?? undefined);
  });
}
