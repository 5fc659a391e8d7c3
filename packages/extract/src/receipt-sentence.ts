import type { TextLayout } from './positions/text-layout.js';

/**
 * Receipts: a sentence that says a payment of an amount went through ("Payment of $45.00 to
 * Comcast approved.", "Bill pay confirmed: $112.40 to Duke Energy", "Zahlung über 54,20 EUR …
 * genehmigt"). The confirmation or approval code such a message carries proves the payment; it
 * is not typed anywhere. A code that confirms a payment still to be made is asked for with a
 * verb ("to confirm the payment of $45"), never with these past participles.
 */
// Bounded by letters and digits of any script: JavaScript's `\b` knows only ASCII letters, so it
// never ends a word on 'é' or 'ı' and "effectué", "accepté" and "onaylandı" would never match.
const DONE =
  /(?<![\p{L}\p{N}])(?:approved|confirmed|processed|completed|successful|genehmigt|ausgeführt|erfolgreich|accepté|effectué|aprobad[oa]|realizad[oa]|aprovad[oa]|approvat[oa]|eseguit[oa]|goedgekeurd|uitgevoerd|zaakceptowan[aey]|zrealizowan[aey]|onaylandı|gerçekleşti)(?![\p{L}\p{N}])/giu;
// An amount: a currency sign before digits, or decimals before a currency code or sign.
const AMOUNT =
  /[$€£¥₹₽₺₩₪₫฿]\s?\d|\d[.,]\d\d\s?(?:[€$£₺]|eur|usd|gbp|chf|tl|try|pln|zł|sek|nok|dkk|kr|inr|rs)(?![\p{L}])/iu;
// How far from its participle an amount is looked for, within the sentence.
const REACH = 80;

/**
 * Whether some sentence of `text` reports a completed payment of an amount. Each participle
 * looks at a bounded stretch of its own sentence, so the cost is linear in the text.
 *
 * @example
 * reportsCompletedPayment('Payment of $45.00 to Comcast approved. Confirmation code 482019.', layout); // true
 * reportsCompletedPayment('Use code 603318 to confirm your payment of $250.00.', layout); // false
 */
export function reportsCompletedPayment(text: string, layout: TextLayout): boolean {
  for (const match of text.matchAll(DONE)) {
    const sentence = layout.sentenceAround({ start: match.index, end: match.index + match[0].length });
    const from = Math.max(sentence.from, match.index - REACH);
    const to = Math.min(sentence.to, match.index + match[0].length + REACH);
    if (AMOUNT.test(text.slice(from, to))) return true;
  }
  return false;
}
