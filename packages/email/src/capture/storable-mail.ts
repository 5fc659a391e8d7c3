import { describeUnstorableString, toStorableText } from '@agent-otp/shared';
import type { MailLogger, MailReader } from './mail-types.js';

/**
 * Wraps a mailbox reader so that no header text reaches the relay that its database cannot
 * store. A sender holding NUL or a lone surrogate is no address anyone could have asked for,
 * so the message is skipped (as if gone) with a warning, rather than matched on a name the
 * relay would have to alter; a subject is cleaned, since it is only read for its code.
 *
 * @example
 * const reader = storableMail(imapReader(() => client, 'INBOX'), logger);
 */
export function storableMail(reader: MailReader, logger: MailLogger): MailReader {
  return {
    async headers(ref) {
      const headers = await reader.headers(ref);
      if (!headers) return undefined;
      if (describeUnstorableString(headers.from) !== undefined) {
        // The message id only: connectors never log a sender or subject.
        logger.warn(
          { messageId: ref.id },
          'skipped a message whose sender is not valid text (NUL or invalid Unicode)',
        );
        return undefined;
      }
      return headers.subject === undefined
        ? headers
        : { ...headers, subject: toStorableText(headers.subject) };
    },
    raw: (ref) => reader.raw(ref),
    batch: (work) => reader.batch(work),
  };
}
