import type { OtpStatus } from '@agent-otp/shared';

/** Something that happened to a request, published after its transaction commits. */
export interface RequestEvent {
  type: 'otp.created' | 'otp.status';
  requestId: string;
  ownerId: string;
  agentId: string;
  status: OtpStatus;
  /** Whether a ciphertext is waiting (delivered during pending_approval). */
  hasPayload: boolean;
}

export type Unsubscribe = () => void;

/**
 * Carries request events to waiters: long-polls, SSE streams, capture sources, the
 * dashboard and the Telegram bot. One process uses {@link InProcessEventBus}; several
 * processes share PostgreSQL LISTEN/NOTIFY (see `@agent-otp/server`).
 */
export interface EventBus {
  publish(event: RequestEvent): void;
  /** Topics: `otp:<requestId>` and `owner:<ownerId>`. */
  subscribe(topic: string, listener: (event: RequestEvent) => void): Unsubscribe;
  close(): Promise<void>;
}

export function topicsOf(event: RequestEvent): string[] {
  return [`otp:${event.requestId}`, `owner:${event.ownerId}`];
}
