import type { MailRef } from './mail-types.js';

const MAX_RECENT = 2_000;
const MAX_FINISHED = 10_000;

/**
 * What the pipeline remembers between messages, in memory only and by id and date alone:
 * mail that served no request yet (a request created a moment later may claim it, within the
 * look-back) and mail that is done with (so a resync or rescan never delivers it twice).
 */
export class RecentMail {
  readonly #unserved = new Map<string, Date>();
  readonly #finished = new Set<string>();

  /** Keeps a message that matched nothing, for a request that may still come. */
  remember(ref: MailRef, receivedAt: Date): void {
    if (this.#finished.has(ref.id)) return;
    this.#unserved.delete(ref.id);
    this.#unserved.set(ref.id, receivedAt);
    if (this.#unserved.size > MAX_RECENT) {
      const oldest = this.#unserved.keys().next().value;
      if (oldest !== undefined) this.#unserved.delete(oldest);
    }
  }

  /** A message that served a request, holds no code, or is too old: never look at it again. */
  finish(id: string): void {
    this.#unserved.delete(id);
    this.#finished.add(id);
    if (this.#finished.size > MAX_FINISHED) {
      const oldest = this.#finished.values().next().value;
      if (oldest !== undefined) this.#finished.delete(oldest);
    }
  }

  isFinished(id: string): boolean {
    return this.#finished.has(id);
  }

  /** Unserved mail received at or after `floor`, oldest first; older entries are dropped. */
  unservedSince(floor: Date): MailRef[] {
    const refs: MailRef[] = [];
    for (const [id, receivedAt] of this.#unserved) {
      if (receivedAt < floor) this.#unserved.delete(id);
      else refs.push({ id, receivedAt });
    }
    return refs.sort((a, b) => (a.receivedAt?.getTime() ?? 0) - (b.receivedAt?.getTime() ?? 0));
  }

  /** Ids are only meaningful within one mailbox generation (IMAP UIDVALIDITY). */
  clear(): void {
    this.#unserved.clear();
    this.#finished.clear();
  }
}
