import type { ServerResponse } from 'node:http';
import { type Context, Context as HonoContext } from 'hono';
import type { AppEnv } from '../env.js';

/** What @hono/node-server reads as "the handler wrote the response itself": it writes nothing. */
const ALREADY_SENT_HEADER = 'x-hono-already-sent';

type ErrorHandler = (error: Error, c: Context<AppEnv>) => Response | Promise<Response>;

/**
 * An answer a served handler gives after its middleware chain has finished (issue 18). A
 * parked long-poll that kept the chain waiting held every middleware's and hono's dispatch
 * frame, the router's match, the Context and its maps: about 30 KB per waiting agent. It
 * returns {@link answeredLater} at once instead and writes its answer on the Node
 * response when it has one, exactly as hono and @hono/node-server would have written it
 * (same status, headers and body; the security headers and request ID are already on the
 * Node response). The access log and the HTTP metrics, which run after the chain, report it
 * when it is written ({@link LateAnswer.onAnswered}), keeping only what their line needs.
 */
export interface LateAnswer {
  /** Writes `body` as `c.json(body, status)` under /api/ would have (Cache-Control: no-store). */
  json(body: unknown, status: number): void;
  /** Writes what the app's error handler answers for `error`, as if the handler had thrown it. */
  fail(error: unknown): void;
  /** Calls `listener` with the status once the answer is written (at once if it was). */
  onAnswered(listener: (status: number) => void): void;
}

/**
 * What a handler that answers late returns now: the chain finishes and @hono/node-server
 * writes nothing for it. A new one each time (hono's middleware may set headers on it), and
 * not kept by the late answer, so nothing of it stays while the request waits.
 */
export function answeredLater(): Response {
  return new Response(null, { headers: { [ALREADY_SENT_HEADER]: 'true' } });
}

const lateAnswers = new WeakMap<Context, LateAnswer>();

/** The late answer `c`'s handler promised, if it did (for middleware that runs after the chain). */
export function lateAnswerOf(c: Context): LateAnswer | undefined {
  return lateAnswers.get(c);
}

/**
 * A late answer for `c`, or `undefined` when `c` is not served by Node (in-process
 * `app.request`), where the handler keeps answering the ordinary way. Takes from `c` only
 * the Node response and the request ID, so the Context can be collected while waiting.
 *
 * @example
 * const late = answerLater(c, services.errorHandler);
 * if (late) { wait.then((row) => late.json(toApi(row), 200), (error) => late.fail(error)); return answeredLater(); }
 */
export function answerLater(c: Context<AppEnv>, errorHandler: ErrorHandler): LateAnswer | undefined {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (!outgoing) return undefined;
  const late = new NodeLateAnswer(outgoing, errorHandler, c.get('requestId'), takeHeadersOff(outgoing));
  lateAnswers.set(c, late);
  return late;
}

/**
 * A class rather than closures: one object per waiting agent, where closures would each
 * carry a context (and, in the CLI bundle, a property array for their name).
 */
class NodeLateAnswer implements LateAnswer {
  private status: number | undefined;
  private listeners: Array<(status: number) => void> | undefined;

  constructor(
    private readonly outgoing: ServerResponse,
    private readonly errorHandler: ErrorHandler,
    private readonly requestId: string | undefined,
    private readonly preset: Array<string | string[] | number>,
  ) {}

  json(body: unknown, answered: number): void {
    const text = JSON.stringify(body);
    // The header record @hono/node-server builds for `c.json()` once responseHeaders set no-store.
    this.write(
      answered,
      {
        'cache-control': 'no-store',
        'content-type': 'application/json',
        'Content-Length': Buffer.byteLength(text),
      },
      text,
    );
  }

  fail(error: unknown): void {
    void renderError(this.errorHandler, this.requestId, error).then(
      ({ answered, headers, body }) => this.write(answered, headers, body),
      () => this.write(500, { 'content-type': 'text/plain' }, 'Internal Server Error'),
    );
  }

  onAnswered(listener: (status: number) => void): void {
    if (this.status !== undefined) {
      listener(this.status);
      return;
    }
    this.listeners ??= [];
    this.listeners.push(listener);
  }

  private write(answered: number, headers: Record<string, string | string[] | number>, body: string): void {
    if (this.status !== undefined) return;
    const { outgoing, preset } = this;
    // A client that went away gets nothing; its line still says what it would have been sent.
    if (!outgoing.writableEnded && !outgoing.destroyed) {
      for (let index = 0; index < preset.length; index += 2)
        outgoing.setHeader(preset[index] as string, preset[index + 1] as string | string[] | number);
      outgoing.writeHead(answered, headers);
      outgoing.end(body);
    }
    this.status = answered;
    const listeners = this.listeners ?? [];
    this.listeners = undefined;
    for (const listener of listeners) listener(answered);
  }
}

/**
 * The headers already set on the Node response (the request ID and the security headers),
 * as [name, value, …] in the order set and with their spelling, taken off it until the
 * answer puts them back: Node keeps a table and a [name, value] pair for each, about
 * 1.5 KB per waiting agent, where this list shares its names and values with every other.
 */
function takeHeadersOff(outgoing: ServerResponse): Array<string | string[] | number> {
  const preset: Array<string | string[] | number> = [];
  // Node has it since 15.13; the types this repository uses do not declare it.
  const rawNames = (outgoing as ServerResponse & { getRawHeaderNames(): string[] }).getRawHeaderNames();
  for (const name of rawNames) {
    const value = outgoing.getHeader(name);
    if (value !== undefined) preset.push(name, value);
  }
  for (const name of outgoing.getHeaderNames()) outgoing.removeHeader(name);
  return preset;
}

/**
 * What the app's error handler answers for `error`, on a Context of its own that knows only
 * the request ID (all the handler reads), turned into the status, header record and body
 * @hono/node-server would have written, with responseHeaders' `Cache-Control: no-store`.
 */
async function renderError(errorHandler: ErrorHandler, requestId: string | undefined, error: unknown) {
  const c = new HonoContext<AppEnv>(new Request('http://relay/api/'));
  if (requestId !== undefined) c.set('requestId', requestId);
  const thrown = error instanceof Error ? error : new Error(String(error));
  const response = await errorHandler(thrown, c);
  const headers = new Headers(response.headers);
  if (headers.get('cache-control') !== 'no-store') headers.set('Cache-Control', 'no-store');
  const body = await response.text();
  const record: Record<string, string | string[] | number> = {};
  const cookies: string[] = [];
  for (const [name, value] of headers) {
    if (name === 'set-cookie') cookies.push(value);
    else record[name] = value;
  }
  if (cookies.length > 0) record['set-cookie'] = cookies;
  record['content-type'] ??= 'text/plain; charset=UTF-8';
  if (!headers.has('content-length')) record['Content-Length'] = Buffer.byteLength(body);
  return { answered: response.status, headers: record, body };
}
