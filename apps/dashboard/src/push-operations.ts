import type { PushSubscriptionBody, VapidPublicKey } from '@agent-otp/shared';
import { api } from './api.js';

// "Notify this device" (issue 15): the Web Push routes, typed by their schemas (types only).

/** The Web Push operations, named by their operationId. */
export const pushOperations = {
  getVapidPublicKey: () => api('/owner/push/vapid-public-key') as Promise<VapidPublicKey>,
  subscribePush: (body: PushSubscriptionBody) =>
    api('/owner/push/subscriptions', { body }) as Promise<{ subscribed: boolean }>,
  getPushSubscriptionState: (endpoint: string) =>
    api('/owner/push/subscriptions/state', { body: { endpoint } }) as Promise<{ subscribed: boolean }>,
  unsubscribePush: (endpoint: string) =>
    api('/owner/push/subscriptions', { method: 'DELETE', body: { endpoint } }) as Promise<{
      subscribed: boolean;
    }>,
};
