import {
  approvalUrl,
  type CheckedPostResult,
  type CoreContext,
  getDecisionSubject,
  postToCheckedAddress,
  sleep,
} from '@agent-otp/core';
import {
  deletePushSubscription,
  type PushSubscriptionRow,
  selectOwnerPushSubscriptions,
} from '@agent-otp/db';
import webpush from 'web-push';
import type { Logger } from '../logger.js';
import { watchNewPendingRequests } from '../notifications/new-pending-requests.js';
import { pushEndpointPolicy } from './push-endpoint-policy.js';
import type { VapidKeys } from './vapid-keys.js';

/** How long a push service keeps an undelivered message: a request rarely waits longer. */
const PUSH_TTL_SECONDS = 15 * 60;
/** Between attempts when a push service fails (5xx, 429, network): then the message is given up. */
export const DEFAULT_PUSH_RETRY_DELAYS_MS = [2_000, 15_000, 60_000];
/** Sends in flight at once across all subscriptions. */
const MAX_CONCURRENT_SENDS = 8;

/** What the service worker shows: safe facts only, never a code or the agent's reason. */
export interface PushPayload {
  requestId: string;
  kind: 'otp' | 'permission';
  agent: string;
  risk: 'low' | 'elevated' | 'high' | null;
  title: string;
  url: string;
}

export interface PushNotifierOptions {
  ctx: CoreContext;
  logger: Logger;
  vapid: VapidKeys;
  /** PUSH_ALLOW_PRIVATE: endpoints may be http and internal (tests). */
  allowPrivate: boolean;
  retryDelaysMs?: readonly number[];
  timeoutMs?: number;
}

export interface PushNotifier {
  /** Resolves once every send started so far finished or was given up (tests). */
  idle(): Promise<void>;
  stop(): Promise<void>;
}

/** The push service's origin, for logs: the rest of the endpoint is a capability. */
const originOf = (endpoint: string) => new URL(endpoint).origin;

/**
 * Sends an encrypted Web Push message (RFC 8291 aes128gcm, VAPID RFC 8292, TTL 15 min,
 * urgency high) to each browser of the owner once per request that starts waiting for their
 * decision. A 404 or 410 means the browser unsubscribed: the subscription is deleted. Other
 * failures are retried a few times and logged by the push service's origin only.
 *
 * @example
 * const notifier = startPushNotifier({ ctx, logger, vapid, allowPrivate: false });
 */
export function startPushNotifier(options: PushNotifierOptions): PushNotifier {
  const { ctx, vapid } = options;
  const logger = options.logger.child({ component: 'web-push' });
  const retryDelays = options.retryDelaysMs ?? DEFAULT_PUSH_RETRY_DELAYS_MS;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const policy = pushEndpointPolicy(options.allowPrivate);
  let active = 0;
  const waiting: Array<() => void> = [];

  async function withSlot<T>(task: () => Promise<T>): Promise<T> {
    if (active >= MAX_CONCURRENT_SENDS) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await task();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  }

  function post(subscription: PushSubscriptionRow, payload: string): Promise<CheckedPostResult> {
    const details = webpush.generateRequestDetails(
      { endpoint: subscription.endpoint, keys: { p256dh: subscription.p256dh, auth: subscription.auth } },
      payload,
      {
        vapidDetails: { subject: vapid.subject, publicKey: vapid.publicKey, privateKey: vapid.privateKey },
        TTL: PUSH_TTL_SECONDS,
        urgency: 'high',
        contentEncoding: 'aes128gcm',
      },
    );
    return postToCheckedAddress({
      url: details.endpoint,
      headers: details.headers as Record<string, string | number>,
      body: details.body as Buffer | null,
      policy,
      timeoutMs,
      what: 'push endpoints',
    });
  }

  async function deliver(subscription: PushSubscriptionRow, requestId: string, payload: string) {
    const service = originOf(subscription.endpoint);
    for (let attempt = 0; !watch.signal.aborted; attempt += 1) {
      const result = await withSlot(() => post(subscription, payload));
      if ('httpStatus' in result && result.httpStatus >= 200 && result.httpStatus < 300) {
        logger.info({ requestId, service }, 'web push: notification sent');
        return;
      }
      if ('httpStatus' in result && (result.httpStatus === 404 || result.httpStatus === 410)) {
        await deletePushSubscription(ctx.database.db, subscription.owner_id, subscription.id);
        logger.info(
          { requestId, service, httpStatus: result.httpStatus },
          'web push: subscription gone; removed',
        );
        return;
      }
      const failure = 'httpStatus' in result ? `HTTP ${result.httpStatus}` : result.error;
      // A 4xx other than 404/410/429 will not change on retry (bad key, payload too large).
      const permanent = 'httpStatus' in result && result.httpStatus < 500 && result.httpStatus !== 429;
      const delay = permanent ? undefined : retryDelays[attempt];
      if (delay === undefined) {
        logger.error(
          { requestId, service, attempts: attempt + 1, failure },
          'web push: notification given up',
        );
        return;
      }
      logger.warn(
        { requestId, service, attempt: attempt + 1, retryInMs: delay, failure },
        'web push: send failed; retrying',
      );
      await sleep(delay, watch.signal);
    }
  }

  async function announce(ownerId: string, requestId: string): Promise<void> {
    const subscriptions = await selectOwnerPushSubscriptions(ctx.database.db, ownerId);
    if (subscriptions.length === 0) return;
    const subject = await getDecisionSubject(ctx, ownerId, requestId);
    if (!subject?.pending) return;
    const payload: PushPayload = {
      requestId,
      kind: subject.kind,
      agent: subject.agent.name,
      risk: subject.risk?.level ?? null,
      title: subject.title,
      url: approvalUrl(ctx, requestId),
    };
    const text = JSON.stringify(payload);
    await Promise.all(subscriptions.map((s) => deliver(s, requestId, text)));
  }

  const watch = watchNewPendingRequests(ctx, (ownerId, requestId) =>
    announce(ownerId, requestId).catch((error: unknown) =>
      logger.error({ requestId, err: { message: (error as Error).message } }, 'web push: failed'),
    ),
  );

  return { idle: () => watch.idle(), stop: () => watch.stop() };
}
