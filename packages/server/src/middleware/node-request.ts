import type { IncomingMessage } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import type { HonoRequest } from 'hono/request';
import type { AppEnv } from '../env.js';

/**
 * Reading a request under @hono/node-server without the WHATWG objects it builds on demand
 * (issue 18). `c.req.header()` builds an undici `Headers` from Node's raw headers, and the
 * first look at `c.req.raw.body` builds a whole `Request` with a body stream and an
 * AbortController, each for every request that asks. Node has already parsed both.
 */

/** Node's request, when the app is served by @hono/node-server (not in-process `app.request`). */
export function nodeIncoming(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/**
 * The request's headers as WHATWG `Headers` would give them: lower-case names, a repeated
 * header's values joined with ", " in the order sent (Node's own `headers` object instead
 * keeps only the first Content-Type or Authorization, and joins cookies with "; ", so a
 * request with a repeated header would be judged differently). Node has already trimmed
 * the values and refused malformed names and values.
 */
function headerRecord(incoming: IncomingMessage): Record<string, string> {
  const record: Record<string, string> = Object.create(null);
  const raw = incoming.rawHeaders;
  for (let index = 0; index < raw.length; index += 2) {
    const name = (raw[index] as string).toLowerCase();
    const value = raw[index + 1] as string;
    const earlier = record[name];
    record[name] = earlier === undefined ? value : `${earlier}, ${value}`;
  }
  return record;
}

/**
 * Makes `c.req.header()` read Node's parsed headers rather than build WHATWG `Headers`, for
 * our middleware and for hono's validators alike (they ask for the Content-Type). It is set
 * on this request's HonoRequest only; hono offers no other seam. Once a middleware replaces
 * `c.req.raw` (a body adopted as JSON, an empty body's type dropped), the new request's own
 * headers are the truth again, so reads go back to hono's way.
 *
 * @example
 * app.use('*', readHeadersFromNode);
 */
export const readHeadersFromNode: MiddlewareHandler<AppEnv> = (c, next) => {
  const incoming = nodeIncoming(c);
  if (!incoming) return next();
  const request = c.req;
  const served = request.raw;
  const fromRaw = request.header.bind(request);
  let record: Record<string, string> | undefined;
  const header = (name?: string) => {
    if (request.raw !== served) return name === undefined ? fromRaw() : fromRaw(name);
    record ??= headerRecord(incoming);
    return name === undefined ? Object.assign(Object.create(null), record) : record[name.toLowerCase()];
  };
  // HonoRequest's overloads (named headers, all headers) are one function at run time.
  request.header = header as HonoRequest['header'];
  return next();
};

/** The body, or `undefined` when it grew past `maxBytes` (the rest is left unread). */
function readBodyBytes(incoming: IncomingMessage, maxBytes: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        stop();
        resolve(undefined);
      } else chunks.push(chunk);
    };
    const onEnd = () => {
      stop();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      stop();
      reject(error);
    };
    // A client that goes away mid-body: 'close' before 'end'.
    const onClose = () => {
      stop();
      reject(new Error('the client closed the connection before sending the whole body'));
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}

/** Decodes as `Request.text()` does: UTF-8, a leading byte-order mark dropped, bad bytes as U+FFFD. */
const utf8 = new TextDecoder();

/**
 * Reads a body straight from Node's request and hands its text to hono's body cache, where
 * `c.req.json()` and `c.req.text()` (the route's validator, {@link adoptUntypedJsonBody})
 * find it, so no WHATWG Request is built to read it. Answers `false`, reading nothing more,
 * when the body is larger than `maxBytes`: by its Content-Length before any of it is read,
 * or by counting a chunked body.
 *
 * A client that disconnects mid-body makes the cached text reject, which the validator
 * answers as malformed JSON, as it did when it read a broken body stream.
 *
 * @example
 * if (!(await cacheBodyText(c, incoming, 64 * 1024))) throw new AppError('PAYLOAD_TOO_LARGE', …);
 */
export async function cacheBodyText(
  c: Context,
  incoming: IncomingMessage,
  maxBytes: number,
): Promise<boolean> {
  const length = incoming.headers['content-length'];
  if (
    length !== undefined &&
    incoming.headers['transfer-encoding'] === undefined &&
    Number(length) > maxBytes
  )
    return false;
  let text: Promise<string>;
  try {
    const body = await readBodyBytes(incoming, maxBytes);
    if (body === undefined) return false;
    text = Promise.resolve(utf8.decode(body));
  } catch (error) {
    text = Promise.reject(error);
    // Handled by whoever reads the text; a route that never reads it has nothing to report.
    text.catch(() => undefined);
  }
  // hono's BodyCache type says `string`, but it stores (and reads back) the promise of one.
  (c.req.bodyCache as { text?: Promise<string> }).text = text;
  return true;
}
