import { Parser } from 'htmlparser2';
import { EXTRACTION_LIMITS } from './limits.js';
import { VisibleTextBuilder } from './visible-text-builder.js';

// The parser is fed in slices so that reading can stop early, once enough is visible or the
// nesting is too deep; a slice is small enough that overshooting a limit costs little.
const SLICE = 16_384;

/**
 * The text a person sees when an HTML email is rendered: no `<head>`, styles, scripts or
 * images; nothing hidden by `display:none`, `visibility:hidden`, zero sizes or opacity, the
 * `hidden` attribute, `aria-hidden` or classes a `<style>` block hides; entities decoded;
 * a code printed one character per table cell or box joined back together.
 *
 * Reads the top of the document only (see {@link EXTRACTION_LIMITS}): at most
 * `htmlCharacters` of HTML, stopping once `visibleCharacters` of text are visible or elements
 * nest deeper than `htmlDepth`, so the cost is linear and bounded whatever the input.
 *
 * @example
 * htmlToVisibleText('<p>Your code</p><span style="display:none">preheader</span><p>1&nbsp;2</p>');
 * // 'Your code\n1 2'
 * htmlToVisibleText('<table><tr><td>4</td><td>8</td><td>1</td><td>5</td></tr></table>'); // '4815'
 */
export function htmlToVisibleText(html: string): string {
  const builder = new VisibleTextBuilder();
  const parser = new Parser(
    {
      onopentag: (name, attributes) => builder.open(name, attributes),
      onclosetag: (name) => builder.close(name),
      ontext: (data) => builder.addText(data),
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  const end = Math.min(html.length, EXTRACTION_LIMITS.htmlCharacters);
  for (let offset = 0; offset < end; offset += SLICE) {
    parser.write(html.slice(offset, Math.min(end, offset + SLICE)));
    if (builder.length >= EXTRACTION_LIMITS.visibleCharacters || builder.depth > EXTRACTION_LIMITS.htmlDepth)
      break;
  }
  parser.end();
  return builder
    .text()
    .slice(0, EXTRACTION_LIMITS.visibleCharacters)
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
