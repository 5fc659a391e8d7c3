import { hiddenClassesFromCss, isHiddenStyle, isInlineStyle } from './css-visibility.js';
import { firstIndexWhereNot } from './positions/sorted-search.js';

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
// A code cell holds one or two characters and a little space; a longer cell is not one, and
// is not copied out to check (copying every long cell of nested tables was quadratic).
const MAX_CODE_CELL_SPAN = 64;
const SPACE = /\s/g;

interface OpenElement {
  name: string;
  hidden: boolean;
  block: boolean;
}

interface Cell {
  start: number;
  end: number;
  /** Visible (non-space) characters before the cell, and at its end. */
  visibleBefore: number;
  visibleAtEnd: number;
}

interface TableRow {
  start: number;
  visibleBefore: number;
  cells: Cell[];
}

function visibleCount(text: string): number {
  return text.length - (text.match(SPACE)?.length ?? 0);
}

/**
 * Collects the visible text of an HTML document from parser events. The text is kept as a list
 * of pieces plus its length and last character, never as one growing string that is read back:
 * reading a string built by `+=` flattens it, and doing that for every element was quadratic.
 */
export class VisibleTextBuilder {
  readonly #pieces: string[] = [];
  readonly #pieceStarts: number[] = [];
  #length = 0;
  #visible = 0;
  #last = '';
  readonly #stack: OpenElement[] = [];
  readonly #rows: TableRow[] = [];
  #hiddenClasses = new Set<string>();
  #hiddenDepth = 0;
  #styleText = '';

  /** Characters of text collected so far. */
  get length(): number {
    return this.#length;
  }

  /** How many elements are open. */
  get depth(): number {
    return this.#stack.length;
  }

  /** The text collected so far, lines as the builder left them. */
  text(): string {
    return this.#pieces.join('');
  }

  open(name: string, attributes: Record<string, string>): void {
    const hidden = this.#hiddenDepth > 0 || this.#isHidden(name, attributes);
    const inline = isInlineStyle(attributes.style ?? '');
    const block = !inline && (BLOCK.has(name) || CELL.has(name));
    this.#stack.push({ name, hidden, block });
    if (hidden) {
      this.#hiddenDepth++;
      return;
    }
    if (name === 'br') this.#append('\n');
    else if (block) this.#breakLine(name);
    if (name === 'tr') this.#rows.push({ start: this.#length, visibleBefore: this.#visible, cells: [] });
    if (CELL.has(name)) {
      this.#rows.at(-1)?.cells.push({
        start: this.#length,
        end: -1,
        visibleBefore: this.#visible,
        visibleAtEnd: -1,
      });
    }
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
      if (cell && cell.end < 0) {
        cell.end = this.#length;
        cell.visibleAtEnd = this.#visible;
      }
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
    this.#append(data.replace(/\s+/g, ' '));
  }

  #append(piece: string): void {
    if (piece === '') return;
    this.#pieces.push(piece);
    this.#pieceStarts.push(this.#length);
    this.#length += piece.length;
    this.#visible += visibleCount(piece);
    this.#last = piece.at(-1) ?? '';
  }

  /** Text between two offsets; only ever called for short spans. */
  #slice(from: number, to: number): string {
    let text = '';
    let index = Math.max(0, firstIndexWhereNot(this.#pieceStarts, (start) => start <= from) - 1);
    for (; index < this.#pieces.length && (this.#pieceStarts[index] ?? to) < to; index++) {
      const start = this.#pieceStarts[index] ?? 0;
      text += (this.#pieces[index] ?? '').slice(Math.max(0, from - start), to - start);
    }
    return text;
  }

  /** Drops everything from `offset` on; `offset` is always where a piece starts. */
  #truncate(offset: number, visible: number): void {
    while ((this.#pieceStarts.at(-1) ?? -1) >= offset) {
      this.#pieces.pop();
      this.#pieceStarts.pop();
    }
    this.#length = offset;
    this.#visible = visible;
    this.#last = this.#pieces.at(-1)?.at(-1) ?? '';
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
    if (this.#length > 0 && this.#last !== '\n' && this.#last !== separator) this.#append(separator);
  }

  /** The cell's text trimmed, or undefined when it is too long to be one character of a code. */
  #cellText(cell: Cell): string | undefined {
    const end = cell.end < 0 ? this.#length : cell.end;
    const visible = (cell.end < 0 ? this.#visible : cell.visibleAtEnd) - cell.visibleBefore;
    if (visible === 0) return '';
    if (end - cell.start > MAX_CODE_CELL_SPAN) return undefined;
    return this.#slice(cell.start, end).trim();
  }

  #closeRow(): void {
    const row = this.#rows.pop();
    if (!row || row.cells.length < MIN_CODE_CELLS) return;
    const cells: string[] = [];
    for (const cell of row.cells) {
      const text = this.#cellText(cell);
      if (text === undefined || (text !== '' && !CODE_CELL.test(text))) return;
      if (text !== '') cells.push(text);
    }
    if (cells.length < MIN_CODE_CELLS) return;
    this.#truncate(row.start, row.visibleBefore);
    this.#append(cells.join(''));
  }

  #collectHiddenClasses(): void {
    for (const name of hiddenClassesFromCss(this.#styleText)) this.#hiddenClasses.add(name);
    this.#styleText = '';
  }
}
