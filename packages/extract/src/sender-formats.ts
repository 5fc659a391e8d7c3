/**
 * Known formats of large senders that differ from what the extractor expects of any message
 * (issue 14). A sender is recognised by its SMS id or address (`ExtractInput.from`, which the
 * relay passes) or by its own name near the top of the message. The table is part of the
 * package: deterministic, offline, and tested like the rest of the extractor.
 */
export interface SenderFormat {
  /** Who sends it, as explanations name it. */
  name: string;
  /**
   * Lower-case names that recognise the sender, looked for in `from` and in the start of the
   * message: plain substring searches, linear and cheap on every message.
   */
  names: readonly string[];
  /** Shortest numeric code the sender sends, when shorter than the usual four digits. */
  shortestCode: number;
}

export const SENDER_FORMATS: readonly SenderFormat[] = [
  // The Spanish government's Cl@ve PIN is three characters long ("Su PIN de Cl@ve es 815").
  {
    name: 'Cl@ve PIN',
    names: ['cl@ve', 'clave pin', 'aeat', 'agencia tributaria'],
    shortestCode: 3,
  },
];

// A sender names itself in its first lines; reading further only costs time.
const MENTION_WINDOW = 2_000;

/**
 * The known format of the sender of a message, if any: by `from`, else by its name in the
 * (already lower-cased) text.
 *
 * @example
 * senderFormat(undefined, 'su pin de cl@ve es 815.')?.shortestCode; // 3
 * senderFormat('+34 600 000 000', 'your code is 123456'); // undefined
 */
export function senderFormat(from: string | undefined, lowerText: string): SenderFormat | undefined {
  const start = lowerText.slice(0, MENTION_WINDOW);
  const sender = from?.toLowerCase() ?? '';
  return SENDER_FORMATS.find((format) =>
    format.names.some((name) => sender.includes(name) || start.includes(name)),
  );
}
