import {
  type CoreContext,
  findOwnersOfTelegramUser,
  findSubjectForTelegramUser,
  listAgents,
  listPendingDecisions,
  type Owner,
  redeemTelegramLinkToken,
} from '@agent-otp/core';
import { AppError, toStorableText } from '@agent-otp/shared';
import type { Bot, CommandContext, Context } from 'grammy';
import { escapeHtml, formatTime, truncate, userText } from './html.js';
import type { BotLogger } from './logger.js';
import { renderDecisionMessage } from './render-decision.js';
import type { RequestSynchroniser } from './request-sync.js';

/** The commands shown in Telegram's menu (registered with setMyCommands). */
export const BOT_COMMANDS = [
  { command: 'pending', description: 'Requests waiting for your decision' },
  { command: 'status', description: 'How a request stands: /status <request id>' },
  { command: 'agents', description: 'Your agents' },
  { command: 'help', description: 'What this bot does' },
] as const;

const NOT_LINKED =
  'This Telegram account is not linked to an Agent OTP owner yet.\n' +
  'On the relay, run <code>agent-otp telegram:link</code> and open the link it prints.';

const HELP = [
  '<b>Agent OTP approvals</b>',
  'When one of your agents asks for a verification code or a permission, you get a message here with ✅ Approve and ❌ Deny. The message is updated when the request is decided (here or anywhere else), expires or is cancelled.',
  '',
  '/pending: requests waiting for your decision',
  '/status &lt;id&gt;: how a request stands',
  '/agents: your agents',
  '/help: this text',
].join('\n');

/** Telegram refuses messages over 4096 characters; lists stop well before. */
const MAX_LIST_ITEMS = 20;
const REQUEST_ID = /^[a-z]{3}_[0-9A-Za-z]{1,60}$/;

type Reply = (tg: Context, html: string) => Promise<unknown>;

interface CommandDeps {
  ctx: CoreContext;
  logger: BotLogger;
  sync: RequestSynchroniser;
}

function label(tg: Context): string {
  const from = tg.from;
  if (!from) return 'Telegram user';
  // Stored as the link's audit label: nothing PostgreSQL would refuse.
  return from.username ? `Telegram @${toStorableText(from.username)}` : `Telegram id ${from.id}`;
}

async function linkedOwners(deps: CommandDeps, tg: Context, reply: Reply): Promise<Owner[] | undefined> {
  const owners = tg.from ? await findOwnersOfTelegramUser(deps.ctx, tg.from.id) : [];
  if (owners.length === 0) {
    await reply(tg, NOT_LINKED);
    return undefined;
  }
  return owners;
}

async function start(deps: CommandDeps, tg: CommandContext<Context>, reply: Reply): Promise<void> {
  const token = tg.match.trim();
  if (!tg.from || !tg.chat) return;
  if (token === '') {
    const owners = await findOwnersOfTelegramUser(deps.ctx, tg.from.id);
    await reply(
      tg,
      owners.length > 0
        ? `You are linked to ${owners.map((o) => `<b>${escapeHtml(o.email)}</b>`).join(', ')}.\n\n${HELP}`
        : `${NOT_LINKED}\n\n${HELP}`,
    );
    return;
  }
  try {
    const { owner, newlyLinked } = await redeemTelegramLinkToken(deps.ctx, {
      token,
      telegramUserId: tg.from.id,
      chatId: tg.chat.id,
      label: label(tg),
    });
    deps.logger.info({ ownerId: owner.id, telegramUserId: tg.from.id }, 'telegram: account linked');
    await reply(
      tg,
      newlyLinked
        ? `✅ Linked to <b>${escapeHtml(owner.email)}</b>. Approval requests will arrive in this chat.`
        : `This account was already linked to <b>${escapeHtml(owner.email)}</b>; requests now arrive in this chat.`,
    );
    for (const subject of await listPendingDecisions(deps.ctx, owner.id))
      await deps.sync.sync(owner.id, subject.id, { announce: true });
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'NOT_FOUND') throw error;
    deps.logger.warn({ telegramUserId: tg.from.id }, 'telegram: refused an invalid or used link');
    await reply(
      tg,
      '❌ This link is not valid any more: links work once and expire after 15 minutes.\n' +
        'Run <code>agent-otp telegram:link</code> for a new one.',
    );
  }
}

async function pending(deps: CommandDeps, tg: Context, reply: Reply): Promise<void> {
  const owners = await linkedOwners(deps, tg, reply);
  if (!owners) return;
  const subjects = (await Promise.all(owners.map((o) => listPendingDecisions(deps.ctx, o.id)))).flat();
  if (subjects.length === 0) {
    await reply(tg, 'Nothing is waiting for your decision.');
    return;
  }
  const items = subjects
    .slice(0, MAX_LIST_ITEMS)
    .map((s) =>
      [
        `• <b>${userText(s.title, 120)}</b>`,
        `  ${userText(s.reason, 160)}`,
        `  <code>${escapeHtml(s.id)}</code> · expires ${formatTime(s.expiresAt)}`,
      ].join('\n'),
    );
  const more = subjects.length > MAX_LIST_ITEMS ? `\n…and ${subjects.length - MAX_LIST_ITEMS} more.` : '';
  await reply(
    tg,
    `<b>${subjects.length} waiting for your decision</b>\n\n${items.join('\n\n')}${more}\n\n` +
      'Decide with the buttons on each request’s message, or see one with /status &lt;id&gt;.',
  );
}

async function status(deps: CommandDeps, tg: CommandContext<Context>, reply: Reply): Promise<void> {
  const owners = await linkedOwners(deps, tg, reply);
  if (!owners || !tg.from) return;
  const id = tg.match.trim();
  if (!REQUEST_ID.test(id)) {
    await reply(tg, 'Give a request id: <code>/status otp_…</code>');
    return;
  }
  const found = await findSubjectForTelegramUser(deps.ctx, tg.from.id, id);
  if (!found) {
    await reply(tg, `No request <code>${escapeHtml(truncate(id, 64))}</code> among yours.`);
    return;
  }
  // Shown without buttons: this copy is not kept up to date, the original message is.
  await reply(tg, renderDecisionMessage(found.subject).html);
}

async function agents(deps: CommandDeps, tg: Context, reply: Reply): Promise<void> {
  const owners = await linkedOwners(deps, tg, reply);
  if (!owners) return;
  const lines: string[] = [];
  for (const owner of owners) {
    const list = await listAgents(deps.ctx, owner.id);
    if (owners.length > 1) lines.push(`<b>${escapeHtml(owner.email)}</b>`);
    if (list.length === 0) lines.push('No agents yet. Create one with <code>agent-otp agent:create</code>.');
    for (const agent of list.slice(0, MAX_LIST_ITEMS)) {
      const keys = agent.keys.filter((k) => !k.revokedAt).map((k) => `${k.prefix}… (${k.environment})`);
      lines.push(
        `• <b>${userText(agent.name, 100)}</b> <code>${escapeHtml(agent.id)}</code>` +
          (agent.revokedAt
            ? ` · revoked ${formatTime(agent.revokedAt)}`
            : ` · keys: ${escapeHtml(keys.join(', ') || 'none')}`),
      );
    }
    if (list.length > MAX_LIST_ITEMS) lines.push(`…and ${list.length - MAX_LIST_ITEMS} more.`);
  }
  await reply(tg, lines.join('\n'));
}

/**
 * `/start <token>` (deep-link linking), `/pending`, `/status <id>`, `/agents`, `/help`.
 * Everything but `/start` and `/help` answers only Telegram users linked to an owner, and
 * shows only that owner's data.
 */
export function registerCommands(bot: Bot, deps: CommandDeps): void {
  const reply: Reply = (tg, html) =>
    tg.reply(html, { parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
  bot.command('start', (tg) => start(deps, tg, reply));
  bot.command('pending', (tg) => pending(deps, tg, reply));
  bot.command('status', (tg) => status(deps, tg, reply));
  bot.command('agents', (tg) => agents(deps, tg, reply));
  bot.command('help', (tg) => reply(tg, HELP));
}
