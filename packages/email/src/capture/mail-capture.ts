import { type IncomingMessage, pickRequestForMessage, sealOtpPayload, visibleTextOf } from '@agent-otp/core';
import { extractOTP } from '@agent-otp/extract';
import type { CaptureRequest } from '@agent-otp/shared';
import type { RelayPort } from '../relay/relay-port.js';
import type { MailLogger, MailReader, MailRef } from './mail-types.js';
import { parseMail } from './parse-mail.js';
import { RecentMail } from './recent-mail.js';

/** What became of one message; ids and request ids only, safe to log and count. */
export type CaptureResult =
  | 'delivered'
  | 'held_for_approval'
  | 'no_request'
  | 'no_code'
  | 'too_old'
  | 'gone'
  | 'failed';

export interface CaptureOutcome {
  messageId: string;
  result: CaptureResult;
  requestId?: string;
}

export interface MailCaptureOptions {
  relay: RelayPort;
  reader: MailReader;
  /** How long before a request's creation a message may have arrived and still serve it. */
  lookbackSeconds: number;
  logger: MailLogger;
  now?: () => Date;
  /** Told about every message handled (tests, benchmarks, metrics). */
  onOutcome?: (outcome: CaptureOutcome) => void;
}

/**
 * The connector core shared by IMAP and Gmail: for each new message, fetch only its headers,
 * check sender and time against the open email requests, and only for a possible match
 * download and parse the body, pick the request (content patterns included), extract the
 * code, encrypt it to the request's key and deliver the ciphertext. Messages are handled one
 * at a time, in arrival order.
 *
 * @example
 * const capture = new MailCapture({ relay, reader, lookbackSeconds: 120, logger });
 * await capture.handle([{ id: '42', receivedAt: new Date() }]);
 */
export class MailCapture {
  readonly #options: MailCaptureOptions;
  readonly #recent = new RecentMail();
  readonly #now: () => Date;
  #queue: Promise<void> = Promise.resolve();
  /** The last batch could not reach the relay: look at its mail again later. */
  #retryNeeded = false;

  constructor(options: MailCaptureOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  get retryNeeded(): boolean {
    return this.#retryNeeded;
  }

  /** Handles new mail (after the previous batch), resolving when it is done. */
  handle(refs: readonly MailRef[]): Promise<void> {
    const run = this.#queue.then(() => this.#handleBatch(refs));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Looks again at recent mail that served nothing, because a request may have appeared. */
  rescan(): Promise<void> {
    const floor = new Date(this.#now().getTime() - this.#options.lookbackSeconds * 1000);
    const run = this.#queue.then(() => this.#handleBatch(this.#recent.unservedSince(floor)));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Forgets every id (the mailbox's ids changed meaning: new UIDVALIDITY). */
  reset(): void {
    this.#recent.clear();
  }

  async #handleBatch(refs: readonly MailRef[]): Promise<void> {
    const fresh = refs.filter((ref) => !this.#recent.isFinished(ref.id));
    if (fresh.length === 0) return;
    let requests: CaptureRequest[];
    try {
      requests = await this.#options.relay.openRequests();
    } catch (error) {
      this.#retryLater(fresh, error);
      return;
    }
    this.#retryNeeded = false;
    try {
      await this.#options.reader.batch(async () => {
        for (const ref of fresh) {
          try {
            this.#report(ref, await this.#handleOne(ref, requests));
          } catch (error) {
            this.#retryLater([ref], error);
            this.#report(ref, { result: 'failed' });
          }
        }
      });
    } catch (error) {
      // The mailbox went away mid-batch (connection dropped): keep what was not done.
      this.#retryLater(
        fresh.filter((ref) => !this.#recent.isFinished(ref.id)),
        error,
      );
    }
  }

  async #handleOne(
    ref: MailRef,
    requests: CaptureRequest[],
  ): Promise<{ result: CaptureResult; requestId?: string }> {
    const now = this.#now();
    const floor = oldestUsefulArrival(requests, now, this.#options.lookbackSeconds);
    if (ref.receivedAt && ref.receivedAt < floor) return this.#finish(ref, 'too_old');
    if (requests.length === 0) return this.#unserved(ref, ref.receivedAt ?? now);

    const headers = await this.#options.reader.headers(ref);
    if (!headers) return this.#finish(ref, 'gone');
    if (headers.receivedAt < floor) return this.#finish(ref, 'too_old');
    const headerView: IncomingMessage = {
      source: 'email',
      from: headers.from,
      subject: headers.subject,
      receivedAt: headers.receivedAt,
    };
    // Sender and time decide whether the body is read at all; content patterns need the body.
    const candidates = requests.filter(
      (request) =>
        pickRequestForMessage([{ ...request, contentPattern: null }], headerView, () => '') !== undefined,
    );
    if (candidates.length === 0) return this.#unserved(ref, headers.receivedAt);

    const raw = await this.#options.reader.raw(ref);
    if (!raw) return this.#finish(ref, 'gone');
    const body = await parseMail(raw);
    const message: IncomingMessage = { ...headerView, ...body, subject: body.subject ?? headers.subject };
    let code: string | null | undefined;
    let remaining = candidates;
    for (;;) {
      const request = pickRequestForMessage(remaining, message, visibleTextOf);
      if (!request) return this.#unserved(ref, headers.receivedAt);
      code ??= extractOTP(message)?.code ?? null;
      if (code === null) return this.#finish(ref, 'no_code', request.id);
      const jwe = await sealOtpPayload(request, message, code);
      const outcome = await this.#options.relay.deliver(request.id, jwe);
      // Either way this request is no longer open for the rest of the batch.
      const index = requests.indexOf(request);
      if (index >= 0) requests.splice(index, 1);
      if (outcome !== 'taken') {
        const result = outcome === 'pending_approval' ? 'held_for_approval' : 'delivered';
        return this.#finish(ref, result, request.id);
      }
      remaining = remaining.filter((other) => other.id !== request.id);
    }
  }

  #finish(ref: MailRef, result: CaptureResult, requestId?: string) {
    this.#recent.finish(ref.id);
    return requestId ? { result, requestId } : { result };
  }

  #unserved(ref: MailRef, receivedAt: Date) {
    this.#recent.remember(ref, receivedAt);
    return { result: 'no_request' as const };
  }

  #retryLater(refs: readonly MailRef[], error: unknown) {
    this.#retryNeeded = true;
    for (const ref of refs) this.#recent.remember(ref, ref.receivedAt ?? this.#now());
    this.#options.logger.warn(
      { err: { name: (error as Error).name, message: (error as Error).message }, messages: refs.length },
      'mail could not be handled now; will look at it again',
    );
  }

  #report(ref: MailRef, outcome: { result: CaptureResult; requestId?: string }) {
    const { logger, onOutcome } = this.#options;
    if (outcome.result === 'delivered' || outcome.result === 'held_for_approval')
      logger.info({ requestId: outcome.requestId, result: outcome.result }, 'delivered an encrypted code');
    else if (outcome.result === 'no_code')
      logger.info({ requestId: outcome.requestId }, 'a message matched a request but holds no code');
    onOutcome?.({ messageId: ref.id, ...outcome });
  }
}

/**
 * Mail received before this instant can serve neither an open request nor one created from now
 * on (whose look-back starts at now − lookback).
 */
export function oldestUsefulArrival(
  requests: readonly CaptureRequest[],
  now: Date,
  lookbackSeconds: number,
): Date {
  let floor = now.getTime() - lookbackSeconds * 1000;
  for (const request of requests) floor = Math.min(floor, Date.parse(request.notBefore));
  return new Date(floor);
}
