import { sleep } from '../backoff.js';
import type { RelayPort } from '../relay/relay-port.js';
import type { MailCapture } from './mail-capture.js';
import type { MailLogger } from './mail-types.js';

/** Even without news, look up every so often: retries mail the relay could not take before. */
const ROUND_MS = 30_000;
const ERROR_PAUSE_MS = 5_000;

/**
 * Runs until `signal` aborts: whenever a new request appears, mail that arrived shortly
 * before it (within the look-back) and served nothing is looked at again. This is what lets
 * a code sent a moment before the agent asked still reach it.
 *
 * @example
 * void watchNewRequests(relay, capture, logger, stop.signal);
 */
export async function watchNewRequests(
  relay: RelayPort,
  capture: MailCapture,
  logger: MailLogger,
  signal: AbortSignal,
): Promise<void> {
  let known: ReadonlySet<string> | undefined;
  while (!signal.aborted) {
    try {
      known ??= new Set((await relay.openRequests()).map((request) => request.id));
      await relay.waitForNewRequests(known, AbortSignal.any([signal, AbortSignal.timeout(ROUND_MS)]));
      if (signal.aborted) return;
      const open = await relay.openRequests();
      const appeared = open.some((request) => !known?.has(request.id));
      known = new Set(open.map((request) => request.id));
      if (appeared || capture.retryNeeded) await capture.rescan();
    } catch (error) {
      if (signal.aborted) return;
      logger.warn({ err: { message: (error as Error).message } }, 'could not watch for new requests');
      await sleep(ERROR_PAUSE_MS, signal);
    }
  }
}
