/**
 * Just enough CSS to tell whether an element is visible. Email preheaders hide text with every
 * trick clients honour: `display:none`, `visibility:hidden`, zero opacity, zero or one-pixel
 * fonts, zero max-height, `mso-hide:all`, transparent colour, off-screen indents.
 */

function declarations(style: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .replace(/!\s*important/i, '')
      .trim()
      .toLowerCase();
    if (property) map.set(property, value);
  }
  return map;
}

function isZeroLength(value: string | undefined): boolean {
  if (value === undefined) return false;
  const number = Number.parseFloat(value);
  return Number.isFinite(number) && number === 0;
}

/**
 * True when an inline `style` attribute makes its element (and everything inside) invisible.
 *
 * @example
 * isHiddenStyle('display: none !important'); // true
 * isHiddenStyle('font-size:0;line-height:0'); // true
 * isHiddenStyle('color:#999999;font-size:12px'); // false
 */
export function isHiddenStyle(style: string): boolean {
  const css = declarations(style);
  if (css.get('display') === 'none') return true;
  const visibility = css.get('visibility');
  if (visibility === 'hidden' || visibility === 'collapse') return true;
  if (
    isZeroLength(css.get('opacity')) ||
    isZeroLength(css.get('max-height')) ||
    isZeroLength(css.get('max-width'))
  ) {
    return true;
  }
  const fontSize = css.get('font-size');
  if (fontSize !== undefined && Number.parseFloat(fontSize) <= 1 && /^[\d.]+(px|pt)?$/.test(fontSize))
    return true;
  if (css.get('mso-hide') === 'all' || css.get('color') === 'transparent') return true;
  const overflowHidden = css.get('overflow') === 'hidden';
  if (overflowHidden && (isZeroLength(css.get('height')) || isZeroLength(css.get('width')))) return true;
  const indent = Number.parseFloat(css.get('text-indent') ?? '');
  return Number.isFinite(indent) && indent <= -999;
}

/**
 * True when a style makes a block element flow inline (`display:inline-block`, floats), the way
 * code "boxes" are laid out.
 *
 * @example
 * isInlineStyle('display:inline-block;width:40px'); // true
 */
export function isInlineStyle(style: string): boolean {
  if (!style) return false;
  const css = declarations(style);
  return (
    (css.get('display') ?? '').startsWith('inline') || ['left', 'right'].includes(css.get('float') ?? '')
  );
}

/** CSS without its comments; an unterminated comment runs to the end, as in a browser. */
function stripComments(css: string): string {
  // A lazy `/\*[\s\S]*?\*\//g` rescans to the end from every unterminated `/*`: quadratic.
  let kept = '';
  let from = 0;
  for (let open = css.indexOf('/*'); open >= 0; open = css.indexOf('/*', from)) {
    kept += css.slice(from, open);
    const close = css.indexOf('*/', open + 2);
    if (close < 0) return kept;
    from = close + 2;
  }
  return kept + css.slice(from);
}

/**
 * Class names that top-level rules of a `<style>` block hide (`.preheader { display:none }`).
 * Rules inside `@media` are skipped: they hide things only on some screens.
 *
 * @example
 * hiddenClassesFromCss('.preheader{display:none} @media (max-width:600px){.desk{display:none}}'); // ['preheader']
 */
export function hiddenClassesFromCss(css: string): string[] {
  const hidden: string[] = [];
  const withoutComments = stripComments(css);
  let depth = 0;
  let selectorStart = 0;
  let bodyStart = 0;
  let selector = '';
  for (let index = 0; index < withoutComments.length; index++) {
    const character = withoutComments[index];
    if (character === '{') {
      if (depth === 0) {
        selector = withoutComments.slice(selectorStart, index).trim();
        bodyStart = index + 1;
      }
      depth++;
    } else if (character === '}') {
      depth = Math.max(0, depth - 1);
      if (depth === 0) {
        if (!selector.startsWith('@') && isHiddenStyle(withoutComments.slice(bodyStart, index))) {
          for (const part of selector.split(',')) {
            const match = /^[a-z0-9]*\.([\w-]+)$/i.exec(part.trim());
            if (match?.[1]) hidden.push(match[1]);
          }
        }
        selectorStart = index + 1;
      }
    }
  }
  return hidden;
}
