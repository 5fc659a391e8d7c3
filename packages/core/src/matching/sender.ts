import { type CaptureSourceKind, compileSenderGlob, type SafePattern } from '@agent-otp/shared';
import emailAddresses from 'email-addresses';

/**
 * The identity a sender pattern is matched against: for email the parsed address only
 * (never the display name, which anyone can set to "noreply@acme.com"); for SMS the sender
 * id as the phone reports it. Returns null for an email `from` that does not parse.
 *
 * @example
 * senderIdentity('email', 'Acme <NoReply@Acme.com>'); // 'noreply@acme.com'
 */
export function senderIdentity(source: CaptureSourceKind, from: string): string | null {
  const trimmed = from.trim();
  if (source === 'sms') return trimmed.toLowerCase() || null;
  const parsed = emailAddresses.parseOneAddress({ input: trimmed, rfc6532: true });
  if (parsed && parsed.type === 'mailbox') return parsed.address.toLowerCase();
  return null;
}

/** Compiled globs by pattern; bounded, since agents choose the patterns. */
const globCache = new Map<string, SafePattern>();
const GLOB_CACHE_SIZE = 1000;

/**
 * Whether a sender matches a case-insensitive glob (`*@acme.com`, `Acme`, `+1555*`): the
 * whole identity must match, `*` standing for any run of characters and `?` for one.
 * Without a pattern, any sender matches. Runs in time linear in the identity (RE2), because
 * it runs for every open request on every incoming message, before any approval.
 *
 * @example
 * senderMatches('*@acme.com', 'noreply@acme.com'); // true
 * senderMatches('*@acme.com', 'noreply@acme.com.evil.io'); // false
 */
export function senderMatches(pattern: string | null, identity: string): boolean {
  if (!pattern) return true;
  let glob = globCache.get(pattern);
  if (!glob) {
    glob = compileSenderGlob(pattern);
    if (globCache.size >= GLOB_CACHE_SIZE) globCache.clear();
    globCache.set(pattern, glob);
  }
  return glob.test(identity);
}

/**
 * Whether `text` contains `pattern` case-insensitively, `*` standing for any run of
 * characters. Deliberately not a regular expression: patterns come from agents, and a
 * hostile regex could stall the relay on every message.
 *
 * @example
 * contentMatches('verification*code', 'Your Verification code is 1234'); // true
 */
export function contentMatches(pattern: string | null, text: string): boolean {
  if (!pattern) return true;
  const haystack = text.toLowerCase();
  let from = 0;
  for (const part of pattern.toLowerCase().split('*')) {
    if (part === '') continue;
    const at = haystack.indexOf(part, from);
    if (at < 0) return false;
    from = at + part.length;
  }
  return true;
}
