import { Parser } from 'htmlparser2';
import { hiddenClassesFromCss, isHiddenStyle, isInlineStyle } from './css-visibility.js';

// Elements whose content never reaches the reader of an email.
const SKIPPED = new Set([
  'head',
  'style',
  'script',
  'noscript',
  'template',
  'title',
  'svg',
  'math',
  'iframe',
  'object',
  'embed',
  'canvas',
  'video',
  'audio',
  'select',
  'textarea',
  'input',
  'img',
  'picture',
  'map',
]);
const BLOCK = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);
const CELL = new Set(['td', 'th']);
// One code character per cell or box: `<td>4</td><td>8</td>…`.
const CODE_CELL = /^[\p{Lu}\p{Nd}]{1,2}$/u;
const MIN_CODE_CELLS = 4;

interface OpenElement {
  name: string;
  hidden: boolean;
  block: boolean;
}

interface TableRow {
  start: number;
  cells: Array<{ start: number; end: number }>;
}

class VisibleTextBuilder {
  text = '';
  readonly #stack: OpenElement[] = [];
  readonly #rows: TableRow[] = [];
  #hiddenClasses = new Set<string>();
  #hiddenDepth = 0;
  #styleText = '';

  open(name: string, attributes: Record<string, string>): void {
    const hidden = this.#hiddenDepth > 0 || this.#isHidden(name, attributes);
    const inline = isInlineStyle(attributes.style ?? '');
    const block = !inline && (BLOCK.has(name) || CELL.has(name));
    this.#stack.push({ name, hidden, block });
    if (hidden) {
      this.#hiddenDepth++;
      return;
    }
    if (name === 'br') this.text += '\n';
    else if (block) this.#breakLine(name);
    if (name === 'tr') this.#rows.push({ start: this.text.length, cells: [] });
    if (CELL.has(name)) this.#rows.at(-1)?.cells.push({ start: this.text.length, end: -1 });
  }

  close(name: string): void {
    const element = this.#stack.pop();
    if (!element) return;
    if (element.name === 'style') this.#collectHiddenClasses();
    if (element.hidden) {
      this.#hiddenDepth--;
      return;
    }
    if (CELL.has(name)) {
      const cell = this.#rows.at(-1)?.cells.at(-1);
      if (cell && cell.end < 0) cell.end = this.text.length;
    }
    if (name === 'tr') this.#closeRow();
    if (element.block) this.#breakLine(name);
  }

  addText(data: string): void {
    const current = this.#stack.at(-1);
    if (current?.name === 'style') {
      this.#styleText += data;
      return;
    }
    if (this.#hiddenDepth > 0) return;
    this.text += data.replace(/\s+/g, ' ');
  }

  #isHidden(name: string, attributes: Record<string, string>): boolean {
    if (SKIPPED.has(name)) return true;
    if ('hidden' in attributes || attributes['aria-hidden'] === 'true') return true;
    if (attributes.style && isHiddenStyle(attributes.style)) return true;
    return attributes.class?.split(/\s+/).some((name) => this.#hiddenClasses.has(name)) ?? false;
  }

  #breakLine(name: string): void {
    // Cells sit side by side; a space keeps their words apart without a line break.
    const separator = CELL.has(name) ? ' ' : '\n';
    if (this.text.length > 0 && !this.text.endsWith('\n') && !this.text.endsWith(separator))
      this.text += separator;
  }

  #closeRow(): void {
    const row = this.#rows.pop();
    if (!row) return;
    const cells = row.cells
      .map((cell) => this.text.slice(cell.start, cell.end < 0 ? undefined : cell.end).trim())
      .filter((cell) => cell.length > 0);
    if (cells.length >= MIN_CODE_CELLS && cells.every((cell) => CODE_CELL.test(cell))) {
      this.text = `${this.text.slice(0, row.start)}${cells.join('')}`;
    }
  }

  #collectHiddenClasses(): void {
    for (const name of hiddenClassesFromCss(this.#styleText)) this.#hiddenClasses.add(name);
    this.#styleText = '';
  }
}

/**
 * The text a person sees when an HTML email is rendered: no `<head>`, styles, scripts or
 * images; nothing hidden by `display:none`, `visibility:hidden`, zero sizes or opacity, the
 * `hidden` attribute, `aria-hidden` or classes a `<style>` block hides; entities decoded;
 * a code printed one character per table cell or box joined back together.
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
  parser.write(html);
  parser.end();
  return builder.text
    .split('\n')
    .map((line) => line.replace(/[ \t]+/g, ' ').trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
