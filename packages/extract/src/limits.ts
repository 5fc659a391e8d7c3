/**
 * How much of a message the extractor reads. A person reads a code near the top of a message;
 * reading further only adds footers and cost, and a hostile sender controls how long the rest is.
 * Each limit keeps the work per message bounded whatever its size (see the package README).
 */
export const EXTRACTION_LIMITS = {
  /** Characters of normalised subject and body searched for a code; the rest is ignored. */
  scannedCharacters: 20_000,
  /** Characters of an HTML part that are parsed; the rest of a bigger part is ignored. */
  htmlCharacters: 1_048_576,
  /** Characters of visible text kept from an HTML part; parsing stops once it has this many. */
  visibleCharacters: 65_536,
  /**
   * Element nesting depth at which reading HTML stops. Real emails nest tables a few dozen deep;
   * the HTML parser's own bookkeeping grows with depth, so unbounded nesting would make it quadratic.
   */
  htmlDepth: 256,
} as const;
