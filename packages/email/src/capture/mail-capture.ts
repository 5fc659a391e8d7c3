import {
  type ExtractionVerdict,
  type IncomingMessage,
  judgeExtraction,
  oldestPerAgent,
  requestMatchesMessage,
  routeMessage,
  sealOtpPayload,
  textOnce,
  visibleTextOf,
} from '@agent-otp/core';
import { type CaptureRequest, MAX_HELD_CANDIDATES } from '@agent-otp/shared';
import type { RelayPort } from '../relay/relay-port.js';
import type { MailLogger, MailReader, MailRef } from './mail-types.js';
import { parseMail } from './parse-mail.js';
import { RecentMail } from './recent-mail.js';

/** What became of one message; ids and request ids only, safe to log and count. */
export type CaptureResult =
  | 'delivered'
  | 'held_for_approval'
  | 'held_for_owner'
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
 * code, encrypt it to the request's key and deliver the ciphertext. A code below the relay's
 * threshold (`relay.minConfidence`) is not delivered: the request stays open and its owner
 * is told that a message from this sender held no clear code. Messages are handled one
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
    const candidates = requests.filter((request) =>
      requestMatchesMessage({ ...request, contentPattern: null }, headerView, () => ''),
    );
    if (candidates.length === 0) return this.#unserved(ref, headers.receivedAt);

    const raw = await this.#options.reader.raw(ref);
    if (!raw) return this.#finish(ref, 'gone');
    const body = await parseMail(raw);
    const message: IncomingMessage = { ...headerView, ...body, subject: body.subject ?? headers.subject };
    let verdict: ExtractionVerdict | undefined;
    const textOf = textOnce(visibleTextOf);
    let remaining = candidates;
    // Closes a request for the rest of the batch: it got the code, closed, or cannot take one.
    const drop = (id: string) => {
      remaining = remaining.filter((other) => other.id !== id);
      const index = requests.findIndex((other) => other.id === id);
      if (index >= 0) requests.splice(index, 1);
    };
    // Every pass drops at least one request or returns, so this ends.
    for (;;) {
      const decision = routeMessage(remaining, message, textOf);
      if (decision.kind === 'none') return this.#unserved(ref, headers.receivedAt);
      const first = decision.kind === 'deliver' ? decision.ranked[0] : decision.requests[0];
      if (!first) return this.#unserved(ref, headers.receivedAt);
      verdict ??= judgeExtraction(message, this.#options.relay.minConfidence);
      if (verdict.kind === 'unclear') {
        // Not clear enough to spend a request on: they stay open, and the owner is told a message
        // came, on each request it could have served (the winner, or every tied agent's oldest).
        const noted =
          decision.kind === 'ambiguous'
            ? oldestPerAgent(decision.requests).slice(0, MAX_HELD_CANDIDATES)
            : [first];
        for (const request of noted)
          await this.#options.relay.reportUnclear(request.id, {
            from: message.from,
            receivedAt: message.receivedAt,
            outcome: verdict.outcome,
            confidence: verdict.confidence,
          });
        return this.#finish(ref, 'no_code', first.id);
      }
      const { code } = verdict;

      if (decision.kind === 'ambiguous') {
        // Requests of different agents tie: seal the code to each and let the owner choose.
        const payloads: { requestId: string; agentId: string; encryptedPayload: string }[] = [];
        for (const request of oldestPerAgent(decision.requests).slice(0, MAX_HELD_CANDIDATES)) {
          const sealed = await this.#seal(request, message, code);
          if (sealed)
            payloads.push({ requestId: request.id, agentId: request.agentId, encryptedPayload: sealed });
          else drop(request.id);
        }
        if (new Set(payloads.map((p) => p.agentId)).size < 2) continue;
        const held = await this.#options.relay.hold({
          from: message.from,
          receivedAt: message.receivedAt,
          payloads: payloads.map(({ requestId, encryptedPayload }) => ({ requestId, encryptedPayload })),
        });
        if (held === 'taken') {
          // A candidate closed meanwhile: route again among the requests still open.
          const open = new Set((await this.#options.relay.openRequests()).map((request) => request.id));
          const gone = payloads.filter((p) => !open.has(p.requestId));
          if (gone.length === 0) throw new Error('the relay refused to hold a message for its owner');
          for (const p of gone) drop(p.requestId);
          continue;
        }
        for (const p of payloads) drop(p.requestId);
        return this.#finish(ref, 'held_for_owner');
      }

      const jwe = await this.#seal(first, message, code);
      if (!jwe) {
        drop(first.id);
        continue;
      }
      const outcome = await this.#options.relay.deliver(first.id, jwe);
      // Either way this request is no longer open for the rest of the batch.
      drop(first.id);
      if (outcome !== 'taken') {
        const result = outcome === 'pending_approval' ? 'held_for_approval' : 'delivered';
        return this.#finish(ref, result, first.id);
      }
    }
  }

  /** Seals the code to a request's key, or undefined when that key cannot encrypt (logged, ids only). */
  async #seal(request: CaptureRequest, message: IncomingMessage, code: string): Promise<string | undefined> {
    try {
      return await sealOtpPayload(request, message, code);
    } catch {
      this.#options.logger.warn({ requestId: request.id }, "a request's key cannot encrypt; trying the next");
      return undefined;
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
    else if (outcome.result === 'held_for_owner')
      logger.info({ result: outcome.result }, 'requests of several agents tie: held the code for the owner');
    else if (outcome.result === 'no_code')
      logger.info({ requestId: outcome.requestId }, 'a message matched a request but holds no clear code');
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
