import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SecretBox } from '@agent-otp/db';
import type { DecisionChannel } from '@agent-otp/shared';

/** How long an owner has to finish Google's consent screen. */
export const GMAIL_CONSENT_TTL_MS = 10 * 60_000;
/** Ties a state to the browser that started it (the session cookie is SameSite=Strict, so Google's redirect does not carry it). */
export const GMAIL_CONSENT_COOKIE = 'agent_otp_gmail_consent';
/** The state is sealed with the credential key under its own binding: it never opens as a mailbox credential. */
const STATE_BINDING = 'gmail-consent-state';

/** What the relay needs back when Google redirects: who asked, and the PKCE verifier. */
export interface GmailConsent {
  ownerId: string;
  ownerEmail: string;
  channel: DecisionChannel;
  verifier: string;
}

interface SealedConsent extends GmailConsent {
  id: string;
  browser: string;
  expiresAt: number;
}

const digest = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * The `state` of the dashboard's Gmail consent: sealed (AES-GCM under the credential key), so
 * any instance sharing the key can finish a consent another started, and nothing is stored;
 * bound to the owner who started it and to a cookie in that owner's browser (a link forged
 * for someone else's browser fails); expiring after ten minutes; single use on each instance,
 * and Google's code itself can be redeemed only once.
 *
 * @example
 * const states = new GmailConsentStates(box, () => Date.now());
 * const { state, browserNonce } = states.begin({ ownerId, ownerEmail, channel: 'dashboard', verifier });
 * const consent = states.finish(state, browserNonce); // GmailConsent or a reason string
 */
export class GmailConsentStates {
  readonly #used = new Map<string, number>();

  constructor(
    private readonly box: SecretBox,
    private readonly now: () => number,
  ) {}

  begin(consent: GmailConsent): { state: string; browserNonce: string } {
    const browserNonce = randomBytes(24).toString('base64url');
    const sealed: SealedConsent = {
      ...consent,
      id: randomBytes(12).toString('base64url'),
      browser: digest(browserNonce),
      expiresAt: this.now() + GMAIL_CONSENT_TTL_MS,
    };
    return { state: this.box.seal(JSON.stringify(sealed), STATE_BINDING), browserNonce };
  }

  /** The consent behind `state`, or why it cannot be used (words for the owner's browser). */
  finish(state: string, browserNonce: string | undefined): GmailConsent | string {
    let sealed: SealedConsent;
    try {
      sealed = JSON.parse(this.box.open(state, STATE_BINDING)) as SealedConsent;
    } catch {
      return 'This answer from Google does not belong to a Gmail connection this relay started.';
    }
    const now = this.now();
    this.#forgetExpired(now);
    if (sealed.expiresAt <= now)
      return 'This Gmail connection took longer than 10 minutes: start again from the Sources page.';
    if (this.#used.has(sealed.id)) return 'This Gmail connection was already completed.';
    if (!browserNonce || !sameText(digest(browserNonce), sealed.browser))
      return 'This Gmail connection was started in another browser: start it again from the Sources page in this one.';
    this.#used.set(sealed.id, sealed.expiresAt);
    return {
      ownerId: sealed.ownerId,
      ownerEmail: sealed.ownerEmail,
      channel: sealed.channel,
      verifier: sealed.verifier,
    };
  }

  /** Used ids are kept only until they would have expired anyway: memory stays bounded. */
  #forgetExpired(now: number): void {
    for (const [id, expiresAt] of this.#used) if (expiresAt <= now) this.#used.delete(id);
  }
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
