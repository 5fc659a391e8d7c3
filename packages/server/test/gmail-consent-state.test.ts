import { randomBytes } from 'node:crypto';
import { createSecretBox } from '@agent-otp/db';
import { describe, expect, it } from 'vitest';
import { GMAIL_CONSENT_TTL_MS, GmailConsentStates } from '../src/mailboxes/gmail-consent-state.js';

// Issue 16: the state of the dashboard's Gmail consent is bound to the owner and the browser,
// expires, works once, and opens only under the key that sealed it.
describe('GmailConsentStates', () => {
  const consent = {
    ownerId: 'usr_1',
    ownerEmail: 'owner@example.com',
    channel: 'dashboard' as const,
    verifier: 'v'.repeat(43),
  };
  const key = randomBytes(32);
  let now = Date.parse('2026-12-01T04:00:00Z');
  const states = new GmailConsentStates(createSecretBox(key, 'mailbox credential'), () => now);

  it('gives the consent back once, to the browser that started it', () => {
    const { state, browserNonce } = states.begin(consent);
    expect(state).not.toContain(consent.verifier);
    expect(states.finish(state, 'another browser')).toMatch(/started in another browser/);
    expect(states.finish(state, browserNonce)).toEqual(consent);
    expect(states.finish(state, browserNonce)).toBe('This Gmail connection was already completed.');
  });

  it('refuses a state after ten minutes', () => {
    const { state, browserNonce } = states.begin(consent);
    now += GMAIL_CONSENT_TTL_MS;
    expect(states.finish(state, browserNonce)).toMatch(/took longer than 10 minutes/);
  });

  it('refuses a state sealed under another key (another relay)', () => {
    const other = new GmailConsentStates(createSecretBox(randomBytes(32), 'mailbox credential'), () => now);
    const { state, browserNonce } = other.begin(consent);
    expect(states.finish(state, browserNonce)).toMatch(
      /does not belong to a Gmail connection this relay started/,
    );
  });
});
