import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { WEBHOOK_HEADERS, WEBHOOK_SIGNATURE_SCHEME } from '@agent-otp/shared';
import { webhookSignature } from '@orrisai/agent-otp-contract/webhook-signing';
import { hostOf, resolveAllowedAddresses, type WebhookAddressPolicy } from './webhook-address-policy.js';

/** Names the sender in `user-agent`; the relay's release. */
export const WEBHOOK_USER_AGENT = 'agent-otp-webhook/0.1.0';

/** The most of a receiver's answer the relay reads before it hangs up: it only needs the status. */
const MAX_RESPONSE_BYTES = 16 * 1024;

/** How one attempt ended: an HTTP status, or why there was none (never the body or the secret). */
export type WebhookPostResult = { httpStatus: number } | { error: string };

/**
 * A DNS lookup for the connection that resolves once, refuses internal answers (unless
 * allowed), and hands the socket exactly the addresses it checked: a rebinding DNS server
 * cannot give the check one answer and the connection another.
 */
function checkedLookup(policy: WebhookAddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    resolveAllowedAddresses(policy, hostname).then(
      (addresses) => {
        const entries = addresses
          .map((address) => ({ address, family: isIP(address) }))
          .filter((entry) => !options.family || entry.family === options.family);
        const first = entries[0];
        if (!first) {
          const error = Object.assign(new Error(`${hostname}: no address of the requested family`), {
            code: 'ENOTFOUND',
          });
          callback(error, '', 0);
        } else if (options.all) callback(null, entries);
        else callback(null, first.address, first.family);
      },
      (error: Error) => callback(error as NodeJS.ErrnoException, '', 0),
    );
  };
}

/**
 * POSTs one signed event body: fresh timestamp and signature per attempt, no redirects
 * followed (a 3xx is simply not a 2xx), the connection made only to checked addresses, the
 * whole attempt bounded by `timeoutMs`, and at most 16 KiB of the answer read.
 *
 * @example
 * const result = await postWebhook({ url, body, eventId, secret, policy, timeoutMs: 10_000, now: new Date() });
 */
export async function postWebhook(options: {
  url: string;
  body: string;
  eventId: string;
  secret: string;
  policy: WebhookAddressPolicy;
  timeoutMs: number;
  now: Date;
}): Promise<WebhookPostResult> {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && !(options.policy.allowHttp && url.protocol === 'http:'))
    return { error: 'plain http webhooks are not allowed' };
  try {
    // An IP literal is never looked up, so the lookup below would not see it: check it here.
    if (isIP(hostOf(url))) await resolveAllowedAddresses(options.policy, hostOf(url));
  } catch (error) {
    return { error: (error as Error).message };
  }
  const timestamp = Math.floor(options.now.getTime() / 1000);
  const signature = webhookSignature(options.secret, timestamp, options.body);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<WebhookPostResult>((resolve) => {
    let settled = false;
    const finish = (result: WebhookPostResult) => {
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
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(options.body),
        'user-agent': WEBHOOK_USER_AGENT,
        [WEBHOOK_HEADERS.eventId]: options.eventId,
        [WEBHOOK_HEADERS.timestamp]: String(timestamp),
        [WEBHOOK_HEADERS.signature]: `${WEBHOOK_SIGNATURE_SCHEME}=${signature}`,
      },
    });
    const timer = setTimeout(
      () => finish({ error: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    request.on('response', (response: IncomingMessage) => {
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > MAX_RESPONSE_BYTES) finish({ httpStatus: response.statusCode ?? 0 });
      });
      response.on('end', () => finish({ httpStatus: response.statusCode ?? 0 }));
      response.on('error', () => finish({ httpStatus: response.statusCode ?? 0 }));
    });
    request.on('error', (error: NodeJS.ErrnoException) =>
      finish({ error: error.code ? `${error.code}: ${error.message}` : error.message }),
    );
    request.end(options.body);
  });
}
