import type { RequestChanges, RequestKind, RequestRecords, RequestTable } from '@agent-otp/db';
import type { AppError } from '@agent-otp/shared';
import type { RequestEvent } from '../events/event-bus.js';

/** Any one kind, for code that walks them all (the expiry sweep). */
export type AnyRequestKindConfig = { [T in RequestTable]: RequestKindConfig<T> }[RequestTable];

/**
 * Everything that differs between kinds of request walking the one lifecycle (pending →
 * decided → closed, or expired): a third kind is one more of these, not a copy of the
 * transitions. The shared columns (`id`, `status`, `owner_id`, `agent_id`, `expires_at`,
 * `closed_at`) are what the lifecycle functions rely on.
 */
export interface RequestKindConfig<T extends RequestTable> {
  /** The event bus kind and the audit action prefix (`otp.cancelled`, `permission.expired`). */
  kind: RequestKind;
  table: T;
  /** Statuses in which a request can still do something: what expiry, cancel and revocation close. */
  open: readonly string[];
  /** What closing a request sets besides `status` and `closed_at` (OTP: erase the ciphertext). */
  closeChanges: RequestChanges<T>;
  /** What the `*.expired` audit record says about the row before it expired. */
  expiryDetails(before: RequestRecords[T]): Record<string, unknown>;
  /** The bus event about the row's new state (sent with `announceWithin` inside the change's transaction). */
  event(row: RequestRecords[T], type?: RequestEvent['type']): RequestEvent;
  /** The error for acting on a row whose status no longer allows `action`. */
  conflict(row: RequestRecords[T], action: string): AppError;
  /** The error for an ID that is not there (or not the caller's). */
  notFound(id: string): AppError;
}
