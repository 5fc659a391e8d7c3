import { describe, expect, it } from 'vitest';
import { decisionKeyboard } from '../src/callback-data.js';

// Issue 15: a high-risk request is approved only in the dashboard with a passkey, so its
// Telegram row is a link there (when Telegram accepts the address as a button) and Deny.
describe('decision keyboard', () => {
  const id = 'prm_01JD2W9X3YH4Q7M5RZ8T6KCB2N';

  it('offers Approve and Deny for an ordinary request', () => {
    expect(decisionKeyboard(id).inline_keyboard).toEqual([
      [
        { text: '✅ Approve', callback_data: `a:${id}` },
        { text: '❌ Deny', callback_data: `d:${id}` },
      ],
    ]);
  });

  it('links a high-risk request to the dashboard instead of an Approve button', () => {
    const url = `https://otp.example.com/approvals/${id}`;
    expect(decisionKeyboard(id, { approveInDashboard: url }).inline_keyboard).toEqual([
      [
        { text: '🔐 Approve in dashboard', url },
        { text: '❌ Deny', callback_data: `d:${id}` },
      ],
    ]);
  });

  it('leaves out a link Telegram would refuse (localhost), keeping Deny', () => {
    const url = `http://localhost:8080/approvals/${id}`;
    expect(decisionKeyboard(id, { approveInDashboard: url }).inline_keyboard).toEqual([
      [{ text: '❌ Deny', callback_data: `d:${id}` }],
    ]);
  });
});
