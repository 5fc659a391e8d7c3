import { describe, expect, it } from 'vitest';
import {
  describeOtpRequest,
  describePermission,
  describeScope,
  shortFingerprint,
} from '../src/request-lines.js';

// The plain-language lines every approval channel shows (issue 15): one test per kind of
// scope value, so a wording change is a deliberate edit here.

describe('describeScope', () => {
  it('words the contract example as the owner reads it', () => {
    expect(describeScope({ max_emails: 1, subject_pattern: '^Invoice.*' })).toEqual([
      '1 use',
      'at most 1 email',
      'subject must match ^Invoice.*',
    ]);
  });

  it('counts uses, plural fields and bounds', () => {
    expect(describeScope({ max_uses: 3, max_recipients: 2, max_size: 10.5 })).toEqual([
      'up to 3 uses',
      'at most 2 recipients',
      'size at most 10.5',
    ]);
    expect(describeScope({ max_entries: 1, max_addresses: 1 })).toEqual([
      '1 use',
      'at most 1 entry',
      'at most 1 address',
    ]);
  });

  it('pairs an amount with its currency, and names a lone currency', () => {
    expect(describeScope({ max_amount: 100, currency: 'EUR' })).toEqual(['1 use', 'amount at most 100 EUR']);
    expect(describeScope({ currency: 'USD' })).toEqual(['1 use', 'currency: USD']);
  });

  it('lists allowed values and required details', () => {
    expect(describeScope({ allowed_recipients: ['a@acme.com'] })).toEqual([
      '1 use',
      'recipients must be a@acme.com',
    ]);
    expect(describeScope({ allowed_recipients: ['a@acme.com', 'b@acme.com', 'c@acme.com'] })).toEqual([
      '1 use',
      'recipients must be one of a@acme.com, b@acme.com or c@acme.com',
    ]);
    expect(describeScope({ require_details: ['to', 'subject'] })).toEqual([
      '1 use',
      'each use must report to and subject',
    ]);
  });

  it('shortens long lists and long values', () => {
    const [, line] = describeScope({ allowed_ids: [1, 2, 3, 4, 5, 6, 7] });
    expect(line).toBe('ids must be one of 1, 2, 3, 4, 5 and 2 more');
    const [, pattern] = describeScope({ body_pattern: `^${'a'.repeat(300)}$` });
    expect(pattern?.length).toBeLessThan(150);
    expect(pattern?.endsWith('…')).toBe(true);
  });

  it('words time windows, booleans, nulls, lists and nested objects', () => {
    expect(
      describeScope({
        until: '2026-12-01T18:00:00Z',
        not_before: '09:00',
        read_only: true,
        include_attachments: false,
        label: null,
        calendars: ['work', 'family'],
        window: { start: '2026-12-01T09:00:00.000Z', end: '2026-12-01T17:30:00.000Z' },
        folder: 'Inbox',
      }),
    ).toEqual([
      '1 use',
      'until 18:00 UTC on 2026-12-01',
      'from 09:00',
      'read only: yes',
      'include attachments: no',
      'label: none',
      'calendars: work and family',
      'window from 09:00 UTC on 2026-12-01; window until 17:30 UTC on 2026-12-01',
      'folder: Inbox',
    ]);
  });
});

describe('agent-supplied text', () => {
  it('shows controls and bidirectional overrides as \uFFFD, so a line reads as it is', () => {
    expect(describeScope({ note: 'safe\u202Eelif' })).toEqual(['1 use', 'note: safe\uFFFDelif']);
    expect(
      describeOtpRequest({
        sources: ['sms'],
        senderPattern: 'BANK\nApproved',
        expectedSender: null,
        contentPattern: null,
      }),
    ).toEqual(['a code from BANK\uFFFDApproved by SMS']);
  });
});

describe('describePermission', () => {
  it('starts with the action on the resource, then scope and context', () => {
    expect(
      describePermission({
        action: 'calendar.read',
        resource: 'calendar:work',
        scope: { until: '2026-12-01T18:00:00Z' },
        context: { ticket: 'OPS-12' },
      }),
    ).toEqual([
      'may calendar.read on calendar:work',
      '1 use',
      'until 18:00 UTC on 2026-12-01',
      'the agent says ticket: OPS-12',
    ]);
  });

  it('says when a policy replaced the requested scope', () => {
    const lines = describePermission({
      action: 'gmail.send',
      resource: 'email:a@acme.com',
      scope: { max_emails: 1 },
      requestedScope: { max_emails: 5 },
      context: {},
    });
    expect(lines.at(-1)).toBe('a policy replaced what the agent asked for: 1 use; at most 5 emails');
  });
});

describe('describeOtpRequest', () => {
  it('names the sender and the sources', () => {
    expect(
      describeOtpRequest({
        sources: ['sms', 'email'],
        senderPattern: '*@acme.com',
        expectedSender: null,
        contentPattern: null,
      }),
    ).toEqual(['a code from *@acme.com by SMS or email']);
  });

  it('says "any sender" and adds the expected sender and content pattern', () => {
    expect(
      describeOtpRequest({
        sources: ['email'],
        senderPattern: null,
        expectedSender: 'Acme',
        contentPattern: 'login',
      }),
    ).toEqual([
      'a code from any sender by email',
      'the agent expects it from Acme',
      'only from a message matching login',
    ]);
  });
});

describe('shortFingerprint', () => {
  it('shows the first 16 hex digits in groups of 4', () => {
    expect(shortFingerprint('3f9a21c07b44e1d2aabbccddeeff00112233445566778899aabbccddeeff0011')).toBe(
      '3F9A 21C0 7B44 E1D2',
    );
  });
});
