/**
 * What the model reads about each tool: what it does, what the owner sees, and what to do
 * with the result. Kept apart from the wiring so the wording can be reviewed as prose.
 */
export const TOOL_DESCRIPTIONS = {
  request_otp: [
    'Ask your owner (the human you work for) for ONE verification code (OTP) sent by SMS or email, e.g. to finish a sign-up or log-in.',
    'The owner sees your agent name, the reason, the expected sender, the sources and the sender pattern, and approves or denies it (dashboard, CLI or Telegram).',
    'Ask the website to send the code first, then call this tool: messages that arrived up to two minutes before the request still count.',
    'The tool waits (timeoutSeconds, default 50) for the approval and the code, and returns the code itself; the code is encrypted to a key that exists only inside this tool and is erased from the relay once read, so use it right away and do not ask for it twice.',
    'If the wait ends first, you get the request id and status (pending_approval, approved, denied, expired): call get_request_status with the id to keep waiting.',
    'Narrow the request (sources, senderPattern) so no other message can match it.',
  ].join(' '),
  request_permission: [
    'Ask your owner for a one-time permission before a sensitive action (sending an email, paying, deleting), e.g. action "gmail.send", resource "email:client@example.com".',
    'The owner sees your agent name, the action, the resource, the scope (limits such as max_emails) and context.reason, unless one of their policies decides at once.',
    'Waits (timeoutSeconds, default 50) for the decision and returns the status (approved, denied, expired, pending_approval) and, when approved, the permission token: it is shown only once, keep it.',
  ].join(' '),
  get_request_status: [
    'Check a request made earlier with request_otp (otp_… id) or request_permission (prm_… id); timeoutSeconds waits for a change.',
    'For an OTP request whose code has arrived, returns the code (once: it is erased from the relay as it is read).',
    'For a permission approved since you asked, the first check returns its token.',
  ].join(' '),
  cancel_request: [
    'Withdraw a request you no longer need: an OTP request (otp_… id), e.g. after you obtained the code another way, or a permission (prm_… id) you will not use.',
    'The request disappears from the owner’s approval queue; any code it held is erased, and an approved permission’s token stops working.',
  ].join(' '),
} as const;
