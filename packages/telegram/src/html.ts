/**
 * Escapes text for Telegram's HTML parse mode. Every value an agent, a sender or an owner
 * typed goes through here, so `<b>`, `</code>` or `<a href>` in a reason stays visible text
 * and can neither break the message nor forge a link or a button label.
 *
 * @example
 * escapeHtml('<b>urgent</b> & "now"'); // '&lt;b&gt;urgent&lt;/b&gt; &amp; &quot;now&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (char) => ENTITIES[char] ?? char);
}

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/**
 * Shortens text to `max` characters (by code point, so no emoji is cut in half), marking the
 * cut. Applied before escaping, so a cut never lands inside an entity.
 *
 * @example
 * truncate('abcdef', 4); // 'abc…'
 */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}

/** Truncates, then escapes: the one way user-supplied text enters a message. */
export const userText = (text: string, max = 300) => escapeHtml(truncate(text, max));

/**
 * An ISO timestamp as people read it in a chat, in UTC so every approver sees the same.
 *
 * @example
 * formatTime('2025-03-01T12:04:05.000Z'); // '2025-03-01 12:04:05 UTC'
 */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
