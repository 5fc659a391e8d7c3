import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { hostOf, resolveAllowedAddresses, type WebhookAddressPolicy } from './webhook-address-policy.js';

/** The most of a receiver's answer the relay reads before it hangs up: it only needs the status. */
const MAX_RESPONSE_BYTES = 16 * 1024;

/** How one POST ended: an HTTP status, or why there was none (never the body or a secret). */
export type CheckedPostResult = { httpStatus: number } | { error: string };

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
 * POSTs `body` to a URL the relay does not control (an agent's webhook, a browser's push
 * service): https only unless the policy allows http, the connection made only to checked
 * addresses, no redirects followed (a 3xx is simply not a 2xx), the whole attempt bounded by
 * `timeoutMs`, and at most 16 KiB of the answer read. `what` names the target in the refusal
 * of a plain-http URL.
 *
 * @example
 * const result = await postToCheckedAddress({ url, headers, body, policy, timeoutMs: 10_000, what: 'webhooks' });
 */
export async function postToCheckedAddress(options: {
  url: string;
  headers: Record<string, string | number>;
  body: string | Buffer | null;
  policy: WebhookAddressPolicy;
  timeoutMs: number;
  what: string;
}): Promise<CheckedPostResult> {
  const url = new URL(options.url);
  if (url.protocol !== 'https:' && !(options.policy.allowHttp && url.protocol === 'http:'))
    return { error: `plain http ${options.what} are not allowed` };
  try {
    // An IP literal is never looked up, so the lookup below would not see it: check it here.
    if (isIP(hostOf(url))) await resolveAllowedAddresses(options.policy, hostOf(url));
  } catch (error) {
    return { error: (error as Error).message };
  }
  const body = options.body ?? undefined;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<CheckedPostResult>((resolve) => {
    let settled = false;
    const finish = (result: CheckedPostResult) => {
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
      headers: { ...options.headers, 'content-length': body === undefined ? 0 : Buffer.byteLength(body) },
    });
    const timer = setTimeout(
      () => finish({ error: `no answer within ${options.timeoutMs} ms` }),
      options.timeoutMs,
    );
    request.on('response', (response: IncomingMessage) => {
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
    request.end(body);
  });
}
