import { STATUS_CODES } from 'node:http';
import type { Update } from './bot-api-types.js';
import type { ApiCall, BotState } from './bot-state.js';
import { unixNow } from './chat-store.js';
import { dispatch } from './http-server.js';
import type { Params } from './request-params.js';

const DELIVERY_TIMEOUT_MS = 30_000;

export interface DeliverOptions {
  /** Header value to send; `undefined` sends the configured secret, `null` sends no header. */
  secretToken?: string | null;
}

/**
 * POSTs an update to the bot's webhook as Telegram does: JSON body, secret in
 * `X-Telegram-Bot-Api-Secret-Token`. A 2xx answer confirms the update; a JSON answer with
 * a `method` field is executed as a webhook reply, as the Bot API does.
 */
export async function deliverWebhook(
  state: BotState,
  update: Update,
  options: DeliverOptions,
  signal: AbortSignal,
): Promise<number> {
  const hook = state.webhook;
  if (!hook) throw new Error('deliverWebhook: no webhook is set; the bot has not called setWebhook');
  const secret = options.secretToken === undefined ? hook.secret_token : options.secretToken;
  const response = await fetch(hook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(secret !== null && secret !== undefined ? { 'x-telegram-bot-api-secret-token': secret } : {}),
    },
    body: JSON.stringify(update),
    signal: AbortSignal.any([signal, AbortSignal.timeout(DELIVERY_TIMEOUT_MS)]),
  });
  const body = await response.text();
  if (response.status >= 200 && response.status < 300) {
    state.updates.remove(update.update_id);
    await runWebhookReply(state, response.headers.get('content-type'), body);
  } else if (state.webhook) {
    state.webhook.last_error_date = unixNow();
    state.webhook.last_error_message =
      `Wrong response from the webhook: ${response.status} ${STATUS_CODES[response.status] ?? ''}`.trim();
  }
  state.notify();
  return response.status;
}

async function runWebhookReply(state: BotState, contentType: string | null, body: string): Promise<void> {
  if (!contentType?.includes('application/json') || body.trim() === '') return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return; // Telegram ignores a webhook answer it cannot read.
  }
  if (typeof parsed !== 'object' || parsed === null) return;
  const { method, ...params } = parsed as Params;
  if (typeof method !== 'string') return;
  const call: ApiCall = { method, body: params, at: Date.now(), via: 'webhook_reply' };
  await dispatch(state, call, () => {});
}
