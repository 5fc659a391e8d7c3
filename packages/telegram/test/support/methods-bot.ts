import { badRequest, conflict } from './api-error.js';
import type { BotCommand, WebhookInfo } from './bot-api-types.js';
import { type MethodHandler, ok } from './bot-state.js';
import { type Params, readBoolean, readInteger, readJson, readString } from './request-params.js';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const SECRET_TOKEN = /^[A-Za-z0-9_-]+$/;
const MAX_SECRET_TOKEN_LENGTH = 256;
const COMMAND_NAME = /^[a-z0-9_]{1,32}$/;
const MAX_COMMANDS = 100;

export const getMe: MethodHandler = (state) => ok(state.botUser);

function readAllowedUpdates(params: Params): string[] | undefined {
  const raw = readJson(params, 'allowed_updates', () =>
    badRequest("can't parse allowed updates JSON object"),
  );
  if (raw === undefined) return undefined;
  if (!Array.isArray(raw) || raw.some((t) => typeof t !== 'string')) {
    throw badRequest("can't parse allowed updates JSON object");
  }
  return raw as string[];
}

export const getUpdates: MethodHandler = async (state, params, io) => {
  if (state.webhook) {
    throw conflict(
      "can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  const limit = Math.min(Math.max(readInteger(params, 'limit') ?? 100, 1), 100);
  const offset = readInteger(params, 'offset');
  const allowedUpdates = readAllowedUpdates(params);
  const updates = await state.updates.poll(
    {
      limit,
      timeoutSeconds: Math.max(readInteger(params, 'timeout') ?? 0, 0),
      ...(offset !== undefined ? { offset } : {}),
      ...(allowedUpdates !== undefined ? { allowedUpdates } : {}),
    },
    (cancel) => io.onClientGone(cancel),
  );
  return ok(updates);
};

function readWebhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw badRequest('bad webhook: Failed to resolve host: Name or service not known');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw badRequest('bad webhook: An HTTPS URL must be provided for webhook');
  }
  // Telegram requires HTTPS on ports 443/80/88/8443; the stand-in instead requires loopback,
  // so that a test can never make it POST anywhere beyond this machine.
  if (!LOOPBACK_HOSTS.has(url.hostname)) {
    throw badRequest(
      'bad webhook: the stand-in only delivers to loopback addresses (127.0.0.1, ::1, localhost)',
    );
  }
  return url.href;
}

export const setWebhook: MethodHandler = (state, params) => {
  const rawUrl = readString(params, 'url') ?? '';
  if (rawUrl === '') return deleteWebhook(state, params, { onClientGone: () => {} });
  const url = readWebhookUrl(rawUrl);
  const secret = readString(params, 'secret_token');
  if (secret !== undefined && secret !== '') {
    if (secret.length > MAX_SECRET_TOKEN_LENGTH) throw badRequest('secret token is too long');
    if (!SECRET_TOKEN.test(secret)) throw badRequest('secret token contains unallowed characters');
  }
  const allowedUpdates = readAllowedUpdates(params);
  if (allowedUpdates !== undefined) state.updates.allowedUpdates = allowedUpdates;
  if (readBoolean(params, 'drop_pending_updates')) state.updates.dropPending();
  const maxConnections = readInteger(params, 'max_connections');
  const unchanged = state.webhook?.url === url && state.webhook.secret_token === (secret || undefined);
  state.webhook = {
    url,
    ...(secret ? { secret_token: secret } : {}),
    ...(maxConnections !== undefined ? { max_connections: maxConnections } : {}),
  };
  state.updates.terminateHeld(conflict('terminated by setWebhook request'));
  return ok(true, unchanged ? 'Webhook is already set' : 'Webhook was set');
};

export const deleteWebhook: MethodHandler = (state, params) => {
  if (readBoolean(params, 'drop_pending_updates')) state.updates.dropPending();
  const wasSet = state.webhook !== undefined;
  state.webhook = undefined;
  return ok(true, wasSet ? 'Webhook was deleted' : 'Webhook is already deleted');
};

export const getWebhookInfo: MethodHandler = (state) => {
  const hook = state.webhook;
  const allowed = state.updates.allowedUpdates;
  const info: WebhookInfo = {
    url: hook?.url ?? '',
    has_custom_certificate: false,
    pending_update_count: state.updates.pendingCount,
    ...(hook?.last_error_date !== undefined ? { last_error_date: hook.last_error_date } : {}),
    ...(hook?.last_error_message !== undefined ? { last_error_message: hook.last_error_message } : {}),
    ...(hook?.max_connections !== undefined ? { max_connections: hook.max_connections } : {}),
    ...(hook && allowed && allowed.length > 0 ? { allowed_updates: allowed } : {}),
  };
  return ok(info);
};

/** Commands are stored per scope and language, as Telegram does. */
function commandsKey(params: Params): string {
  const scope = readJson(params, 'scope', () => badRequest("can't parse BotCommandScope JSON object")) ?? {
    type: 'default',
  };
  return `${JSON.stringify(scope)}|${readString(params, 'language_code') ?? ''}`;
}

export const setMyCommands: MethodHandler = (state, params) => {
  const raw = readJson(params, 'commands', () => badRequest("can't parse commands JSON object"));
  if (!Array.isArray(raw)) throw badRequest('parameter "commands" is required');
  if (raw.length > MAX_COMMANDS) throw badRequest('too many commands specified');
  const commands = raw.map((item: unknown): BotCommand => {
    const c = (item ?? {}) as Record<string, unknown>;
    if (typeof c.command !== 'string' || !COMMAND_NAME.test(c.command.replace(/^\//, ''))) {
      throw badRequest('BOT_COMMAND_INVALID');
    }
    if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
      throw badRequest('command description must be non-empty');
    }
    return { command: c.command.replace(/^\//, ''), description: c.description };
  });
  state.commands.set(commandsKey(params), commands);
  return ok(true);
};

export const deleteMyCommands: MethodHandler = (state, params) => {
  state.commands.delete(commandsKey(params));
  return ok(true);
};

export const getMyCommands: MethodHandler = (state, params) =>
  ok(state.commands.get(commandsKey(params)) ?? []);
