/**
 * Escapes text for HTML element content and quoted attribute values. Every value an agent or
 * an owner typed (title, reason, field values, risk reasons) passes through here, so markup
 * in a reason stays visible text in the email and on the confirmation page.
 *
 * @example
 * escapeHtml('<b>now</b> & "x"'); // '&lt;b&gt;now&lt;/b&gt; &amp; &quot;x&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char);
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** One line for a mail header: control characters (CR, LF…) become spaces, and it is shortened. */
export function headerLine(text: string, max = 150): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join('')}…`;
}
