import type { MailHeaders, MailReader, MailRef } from '../capture/mail-types.js';
import { type GmailApi, GmailNotFoundError } from './gmail-api.js';

const header = (headers: Array<{ name: string; value: string }>, name: string) =>
  headers.find((h) => h.name.toLowerCase() === name)?.value;

async function orGone<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof GmailNotFoundError) return undefined; // deleted since it was listed
    throw error;
  }
}

/**
 * Reads Gmail messages for the capture pipeline: `format=metadata` (From, Subject, Date and
 * the internal receipt time) first, `format=raw` only for a possible match.
 *
 * @example
 * const reader = gmailReader(api);
 */
export function gmailReader(api: GmailApi): MailReader {
  return {
    async headers(ref: MailRef): Promise<MailHeaders | undefined> {
      const message = await orGone(api.metadata(ref.id));
      if (!message) return undefined;
      const headers = message.payload?.headers ?? [];
      const internal = Number(message.internalDate);
      return {
        from: header(headers, 'from') ?? '',
        subject: header(headers, 'subject'),
        receivedAt:
          Number.isFinite(internal) && internal > 0 ? new Date(internal) : (ref.receivedAt ?? new Date()),
      };
    },
    async raw(ref: MailRef): Promise<Buffer | undefined> {
      const message = await orGone(api.raw(ref.id));
      return message?.raw ? Buffer.from(message.raw, 'base64url') : undefined;
    },
    batch: (work) => work(),
  };
}
