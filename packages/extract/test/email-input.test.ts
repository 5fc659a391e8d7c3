import { describe, expect, it } from 'vitest';
import { emailToExtractInput } from '../src/index.js';

describe('emailToExtractInput', () => {
  it('maps a mailparser-shaped message, preferring the bare address', () => {
    const input = emailToExtractInput({
      from: { text: 'Acme <no-reply@acme.com>', value: [{ address: 'no-reply@acme.com', name: 'Acme' }] },
      subject: 'Your code',
      text: 'Code: 123456',
      html: '<p>Code: 123456</p>',
    });
    expect(input).toEqual({
      source: 'email',
      from: 'no-reply@acme.com',
      subject: 'Your code',
      text: 'Code: 123456',
      html: '<p>Code: 123456</p>',
    });
  });

  it('leaves out what the message does not have (html: false)', () => {
    expect(emailToExtractInput({ text: 'hello', html: false })).toEqual({ source: 'email', text: 'hello' });
  });
});
