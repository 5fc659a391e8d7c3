import type { ServerResponse } from 'node:http';
import type { Context } from 'hono';

/** One Server-Sent Event, as hono's `writeSSE` takes it. */
export interface ServerSentEvent {
  event: string;
  data: string;
  id: string;
}

/** Where an event stream's handler writes; {@link nodeEventStream} or hono's `streamSSE`. */
export interface EventSink {
  writeSSE(message: ServerSentEvent): Promise<void> | void;
  write(text: string): unknown;
}

/** The head hono's `streamSSE` and @hono/node-server write, with responseHeaders' no-store. */
const EVENT_STREAM_HEAD = {
  'cache-control': 'no-store',
  connection: 'keep-alive',
  'content-type': 'text/event-stream',
  'transfer-encoding': 'chunked',
};

/** An event as hono's `writeSSE` spells it: one `data:` line per line of the data. */
export function serverSentEventText(message: ServerSentEvent): string {
  for (const key of ['event', 'id'] as const)
    if (/[\r\n]/.test(message[key])) throw new Error(`${key} must not contain "\\r" or "\\n"`);
  const data = message.data
    .split(/\r\n|\r|\n/)
    .map((line) => `data: ${line}`)
    .join('\n');
  return `event: ${message.event}\n${data}\nid: ${message.id}\n\n`;
}

/**
 * An event stream written straight on Node's response (issue 18), or `undefined` when `c` is
 * not served by Node (in-process `app.request`, which keeps hono's `streamSSE`). The bytes
 * are the ones `streamSSE` sent through @hono/node-server, head and chunks alike, without
 * the TransformStream, ReadableStream, reader and writer it held per open stream (about
 * 20 KB for each waiting agent). The handler returns `answeredLater()` and ends the stream
 * with `close`.
 *
 * @example
 * const sink = nodeEventStream(c);
 * if (sink) { void follow(sink).finally(() => sink.close()); return answeredLater(); }
 */
export function nodeEventStream(c: Context): (EventSink & { close(): void }) | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return undefined;
  outgoing.writeHead(200, EVENT_STREAM_HEAD);
  outgoing.flushHeaders();
  const write = (text: string) => {
    if (!outgoing.writableEnded && !outgoing.destroyed) outgoing.write(text);
  };
  return {
    write,
    writeSSE: (message) => {
      write(serverSentEventText(message));
    },
    close: () => {
      if (!outgoing.writableEnded && !outgoing.destroyed) outgoing.end();
    },
  };
}
