/**
 * The logging surface the connectors use; pino's logger fits it. Connectors log events and
 * request ids only: never a sender, subject, body, code or credential.
 */
export interface MailLogger {
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}

/** A logger that drops everything (the default for library use and tests). */
export const silentLogger: MailLogger = { debug() {}, info() {}, warn() {}, error() {} };

/** One message in a mailbox, before anything but its identity (and maybe its date) is known. */
export interface MailRef {
  /** IMAP UID (as text) or Gmail message id. */
  id: string;
  /** When the mailbox received it, if the listing already told (IMAP INTERNALDATE). */
  receivedAt?: Date | undefined;
}

/** What the header-only fetch tells: enough to decide whether the body is worth reading. */
export interface MailHeaders {
  /** The From header as sent (`Name <addr>`), matched on its parsed address only. */
  from: string;
  subject?: string | undefined;
  /** The mailbox's own receipt time (INTERNALDATE / internalDate), not the sender's Date header. */
  receivedAt: Date;
}

/**
 * Reads messages of one mailbox for the capture pipeline: headers first, the full source only
 * for a message that may serve an open request. `undefined` = the message is gone.
 */
export interface MailReader {
  headers(ref: MailRef): Promise<MailHeaders | undefined>;
  raw(ref: MailRef): Promise<Buffer | undefined>;
  /** Runs several reads as one unit (IMAP holds the mailbox so IDLE does not slip in between). */
  batch<T>(work: () => Promise<T>): Promise<T>;
}
