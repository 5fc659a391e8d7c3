/**
 * How narrowly a sender pattern picks its senders; a higher tier wins a message.
 *
 * - `exact`: no wildcard at all, so it matches one address or one SMS sender id (`codes@bank.test`, `Acme`).
 * - `domain`: any mailbox of one named domain (`*@bank.test`).
 * - `subdomain`: any mailbox under one named domain (`*@*.bank.test`).
 * - `glob`: any other pattern (`*bank*`, `+1555*`, `*`).
 * - `any`: no pattern: shown to approvers as "any sender".
 */
export const SENDER_TIERS = ['any', 'glob', 'subdomain', 'domain', 'exact'] as const;
export type SenderTier = (typeof SENDER_TIERS)[number];

/** The only wildcards a sender glob has (`*` any run, `?` one character); everything else is literal. */
const WILDCARD = /[*?]/;
/** A domain name with no wildcard and at least one dot. */
const FIXED_DOMAIN = /^[^*?@\s]+\.[^*?@\s]+$/;

/**
 * The specificity tier of a sender pattern (see {@link SENDER_TIERS}). Content patterns are
 * deliberately not part of it: an agent can satisfy almost any message with a content
 * pattern such as `code`, so letting it break ties would let any agent win a message the
 * owner should assign.
 *
 * @example
 * senderTier('codes@bank.test'); // 'exact'
 * senderTier('*@bank.test');     // 'domain'
 * senderTier('*@*.bank.test');   // 'subdomain'
 * senderTier('*bank*');          // 'glob'
 * senderTier(null);              // 'any'
 */
export function senderTier(pattern: string | null): SenderTier {
  if (!pattern) return 'any';
  if (!WILDCARD.test(pattern)) return 'exact';
  const at = pattern.lastIndexOf('@');
  if (at < 0) return 'glob';
  const local = pattern.slice(0, at);
  const domain = pattern.slice(at + 1);
  // The local part may be any glob; what narrows the sender is a fixed domain.
  if (local.includes('@')) return 'glob';
  if (FIXED_DOMAIN.test(domain)) return 'domain';
  if (domain.startsWith('*.') && FIXED_DOMAIN.test(domain.slice(2))) return 'subdomain';
  return 'glob';
}

/**
 * The rank of a tier: higher is more specific.
 *
 * @example
 * senderTierRank('exact') > senderTierRank('domain'); // true
 */
export function senderTierRank(tier: SenderTier): number {
  return SENDER_TIERS.indexOf(tier);
}

/**
 * How a sender pattern is shown to an approver: the pattern, or "any sender" when there is none.
 *
 * @example
 * describeSenderPattern(null); // 'any sender'
 */
export function describeSenderPattern(pattern: string | null | undefined): string {
  return pattern ? pattern : 'any sender';
}
