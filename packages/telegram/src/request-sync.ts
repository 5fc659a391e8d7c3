import {
  approvalUrl,
  type CoreContext,
  type DecisionSubject,
  getDecisionSubject,
  getHeldMessage,
  listTelegramLinks,
} from '@agent-otp/core';
import type { Api, InlineKeyboard } from 'grammy';
import { classifyApiError, describeApiError } from './bot-api-errors.js';
import { decisionKeyboard } from './callback-data.js';
import { heldKeyboard } from './held-callback-data.js';
import type { BotLogger } from './logger.js';
import { approvesInDashboard, type RenderedDecision, renderDecisionMessage } from './render-decision.js';
import { renderHeldMessage } from './render-held-message.js';
import type { TelegramMessageRecord, TelegramMessageStore } from './state/telegram-message-store.js';

// Telegram shows a preview for the first URL in a message; a reason must not pull one in.
const NO_PREVIEW = { link_preview_options: { is_disabled: true } } as const;

/** What a chat message is about: a request, or a message held for the owner to assign. */
interface Shown {
  id: string;
  ownerId: string;
  pending: boolean;
  rendered: RenderedDecision;
  keyboard: InlineKeyboard | undefined;
}

interface Pending {
  ownerId: string;
  announce: boolean;
  again: boolean;
  done: Promise<void>;
}

/**
 * Keeps every Telegram message about a request truthful. `sync` announces a pending
 * request in each linked chat that has not seen it, and edits every message whose shown
 * state differs from the request's. Calls for one request run one at a time (a burst of
 * events collapses into one more pass), so a decision arriving during the first send is
 * still reflected.
 */
export class RequestSynchroniser {
  private readonly pending = new Map<string, Pending>();
  private stopped = false;

  constructor(
    private readonly ctx: CoreContext,
    private readonly api: Api,
    private readonly logger: BotLogger,
    private readonly messages: TelegramMessageStore,
  ) {}

  /**
   * Brings the messages about one request up to date. `announce` also sends it to linked
   * chats that have no message yet (for new requests and reconcile passes).
   */
  sync(ownerId: string, requestId: string, options: { announce: boolean }): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const running = this.pending.get(requestId);
    if (running) {
      running.again = true;
      running.announce ||= options.announce;
      return running.done;
    }
    const entry: Pending = { ownerId, announce: options.announce, again: false, done: Promise.resolve() };
    entry.done = (async () => {
      try {
        do {
          entry.again = false;
          const announce = entry.announce;
          entry.announce = false;
          await this.syncOnce(ownerId, requestId, announce);
        } while (entry.again && !this.stopped);
      } catch (error) {
        this.logger.error({ requestId, ...describeApiError(error) }, 'telegram: could not update a request');
      } finally {
        this.pending.delete(requestId);
      }
    })();
    this.pending.set(requestId, entry);
    return entry.done;
  }

  /** Refuses new work and waits for what is running. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.pending.values()].map((p) => p.done));
  }

  private async syncOnce(ownerId: string, requestId: string, announce: boolean): Promise<void> {
    const messages = await this.messages.list(requestId);
    if (!announce && messages.length === 0) return;
    const shown = await this.load(ownerId, requestId);
    if (!shown) return;
    if (announce && shown.pending) await this.announce(shown);
    for (const message of messages) {
      if (message.renderedHash !== shown.rendered.hash) await this.edit(message, shown);
    }
  }

  /** The current text and buttons for a request or a held message (`hld_…`). */
  private async load(ownerId: string, id: string): Promise<Shown | undefined> {
    if (id.startsWith('hld_')) {
      const view = await getHeldMessage(this.ctx, ownerId, id);
      if (!view) return undefined;
      const rendered = renderHeldMessage(view);
      return {
        id,
        ownerId,
        pending: view.status === 'pending',
        rendered,
        keyboard: rendered.buttons ? heldKeyboard(view) : undefined,
      };
    }
    const subject: DecisionSubject | undefined = await getDecisionSubject(this.ctx, ownerId, id);
    if (!subject) return undefined;
    const dashboard = approvalUrl(this.ctx, subject.id);
    const rendered = renderDecisionMessage(subject, { approvalUrl: dashboard });
    return {
      id,
      ownerId: subject.ownerId,
      pending: subject.pending,
      rendered,
      keyboard: rendered.buttons
        ? decisionKeyboard(
            subject.id,
            // A high-risk request is never turned into a rule from Telegram (only in the dashboard).
            approvesInDashboard(subject) ? { approveInDashboard: dashboard } : { alwaysAllow: true },
          )
        : undefined,
    };
  }

  private async announce(subject: Shown): Promise<void> {
    const { rendered } = subject;
    for (const link of await listTelegramLinks(this.ctx, subject.ownerId)) {
      const claim = await this.messages.claim({
        requestId: subject.id,
        ownerId: subject.ownerId,
        chatId: link.chatId,
      });
      if (!claim) continue;
      try {
        const sent = await this.api.sendMessage(link.chatId, rendered.html, {
          parse_mode: 'HTML',
          ...NO_PREVIEW,
          ...(subject.keyboard ? { reply_markup: subject.keyboard } : {}),
        });
        await this.messages.recordSent({
          claimId: claim,
          messageId: sent.message_id,
          renderedHash: rendered.hash,
          hasButtons: rendered.buttons,
        });
        this.logger.info(
          { requestId: subject.id, chatId: link.chatId, messageId: sent.message_id },
          'telegram: approval request sent',
        );
      } catch (error) {
        const failure = classifyApiError(error);
        // A blocked or vanished chat keeps its claim: retrying would fail the same way until
        // the user writes to the bot again. Anything else may work on the next pass.
        if (failure !== 'blocked' && failure !== 'gone') await this.messages.release(claim);
        this.logger.warn(
          { requestId: subject.id, chatId: link.chatId, failure, ...describeApiError(error) },
          'telegram: could not send an approval request',
        );
      }
    }
  }

  private async edit(message: TelegramMessageRecord, subject: Shown): Promise<void> {
    const { rendered } = subject;
    const won = await this.messages.markRendered({
      id: message.id,
      fromHash: message.renderedHash,
      toHash: rendered.hash,
      hasButtons: rendered.buttons,
    });
    if (!won) return; // another instance is editing it to the same state
    try {
      await this.api.editMessageText(message.chatId, message.messageId, rendered.html, {
        parse_mode: 'HTML',
        ...NO_PREVIEW,
        // Omitting reply_markup in an edit removes the keyboard.
        ...(subject.keyboard ? { reply_markup: subject.keyboard } : {}),
      });
    } catch (error) {
      const failure = classifyApiError(error);
      if (failure === 'not_modified') return;
      if (failure === 'gone') {
        await this.messages.release(message.id);
      } else if (failure === 'transient') {
        // Put the old state back so the next pass tries again.
        await this.messages.markRendered({
          id: message.id,
          fromHash: rendered.hash,
          toHash: message.renderedHash ?? '',
          hasButtons: message.hasButtons,
        });
      }
      this.logger.warn(
        { requestId: subject.id, chatId: message.chatId, failure, ...describeApiError(error) },
        'telegram: could not update a message',
      );
    }
  }
}
