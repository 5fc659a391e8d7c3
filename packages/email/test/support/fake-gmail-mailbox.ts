export interface StoredMessage {
  id: string;
  threadId: string;
  labelIds: string[];
  raw: string;
  /** Id of the history record that added the message, as Gmail reports per message. */
  historyId: string;
  /** Receipt time in ms since the epoch, a decimal string like Gmail's int64 fields. */
  internalDate: string;
}

export interface HistoryRecord {
  id: number;
  message: StoredMessage;
}

/**
 * The mailbox behind the fake Gmail API: messages plus an append-only history log.
 * History ids grow with gaps, as Gmail's do, so a connector cannot assume id + 1.
 */
export class FakeGmailMailbox {
  readonly messages: StoredMessage[] = [];
  readonly history: HistoryRecord[] = [];
  #historyId = 100_000 + Math.floor(Math.random() * 1000);
  /** start ids below this are "too old": Gmail answers 404 and the client must resync. */
  #oldestValidHistoryId = this.#historyId;
  #nextMessage = 0x18f3a00000000000n;

  get historyId(): number {
    return this.#historyId;
  }

  add(raw: string, labelIds: string[]): StoredMessage {
    this.#historyId += 3 + (this.history.length % 5);
    const id = (this.#nextMessage++).toString(16);
    const message: StoredMessage = {
      id,
      threadId: id,
      labelIds: [...labelIds],
      raw,
      historyId: String(this.#historyId),
      internalDate: String(Date.now()),
    };
    this.messages.push(message);
    this.history.push({ id: this.#historyId, message });
    return message;
  }

  expireHistory(): void {
    this.#oldestValidHistoryId = this.#historyId;
  }

  isExpired(startHistoryId: number): boolean {
    return startHistoryId < this.#oldestValidHistoryId;
  }

  find(id: string): StoredMessage | undefined {
    return this.messages.find((m) => m.id === id);
  }
}
