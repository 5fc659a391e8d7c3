// What an outside client needs (agent API schemas, error codes, statuses, the JWE payload
// format) lives in the public contract package; the relay's own packages keep importing it
// from here, together with the schemas only the relay and its dashboard use.
export * from '@orrisai/agent-otp-contract';
export * from './app-error.js';
export * from './policy-draft.js';
export * from './policy-order.js';
export * from './request-lines.js';
export * from './schemas/activity.js';
export * from './schemas/approvals.js';
export * from './schemas/capture.js';
export * from './schemas/examples.js';
export * from './schemas/held.js';
export * from './schemas/mailbox-settings.js';
export * from './schemas/owner.js';
export * from './schemas/owner-permissions.js';
export * from './schemas/passkeys.js';
export * from './schemas/policies.js';
export * from './schemas/policy-draft.js';
export * from './schemas/push-subscriptions.js';
export * from './schemas/request-history.js';
export * from './schemas/risk-rules.js';
export * from './schemas/session.js';
export * from './schemas/sms-webhooks.js';
export * from './schemas/sources.js';
export * from './schemas/telegram-settings.js';
export * from './schemas/unclear-messages.js';
export * from './schemas/webhooks.js';
export * from './unstorable-text.js';
