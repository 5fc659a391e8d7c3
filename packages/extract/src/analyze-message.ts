import { findCandidates } from './find-candidates.js';
import { CONTEXT_MATCHER, KEYWORD_MATCHER } from './lexicon/keyword-index.js';
import { foldForMatching } from './normalize-text.js';
import type { ContextMatch, KeywordMatch, MessageAnalysis } from './score-candidates.js';

// Links and addresses are never typed by hand: a number inside one is not a code.
const LINK_OR_ADDRESS =
  /\b(?:https?:\/\/|www\.)[^\s<>"')\]]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+|\b[\w-]+(?:\.[\w-]+)+\/[^\s<>"')\]]*/gi;
// Contexts that turn the keyword right next to them into something else ("promo code", "código postal").
const QUALIFYING: ReadonlySet<string> = new Set(['promo', 'reference', 'postal']);
const JOIN_BEFORE = /^[\s\-:]{0,2}$/;
const JOIN_AFTER = /^\s{0,2}(?:(?:de|di|du|des|da|do|of|для|для)\s{1,2})?$/;

function isQualifiedAway(keyword: KeywordMatch, contexts: ContextMatch[], folded: string): boolean {
  for (const context of contexts) {
    const overlaps = context.start < keyword.end && keyword.start < context.end;
    if (overlaps) {
      const covers = context.start <= keyword.start && context.end >= keyword.end;
      if (keyword.meta.strength !== 'strong' || covers) return true;
      continue;
    }
    if (keyword.meta.strength === 'strong' || !QUALIFYING.has(context.meta)) continue;
    if (context.end <= keyword.start && JOIN_BEFORE.test(folded.slice(context.end, keyword.start)))
      return true;
    if (context.start >= keyword.end && JOIN_AFTER.test(folded.slice(keyword.end, context.start)))
      return true;
  }
  return false;
}

function shouts(text: string): boolean {
  const upper = text.match(/[A-Z]/g)?.length ?? 0;
  const lower = text.match(/[a-z]/g)?.length ?? 0;
  return upper > 10 && upper > lower * 2;
}

/**
 * Locates keywords, contexts and candidates in normalised text (see `normalizeText`).
 *
 * @example
 * analyzeMessage('Your promo code: SAVE20').keywords; // [] ("code" here means a promo code)
 */
export function analyzeMessage(normalized: string): MessageAnalysis {
  const text = normalized.replace(LINK_OR_ADDRESS, (link) => ' '.repeat(link.length));
  const folded = foldForMatching(text);
  const contexts = CONTEXT_MATCHER.find(folded);
  const keywords = KEYWORD_MATCHER.find(folded).filter(
    (keyword) => !isQualifiedAway(keyword, contexts, folded),
  );
  return { text, folded, keywords, contexts, candidates: findCandidates(text), allCaps: shouts(text) };
}
