import { describe, expect, it } from 'vitest';
import { htmlToVisibleText } from '../src/index.js';

describe('htmlToVisibleText', () => {
  it('drops head, styles, scripts, comments and images', () => {
    const html = `<html><head><title>T 111111</title><style>p{color:#999999}</style></head>
      <body><!--[if mso]>222222<![endif]--><script>var a = 333333</script><img src="https://t.example/p?id=444444">
      <p>Visible</p></body></html>`;
    expect(htmlToVisibleText(html)).toBe('Visible');
  });

  it.each([
    ['display:none', '<div style="display: none !important">x</div>'],
    ['visibility:hidden', '<div style="visibility:hidden">x</div>'],
    ['opacity:0', '<div style="opacity:0">x</div>'],
    ['font-size:0', '<div style="font-size:0px;line-height:0">x</div>'],
    ['one-pixel font', '<div style="font-size:1px;color:#ffffff">x</div>'],
    ['max-height:0', '<div style="max-height:0;overflow:hidden">x</div>'],
    ['mso-hide', '<div style="mso-hide:all">x</div>'],
    ['hidden attribute', '<div hidden>x</div>'],
    ['aria-hidden', '<div aria-hidden="true">x</div>'],
    ['hidden class', '<style>.pre { display:none }</style><div class="a pre">x</div>'],
  ])('hides %s', (_name, hidden) => {
    expect(htmlToVisibleText(`<p>shown</p>${hidden}<p>end</p>`)).toBe('shown\nend');
  });

  it('keeps elements a @media rule hides only on small screens', () => {
    const html = '<style>@media (max-width:600px){.desk{display:none}}</style><p class="desk">desk</p>';
    expect(htmlToVisibleText(html)).toBe('desk');
  });

  it('decodes named and numeric entities', () => {
    expect(htmlToVisibleText('<p>&lt;Tom &amp; Jerry&gt; &#56;&#x32; caf&eacute;</p>')).toBe(
      '<Tom & Jerry> 82 café',
    );
  });

  it('joins a code printed one character per table cell', () => {
    const html = '<table><tr><td>4</td><td>8</td><td>1</td><td>5</td><td>9</td><td>2</td></tr></table>';
    expect(htmlToVisibleText(html)).toBe('481592');
  });

  it('keeps ordinary table cells apart', () => {
    const html = '<table><tr><td>Order</td><td>4821</td></tr><tr><td>Total</td><td>$5</td></tr></table>';
    expect(htmlToVisibleText(html)).toBe('Order 4821\nTotal $5');
  });

  it('joins inline spans and inline-block boxes', () => {
    expect(htmlToVisibleText('<p><span>4</span><span>8</span><span>1</span></p>')).toBe('481');
    const boxes = ['7', '3', '9', '1']
      .map((digit) => `<div style="display:inline-block">${digit}</div>`)
      .join('');
    expect(htmlToVisibleText(boxes)).toBe('7391');
  });

  it('turns blocks and <br> into line breaks and collapses whitespace', () => {
    expect(htmlToVisibleText('<div>a\n   b</div><p>c<br>d</p>')).toBe('a b\nc\nd');
  });

  it('survives malformed markup', () => {
    expect(htmlToVisibleText('<p>Your code <b>123 <i>456</p></div>')).toBe('Your code 123 456');
  });
});
