/**
 * Phrase syntax used by every lexicon list:
 * - phrases are matched case-insensitively on normalised text;
 * - a space matches any run of spaces or hyphens, a hyphen matches an optional hyphen or space;
 * - `*` at the end lets letters follow (inflections: `код*` matches `кода`, `kod*` matches `kodunuz`);
 *   inside a phrase it stands for the rest of that word (`одноразов* парол*` matches `одноразовый пароль`);
 * - `~` at the start lets letters precede (compounds and clitics: `~kod` matches `verifieringskod`,
 *   `~رمز` matches `بالرمز`);
 * - otherwise phrases in scripts written with spaces must stand as whole words; Chinese,
 *   Japanese, Korean and Thai phrases match anywhere.
 */
export type Phrase = string;

export interface LanguageLexicon {
  /** BCP-47 tag reported in `ExtractResult.language`. */
  tag: string;
  /** OTP-specific phrases ("verification code", "验证码"). */
  strong: Phrase[];
  /** Words for "code", "PIN", "password" that only mean OTP next to a code-shaped token. */
  generic: Phrase[];
  /** Verbs that surround codes ("verify", "sign in"): weak evidence on their own. */
  weak: Phrase[];
  /** Words allowed between a keyword and its code without counting as distance ("is", "enter", "your"). */
  connectors: Phrase[];
  /** Frequent function words that tell apart languages sharing a script. */
  hints: Phrase[];
}
