import type { OtpRequest } from '@orrisai/agent-otp-contract';
import { ValidationError } from './errors.js';
import { backoffDelay, isTransientFailure, sleep } from './retry.js';
import { linkSignals } from './signals.js';
import { isSettledStatus } from './status.js';
import type { PendingApprovalInfo, WaitForOTPOptions } from './types.js';

/** Longest single long-poll the SDK asks for; the relay allows up to 60 s. */
export const LONG_POLL_CHUNK_SECONDS = 30;
/** Default total wait, in milliseconds. */
export const DEFAULT_WAIT_TIMEOUT_MS = 120_000;
/** A long-poll that returns this fast without a status change is a server not honouring `wait`. */
const EARLY_RETURN_MS = 50;
const EARLY_RETURN_PAUSE_MS = 250;

/**
 * Reads the request's status, holding the call up to `waitSeconds` on the server; `deadline`
 * (epoch ms) is the wait's end, past which a `Retry-After` is not waited out.
 */
export type FetchStatus = (
  waitSeconds: number,
  signal: AbortSignal | undefined,
  deadline: number,
) => Promise<OtpRequest>;

/**
 * The fields `onPendingApproval` receives.
 *
 * @example
 * await onPendingApproval(pendingApprovalInfo(created));
 */
export function pendingApprovalInfo(request: OtpRequest): PendingApprovalInfo {
  const { id, approvalUrl, expiresAt, keyFingerprint, reason } = request;
  return { id, approvalUrl, expiresAt, keyFingerprint, reason };
}

/**
 * Waits by long-poll (chunks of at most 30 s, the last one shortened to the deadline) until
 * the request has a code or has ended, and returns it. Never throws for `denied` or
 * `expired`; on timeout returns the last status seen. `initial`, when given, is a status the
 * caller has just read (e.g. the created request), so no first read is needed.
 *
 * @example
 * const request = await waitForSettled(fetchStatus, { timeout: 60_000 }, created);
 */
export async function waitForSettled(
  fetchStatus: FetchStatus,
  options: WaitForOTPOptions,
  initial?: OtpRequest,
): Promise<OtpRequest> {
  const timeout = options.timeout ?? DEFAULT_WAIT_TIMEOUT_MS;
  if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0)
    throw new ValidationError(
      'timeout must be a number of milliseconds ≥ 0 (Infinity waits until the request ends)',
    );
  const deadline = Date.now() + timeout;
  const userSignal = options.signal;
  userSignal?.throwIfAborted();
  const deadlineSignal = linkSignals([], timeout);
  const chunkSignal = linkSignals([userSignal, deadlineSignal.signal]);
  let notified = false;
  let outageReads = 0;
  const notify = async (request: OtpRequest) => {
    if (notified || request.status !== 'pending_approval' || !options.onPendingApproval) return;
    notified = true;
    await options.onPendingApproval(pendingApprovalInfo(request));
  };

  try {
    // The first read ignores the deadline: whatever the timeout, there is a status to return.
    let last = initial ?? (await fetchStatus(0, userSignal, deadline));
    for (;;) {
      await notify(last);
      if (isSettledStatus(last.status)) return last;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return last;
      const waitSeconds = Math.min(LONG_POLL_CHUNK_SECONDS, Math.ceil(remaining / 1000));
      const started = Date.now();
      let next: OtpRequest;
      try {
        next = await fetchStatus(waitSeconds, chunkSignal.signal, deadline);
        outageReads = 0;
      } catch (error) {
        userSignal?.throwIfAborted();
        if (deadlineSignal.signal.aborted) return last;
        if (!isTransientFailure(error)) throw error;
        // The relay is restarting or unreachable: keep trying, with backoff, until the deadline.
        try {
          await sleep(
            Math.min(backoffDelay(outageReads++), Math.max(0, deadline - Date.now())),
            chunkSignal.signal,
          );
        } catch (pauseEnded) {
          userSignal?.throwIfAborted();
          if (deadlineSignal.signal.aborted) return last;
          throw pauseEnded;
        }
        continue;
      }
      if (
        next.status === last.status &&
        Date.now() - started < EARLY_RETURN_MS &&
        !isSettledStatus(next.status)
      ) {
        try {
          await sleep(
            Math.min(EARLY_RETURN_PAUSE_MS, Math.max(0, deadline - Date.now())),
            chunkSignal.signal,
          );
        } catch (error) {
          userSignal?.throwIfAborted();
          if (!deadlineSignal.signal.aborted) throw error;
        }
      }
      last = next;
    }
  } finally {
    chunkSignal.dispose();
    deadlineSignal.dispose();
  }
}
