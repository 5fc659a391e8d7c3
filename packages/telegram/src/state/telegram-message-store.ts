/** A message the bot sent about a request (or a held message), as its store records it. */
export interface TelegramMessageRecord {
  id: string;
  requestId: string;
  ownerId: string;
  chatId: number;
  messageId: number;
  /** Digest of what the message shows now. */
  renderedHash: string | null;
  hasButtons: boolean;
}

/**
 * What the bot remembers about the messages it sent, so it can edit them later and never
 * send one request twice to a chat, even with several relay instances.
 */
export interface TelegramMessageStore {
  /**
   * Claims the right to announce a request in a chat. Only one caller ever gets the claim;
   * returns its id, or undefined when someone already claimed it.
   */
  claim(options: { requestId: string; ownerId: string; chatId: number }): Promise<string | undefined>;
  /** Completes a claim once Telegram accepted the message. */
  recordSent(options: {
    claimId: string;
    messageId: number;
    renderedHash: string;
    hasButtons: boolean;
  }): Promise<void>;
  /** Gives a claim back after a send that may succeed later, or forgets a vanished message. */
  release(id: string): Promise<void>;
  /** Every delivered message about a request, in every chat. */
  list(requestId: string): Promise<TelegramMessageRecord[]>;
  /**
   * Moves a message's rendering from `fromHash` to `toHash` if nobody else did: whoever
   * wins edits the message in Telegram, so concurrent instances never edit twice.
   */
  markRendered(options: {
    id: string;
    fromHash: string | null;
    toHash: string;
    hasButtons: boolean;
  }): Promise<boolean>;
  /**
   * Requests with a message that still shows Approve/Deny buttons (by id), so a reconcile
   * pass can bring them up to date after missed events. Also frees claims whose send never
   * finished.
   */
  listWithOpenButtons(limit?: number): Promise<Array<{ requestId: string; ownerId: string }>>;
}
