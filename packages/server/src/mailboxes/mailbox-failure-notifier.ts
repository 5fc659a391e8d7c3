import { type CoreContext, isTroubledMailboxState, mailboxNoticeText } from '@agent-otp/core';
import { findOwnerMailbox } from '@agent-otp/db';
import type { Logger } from '../logger.js';
import type { MailboxHealthChange } from './mailbox-health-writer.js';

/** How the owner is told (Telegram when configured); resolves with how many chats got it. */
export type TellOwner = (ownerId: string, text: string) => Promise<number>;

interface NotifierOptions {
  ctx: CoreContext;
  thresholdMs: number;
  tell: TellOwner;
  logger: Logger;
  /** This instance's id in leases: only the holder of a mailbox's lease tells its owner. */
  instanceId: () => string;
}

interface Episode {
  /** When the mailbox left `idle`/`connecting`: the episode's start. */
  since: Date;
  latest: MailboxHealthChange;
  timer: NodeJS.Timeout | undefined;
  told: boolean;
}

/**
 * Tells an owner, once per failure episode, that one of their mailboxes has been reconnecting
 * or failing for longer than MAILBOX_FAILING_NOTICE_MINUTES. It listens to the health writes
 * of the mailboxes this instance runs: only the lease holder writes a mailbox's health, so
 * with several instances only that one sends. An episode ends when the mailbox is `idle`
 * again (the next failure is a new episode) or stops here (removed, edited, handed over).
 * The dashboard's banner does not depend on this: it reads the health columns.
 *
 * @example
 * const notifier = new MailboxFailureNotifier({ ctx, thresholdMs: 300_000, tell, logger, instanceId });
 * supervisorOptions.onHealthChange = (change) => notifier.healthChanged(change);
 */
export class MailboxFailureNotifier {
  readonly #episodes = new Map<string, Episode>();
  readonly #options: NotifierOptions;

  constructor(options: NotifierOptions) {
    this.#options = options;
  }

  healthChanged(change: MailboxHealthChange): void {
    const episode = this.#episodes.get(change.mailboxId);
    if (!isTroubledMailboxState(change.health.state)) {
      // `connecting` is a (re)start of the connector: the episode goes on if it fails again.
      if (change.health.state !== 'connecting') this.#end(change.mailboxId);
      return;
    }
    if (episode) {
      episode.latest = change;
      return;
    }
    const since = new Date(change.health.state_since);
    const started: Episode = { since, latest: change, timer: undefined, told: false };
    const wait = Math.max(0, since.getTime() + this.#options.thresholdMs - Date.now());
    started.timer = setTimeout(() => void this.#tell(change.mailboxId), wait).unref();
    this.#episodes.set(change.mailboxId, started);
  }

  /** Forgets every episode (shutdown): nothing is sent afterwards. */
  stop(): void {
    for (const id of [...this.#episodes.keys()]) this.#end(id);
  }

  #end(mailboxId: string): void {
    const episode = this.#episodes.get(mailboxId);
    if (!episode) return;
    clearTimeout(episode.timer);
    this.#episodes.delete(mailboxId);
  }

  async #tell(mailboxId: string): Promise<void> {
    const episode = this.#episodes.get(mailboxId);
    if (!episode || episode.told) return;
    episode.told = true;
    const { ownerId, name, health } = episode.latest;
    try {
      // The stored row is the truth: a mailbox removed, recovered, or taken over by another
      // instance (which tells the owner itself) while the timer ran is not worth a message.
      const row = await findOwnerMailbox(this.#options.ctx.database.db, ownerId, mailboxId);
      if (!row || !isTroubledMailboxState(row.state) || row.lease_holder !== this.#options.instanceId())
        return;
      const sent = await this.#options.tell(
        ownerId,
        mailboxNoticeText(name, episode.since, health.last_error),
      );
      this.#options.logger.info({ mailboxId, ownerId, chats: sent }, 'mailbox failing: owner told');
    } catch (error) {
      this.#options.logger.warn(
        { mailboxId, err: { message: (error as Error).message } },
        'mailbox failing: the owner could not be told',
      );
    }
  }
}
