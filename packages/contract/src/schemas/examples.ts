/**
 * Realistic examples of the contract's request and response bodies, shown by `/docs` and
 * checked against their schemas by Redocly in `npm test` (packages/server/test/openapi-lint.test.ts).
 * One request runs through them: an agent asks for Acme's sign-up code, its owner approves on
 * the dashboard, a mail watcher delivers the code, the agent consumes it.
 */

export const EXAMPLE_IDS = {
  otp: 'otp_01JD2W9X3YH4Q7M5RZ8T6KCB2N',
  permission: 'prm_01JD2WB4N7Q2X9K5M3T8R6VC1H',
  agent: 'agt_01JD2V7K9M4P2Q8X5R3T6W1YZB',
  source: 'src_01JD2V8D3F6H9K2M5P8R1T4W7Y',
  owner: 'usr_01JD2T6A9C2E5G8J1M4P7R0T3V',
  policy: 'pol_01JD2VC5E8G1J4M7P0R3T6W9Y2',
  held: 'hld_01JD2WD7F0H3K6N9Q2S5V8X1Z4',
} as const;

/** The agent's RSA-2048 public key as the SDK exports it (SPKI, base64 DER). */
export const EXAMPLE_PUBLIC_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAoM/blQq7yNCbj5tXhvKM2SBxCY0KWQBuuyh0byS86YCUYHUenjnbNarOvkPHA9BDwrfHmqVhNHddFdx58cgVcsGqosrnXChgBavZPJsGTnElX3MyFSxhdFjzslMmZU4RpLEOYUKm+fudB3x8PtO1DrIhcqO5w+DOuyC299wZ3sqQ9O3lDNWIUr/fBL4KpCYAk/zOV12Bwyv5Q8CjDOCNJ6z+8EC8eiaknPZjuXiTTA5Qd6D72dsGzbyYz932C9vgwCUcv3YAT4aruo4mtzquzvb7eoEZ0+25/Rd07Wq/1t2cOsloK7jm7WOeIp/UQYjQNVr5MV/i8AAFB9OiYXBf2wIDAQAB';

/** SHA-256 of that key's SPKI DER, hex: what the owner compares before approving. */
export const EXAMPLE_KEY_FINGERPRINT = '2dc6a1d0208a32cf3b6d652eb9f2895c33283fa3bbc61049fa9d275e15a838f8';

/**
 * A compact JWE (RSA-OAEP-256 + A256GCM) really sealed to that key, whose protected header
 * names the key (`kid`) and the request (`requestId`), as the SDK and capture sources make them.
 */
export const EXAMPLE_JWE =
  'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiMmRjNmExZDAyMDhhMzJjZjNiNmQ2NTJlYjlmMjg5NWMzMzI4M2ZhM2JiYzYxMDQ5ZmE5ZDI3NWUxNWE4MzhmOCIsInJlcXVlc3RJZCI6Im90cF8wMUpEMlc5WDNZSDRRN001Ulo4VDZLQ0IyTiJ9.JhNUEPaBK7t-DCZ7uOtEO96a4Qjyi42MPwYXSCYfQfjxHWv5DZhe8GPR6ONhoU6XcBwXrFEhgmqQku2rTDDDBcG_7hmzhP8cutwZ_D8cPRnjPqi6NIN-3F8-femltJqu8SCyJWKGgN4mIOFuVxkYirNm6SFKddclypmrT9KoSPvkzHkubJvy6PXOPe7vOmV74TijHOi0gKGhdSOEg1pTXw0_TGJjbFxNgI80gsKTEZHoS-DA5G7oAWozeD0lBuV8cK7ZMmoKNunMTO0xaM4iBz0rGupLcXrX4GAtSj96M4NdXXAZbFylUAMtIymZzBeo6tFbVb0m6tIWWLV8znkdBQ.uniz5Itwcd1YaCRB.7oxhxW7Ft06rf_sZ5GHvYYSlmPG6TkUYJzSYp1C5BzMejsb48cMgue6vm6T3UrEBxI5yaNafQl2Xo_JIERKWINtCNhU0LC3qRE5aGrEcFiWFdMQjNssNN6tkXA4xBCE0B7eb98AzDALJNLw7S5kcihY-YH6CKhzJqkHGu-QYy_aAEuhBezYpbZvj98OZG9w9sCTHObIx-SpObOeB2Vz3A9-4JsHXLiMKxdIV8GX9m1v8746iA_a_I3kpDfw.5PZmDnti0P2o3AOr5Dulvg';

const CREATED = '2026-11-22T13:05:00.000Z';
const APPROVED = '2026-11-22T13:05:41.000Z';
const RECEIVED = '2026-11-22T13:06:12.000Z';
const EXPIRES = '2026-11-22T13:10:00.000Z';

export const CREATE_OTP_REQUEST_EXAMPLE = {
  reason: 'Sign up for Acme website',
  expectedSender: 'Acme',
  filter: { sources: ['email'], senderPattern: '*@acme.com', contentPattern: 'verification code' },
  publicKey: EXAMPLE_PUBLIC_KEY,
  ttl: 300,
  webhookUrl: 'https://agent.example.com/hooks/agent-otp',
};

const DASHBOARD_APPROVAL = {
  outcome: 'approved',
  by: 'owner@example.com',
  channel: 'dashboard',
  at: APPROVED,
};

/** The request once the code is there: approved on the dashboard, code received, not yet consumed. */
export const OTP_REQUEST_EXAMPLE = {
  id: EXAMPLE_IDS.otp,
  status: 'otp_received',
  reason: 'Sign up for Acme website',
  expectedSender: 'Acme',
  filter: { sources: ['email'], senderPattern: '*@acme.com', contentPattern: 'verification code' },
  keyFingerprint: EXAMPLE_KEY_FINGERPRINT,
  approvalUrl: `http://localhost:3000/approvals/${EXAMPLE_IDS.otp}`,
  isTest: false,
  createdAt: CREATED,
  expiresAt: EXPIRES,
  decision: DASHBOARD_APPROVAL,
  otpReceivedAt: RECEIVED,
  consumedAt: null,
};

export const CONSUME_OTP_RESPONSE_EXAMPLE = {
  id: EXAMPLE_IDS.otp,
  status: 'consumed',
  encryptedPayload: EXAMPLE_JWE,
  consumedAt: '2026-11-22T13:06:13.000Z',
};

export const CREATE_PERMISSION_REQUEST_EXAMPLE = {
  action: 'gmail.send',
  resource: 'email:client@example.com',
  scope: { max_emails: 1, subject_pattern: '^Invoice' },
  context: { reason: 'Sending the November invoice to the client' },
  ttl: 300,
};

/** The first read after approval: the only response that carries the token. */
export const PERMISSION_REQUEST_EXAMPLE = {
  id: EXAMPLE_IDS.permission,
  status: 'approved',
  action: 'gmail.send',
  resource: 'email:client@example.com',
  scope: { max_emails: 1, subject_pattern: '^Invoice' },
  requestedScope: { max_emails: 1, subject_pattern: '^Invoice' },
  context: { reason: 'Sending the November invoice to the client' },
  decision: DASHBOARD_APPROVAL,
  policy: null,
  token: 'otp_7hQ2mZ9xK4vB1nR8cT5wY3pL6sD0fG2jH9kM4qV7aE1',
  tokenIssued: true,
  usesRemaining: 1,
  approvalUrl: `http://localhost:3000/approvals/${EXAMPLE_IDS.permission}`,
  createdAt: CREATED,
  expiresAt: EXPIRES,
};

export const VERIFY_TOKEN_BODY_EXAMPLE = { token: PERMISSION_REQUEST_EXAMPLE.token };

export const VERIFY_TOKEN_RESPONSE_EXAMPLE = {
  valid: true,
  id: EXAMPLE_IDS.permission,
  status: 'approved',
  action: 'gmail.send',
  resource: 'email:client@example.com',
  scope: { max_emails: 1, subject_pattern: '^Invoice' },
  usesRemaining: 1,
  expiresAt: EXPIRES,
};

export const USE_TOKEN_BODY_EXAMPLE = {
  token: PERMISSION_REQUEST_EXAMPLE.token,
  actionDetails: { emails: 1, subject: 'Invoice #2026-11 for Example Ltd' },
};

export const USE_TOKEN_RESPONSE_EXAMPLE = {
  success: true,
  id: EXAMPLE_IDS.permission,
  status: 'used',
  usesRemaining: 0,
  usedAt: '2026-11-22T13:07:02.000Z',
};
