/**
 * Issue 9 item 1: the extractor was roughly cubic. "Your code is 482913. " repeated to 4 KiB took
 * ~4 s and to 8 KiB ~40 s; a 256 KiB body posted to /capture/messages blocked every tenant for
 * minutes. Each hostile message below is 1 MB (or 2 MB of HTML); on the old code every one of them
 * ran past vitest's 30 s timeout. Nothing here measures time: a case passes by finishing at all,
 * and the documented limits are checked by where a code is, or is no longer, found.
 */
import { describe, expect, it } from 'vitest';
import { EXTRACTION_LIMITS, extractOTP, htmlToVisibleText } from '../src/index.js';

const MEGABYTE = 1_000_000;
const CODE_LINE = 'Your verification code is 482913.';

/** `unit` repeated to exactly `length` characters. */
function fill(unit: string, length = MEGABYTE): string {
  return unit.repeat(Math.ceil(length / unit.length)).slice(0, length);
}

describe('extractor on hostile text (issue 9 item 1)', () => {
  const hostileBodies: Array<[name: string, text: string, expected: string | null]> = [
    ['the repeated code sentence', fill('Your code is 482913. '), '482913'],
    ['digits only', fill('1'), null],
    ['digits and spaces', fill('1 '), null],
    ['codes without a keyword', fill('123456 '), null],
    ['spaces between keyword and code', `code${' '.repeat(MEGABYTE)}123456`, null],
    ['hyphens', fill('-'), null],
    ['at signs', fill('@'), null],
    ['letters and at signs', fill('a@'), null],
    ['one long word', fill('a'), null],
    ['dots', fill('.'), null],
    ['a dotted name without a slash', fill('a.'), null],
    ['keywords without a code', fill('code '), null],
    ['keywords next to promo contexts', fill('promo code '), null],
    // 25 characters, so the scan limit falls between two sentences, not inside one.
    ['expired codes', fill('Code 482913 has expired. '), null],
    ['an origin-bound line that never ends', `@${fill('a.')}com #482913`, null],
    ['a phone-number run', `+${fill('1 ')}`, null],
    // Issue 14: phrases with a `*` inside (`одноразов* парол*`), long codes, glued and spaced codes.
    ['a mid-word phrase start without a space', fill('одноразов'), null],
    ['mid-word phrase starts and keywords', fill('одноразовый пароль '), null],
    ['ten-digit codes after keywords', fill('code 1234567890 '), '1234567890'],
    ['glued codes', fill('482193is '), null],
    ['letters typed one by one', fill('code K '), null],
    ['hyphen groups', fill('482-1937-'), null],
    ['percentages and promo-shaped codes', fill('20% code SAVE20 '), null],
    ['booking words beside codes', fill('booking confirmation code 4821 '), null],
  ];

  for (const [name, text, expected] of hostileBodies) {
    it(`finishes on 1 MB of ${name}`, () => {
      expect(extractOTP({ source: 'email', text })?.code ?? null).toBe(expected);
    });
  }

  it('still finds the code at the top of a 1 MB message of noise', () => {
    for (const noise of [fill('a.'), fill('1 '), fill('code '), fill('Your code is 123456. ')]) {
      expect(extractOTP({ source: 'email', text: `${CODE_LINE}\n\n${noise}` })?.code).toBe('482913');
    }
  });

  it('reads only the documented number of characters', () => {
    const filler = fill('The quick brown fox jumps over the lazy dog. ', EXTRACTION_LIMITS.scannedCharacters);
    expect(extractOTP({ text: `${filler.slice(0, -100)}\n${CODE_LINE}` })?.code).toBe('482913');
    expect(extractOTP({ text: `${filler}\n${CODE_LINE}` })).toBeNull();
  });
});

describe('extractor on hostile HTML (issue 9 item 1)', () => {
  const top = `<p>${CODE_LINE}</p>`;
  const hostileHtml: Array<[name: string, html: string]> = [
    ['nested tables', `${top}${fill('<table><tr><td>')}`],
    ['nested tables with text in every cell', `${top}${fill('<table><tr><td>x')}`],
    ['nested divs', `${top}${fill('<div>')}`],
    [
      'stray closing tags under deep nesting',
      `${top}${'<div>'.repeat(100_000)}${fill('</b>', MEGABYTE / 2)}`,
    ],
    ['stray closing tags at the allowed depth', `${top}${'<div>'.repeat(250)}${fill('</b>')}`],
    ['many paragraphs', `${top}${fill('<p>ab</p>')}`],
    ['many one-digit rows', `${top}<table>${fill('<tr><td>1</td></tr>')}</table>`],
    [
      'many code-box rows',
      `${top}<table>${fill('<tr><td>1</td><td>2</td><td>3</td><td>4</td></tr>')}</table>`,
    ],
    // Styles come first here, so they stay below the HTML limit for the code after them to count.
    ['unterminated CSS comments', `<style>${fill('/*a', 0.9 * MEGABYTE)}</style>${top}`],
    ['many hiding style rules', `<style>${fill('.a{display:none}', 0.9 * MEGABYTE)}</style>${top}`],
    ['empty inline elements', `${top}${fill('<b> </b>')}`],
    ['nested forms', `${top}${'<div>'.repeat(200)}${fill('<form>')}`],
    ['a 2 MB body', `${top}${fill('<p>Order 123456 shipped.</p>', 2 * MEGABYTE)}`],
  ];

  for (const [name, html] of hostileHtml) {
    it(`finishes on ${name}`, () => {
      expect(extractOTP({ source: 'email', html })?.code).toBe('482913');
    });
  }

  it('keeps at most the documented amount of visible text', () => {
    const visible = htmlToVisibleText(fill('<p>Order 123456 shipped.</p>', 2 * MEGABYTE));
    expect(visible.length).toBeLessThanOrEqual(EXTRACTION_LIMITS.visibleCharacters);
    expect(visible.length).toBeGreaterThan(EXTRACTION_LIMITS.visibleCharacters / 2);
  });

  it('parses only the documented number of HTML characters', () => {
    const hidden = `<div style="display:none">${fill('x', EXTRACTION_LIMITS.htmlCharacters)}</div>`;
    expect(htmlToVisibleText(`${hidden.slice(0, 100)}</div>${top}`)).toBe(CODE_LINE);
    expect(htmlToVisibleText(`${hidden}${top}`)).toBe('');
  });

  it('stops reading where elements nest deeper than the documented depth', () => {
    const nested = (depth: number) => `${'<span>'.repeat(depth)}${CODE_LINE}`;
    expect(htmlToVisibleText(nested(EXTRACTION_LIMITS.htmlDepth - 10))).toBe(CODE_LINE);
    expect(htmlToVisibleText(nested(EXTRACTION_LIMITS.htmlDepth + 5_000))).toBe('');
  });
});
