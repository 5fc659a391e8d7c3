import {
  EXAMPLE_IDS,
  EXAMPLE_JWE,
  EXAMPLE_KEY_FINGERPRINT,
  EXAMPLE_PUBLIC_KEY,
  OTP_REQUEST_EXAMPLE,
  PERMISSION_REQUEST_EXAMPLE,
} from '@orrisai/agent-otp-contract';

/**
 * Realistic examples of the relay's own request and response bodies (owner, dashboard and
 * capture-source routes), shown by `/docs` and checked against their schemas by Redocly in
 * `npm test`. They continue the contract's story (see the contract's schemas/examples.ts).
 */

const AT = '2026-11-22T13:05:00.000Z';
const AGENT = { id: EXAMPLE_IDS.agent, name: 'my-assistant' };

export const SIGN_IN_EXAMPLE = { email: 'owner@example.com', password: 'correct horse battery staple' };
export const FIRST_RUN_SETUP_EXAMPLE = {
  token: 'st_4kP9vR2mX7qL1nB8cT5wY3hJ6sD0fG9zK2aE7uM4iQ1',
  email: 'owner@example.com',
  password: 'correct horse battery staple',
};
export const SESSION_EXAMPLE = {
  owner: { id: EXAMPLE_IDS.owner, email: 'owner@example.com' },
  expiresAt: '2026-12-06T13:05:00.000Z',
};
export const SETUP_STATUS_EXAMPLE = { setupRequired: false };
export const SIGNED_OUT_EXAMPLE = { signedOut: true };

export const TELEGRAM_SETTINGS_EXAMPLE = {
  configured: true,
  botUsername: 'agent_otp_bot',
  links: [{ telegramUserId: 184467203, linkedAt: '2026-11-20T09:12:31.000Z' }],
};
export const TELEGRAM_DEEP_LINK_EXAMPLE = {
  url: 'https://t.me/agent_otp_bot?start=tl_7Qm2Xc9LpR4vN8sK1bT6wZ3hY5dJ0aFe',
  bot: 'agent_otp_bot',
  expiresAt: '2026-11-22T13:20:00.000Z',
};

export const CAPTURE_REQUEST_LIST_EXAMPLE = {
  requests: [
    {
      id: EXAMPLE_IDS.otp,
      agentId: EXAMPLE_IDS.agent,
      status: 'approved',
      sources: ['email'],
      expectedSender: 'Acme',
      senderPattern: '*@acme.com',
      contentPattern: 'verification code',
      publicKey: EXAMPLE_PUBLIC_KEY,
      keyFingerprint: EXAMPLE_KEY_FINGERPRINT,
      notBefore: AT,
      createdAt: AT,
      expiresAt: '2026-11-22T13:10:00.000Z',
    },
  ],
  serverTime: '2026-11-22T13:05:42.000Z',
};
export const DELIVER_BODY_EXAMPLE = { encryptedPayload: EXAMPLE_JWE };
export const DELIVER_RESPONSE_EXAMPLE = { id: EXAMPLE_IDS.otp, status: 'otp_received' };

export const CAPTURE_MESSAGE_EXAMPLE = {
  from: 'Acme <no-reply@acme.com>',
  subject: 'Your Acme verification code',
  text: 'Your verification code is 482913. It expires in 10 minutes.',
  receivedAt: '2026-11-22T13:06:12.000Z',
};
export const CAPTURE_MESSAGE_RESULT_EXAMPLE = {
  matched: true,
  requestId: EXAMPLE_IDS.otp,
  status: 'otp_received',
  reason: 'delivered',
};
export const OWNER_CAPTURE_EXAMPLE = {
  source: 'sms',
  from: 'Acme',
  text: 'Acme: 482913 is your verification code.',
};

const SECOND_OTP = 'otp_01JD2WA2K5N8Q1T4W7Z0C3F6H9';
export const HOLD_MESSAGE_EXAMPLE = {
  from: 'no-reply@acme.com',
  receivedAt: '2026-11-22T13:06:12.000Z',
  payloads: [
    { requestId: EXAMPLE_IDS.otp, encryptedPayload: EXAMPLE_JWE },
    { requestId: SECOND_OTP, encryptedPayload: EXAMPLE_JWE },
  ],
};
export const HOLD_MESSAGE_RESULT_EXAMPLE = {
  id: EXAMPLE_IDS.held,
  expiresAt: '2026-11-22T13:16:12.000Z',
  candidates: [EXAMPLE_IDS.otp, SECOND_OTP],
};
export const HELD_MESSAGE_LIST_EXAMPLE = {
  heldMessages: [
    {
      id: EXAMPLE_IDS.held,
      source: 'email',
      sender: 'no-reply@acme.com',
      receivedAt: '2026-11-22T13:06:12.000Z',
      createdAt: '2026-11-22T13:06:12.000Z',
      expiresAt: '2026-11-22T13:16:12.000Z',
      candidates: [
        {
          requestId: EXAMPLE_IDS.otp,
          agent: AGENT,
          reason: 'Sign up for Acme website',
          status: 'approved',
          senderPattern: '*@acme.com',
          senderLabel: '*@acme.com',
          expiresAt: '2026-11-22T13:10:00.000Z',
        },
        {
          requestId: SECOND_OTP,
          agent: { id: 'agt_01JD2V9E4G7J0M3P6S9V2Y5B8D', name: 'travel-booker' },
          reason: 'Log in to Acme to change the booking',
          status: 'pending_approval',
          senderPattern: '*@acme.com',
          senderLabel: '*@acme.com',
          expiresAt: '2026-11-22T13:11:00.000Z',
        },
      ],
    },
  ],
};
export const ASSIGN_HELD_MESSAGE_EXAMPLE = { requestId: EXAMPLE_IDS.otp };
export const ASSIGN_HELD_MESSAGE_RESULT_EXAMPLE = {
  id: EXAMPLE_IDS.held,
  requestId: EXAMPLE_IDS.otp,
  status: 'otp_received',
};
export const DISCARD_HELD_MESSAGE_RESULT_EXAMPLE = { id: EXAMPLE_IDS.held, status: 'discarded' };

/** The risk of an OTP request from an agent's usual key, with a sender pattern. */
const OTP_RISK_EXAMPLE = { level: 'low', reasons: [] };

export const DECISION_SUBJECT_EXAMPLE = {
  kind: 'otp',
  id: EXAMPLE_IDS.otp,
  ownerId: EXAMPLE_IDS.owner,
  agent: AGENT,
  status: 'pending_approval',
  pending: true,
  title: 'my-assistant requests a verification code',
  reason: 'Sign up for Acme website',
  fields: [
    { label: 'Expected sender', value: 'Acme' },
    { label: 'Sources', value: 'email' },
    { label: 'Sender pattern', value: '*@acme.com' },
    { label: 'Content pattern', value: 'verification code' },
    { label: 'Agent key fingerprint', value: EXAMPLE_KEY_FINGERPRINT },
  ],
  summary: [
    'a code from *@acme.com by email',
    'the agent expects it from Acme',
    'only from a message matching verification code',
  ],
  details: {
    sources: ['email'],
    senderPattern: '*@acme.com',
    expectedSender: 'Acme',
    contentPattern: 'verification code',
  },
  agentKey: { fingerprint: EXAMPLE_KEY_FINGERPRINT, history: 'same_as_last_request' },
  createdAt: AT,
  expiresAt: '2026-11-22T13:10:00.000Z',
  decision: null,
  risk: OTP_RISK_EXAMPLE,
};
export const DECISION_SUBJECT_LIST_EXAMPLE = { approvals: [DECISION_SUBJECT_EXAMPLE] };
export const APPROVE_REQUEST_EXAMPLE = {};
export const DENY_REQUEST_EXAMPLE = { reason: 'Use the staging account, not production' };

export const UNCLEAR_MESSAGE_REPORT_EXAMPLE = {
  from: 'no-reply@acme.com',
  receivedAt: '2026-11-22T13:06:12.000Z',
  outcome: 'unclear_code',
  confidence: 0.42,
};
export const UNCLEAR_MESSAGE_REPORT_RESULT_EXAMPLE = { recorded: true };

const SOURCE = {
  id: EXAMPLE_IDS.source,
  name: 'work phone',
  kind: 'sms',
  provider: 'sms-gateway',
  prefix: 'cs_Vb7Q2kN',
  signed: true,
  webhookUrl: `http://localhost:3000/api/v1/sms/sms-gateway/${EXAMPLE_IDS.source}`,
  messagesReceived: 14,
  lastSeenAt: '2026-11-22T13:04:58.000Z',
  lastMessageAt: '2026-11-22T11:47:03.000Z',
  lastError: null,
  lastErrorAt: null,
  createdAt: '2026-11-18T08:30:00.000Z',
  revokedAt: null,
};
export const CAPTURE_SOURCE_EXAMPLE = SOURCE;
export const CAPTURE_SOURCE_LIST_EXAMPLE = { sources: [SOURCE] };
export const CREATE_CAPTURE_SOURCE_EXAMPLE = { kind: 'sms', name: 'work phone', provider: 'sms-gateway' };
export const CAPTURE_SOURCE_WITH_TOKEN_EXAMPLE = {
  source: SOURCE,
  token: 'cs_Vb7Q2kN9xM4pR1tW6yZ3cF8hJ0lS5dG2aE7uK4iB1HU',
  signingSecret: 'Hq7Zp2Wm9Xv4Rk1Tn6Bc3Ld8Fs5Gj0Ya',
  webhookUrl: SOURCE.webhookUrl,
  setup: {
    fields: [
      { label: 'Webhook URL', value: SOURCE.webhookUrl },
      { label: 'Signing key', value: 'Hq7Zp2Wm9Xv4Rk1Tn6Bc3Ld8Fs5Gj0Ya', secret: true },
    ],
  },
};

const AGENT_RECORD = {
  id: EXAMPLE_IDS.agent,
  name: 'my-assistant',
  createdAt: '2026-11-18T08:25:00.000Z',
  revokedAt: null,
  keys: [
    {
      id: 'key_01JD2V7K9N5R3T8W1Y4B7D0F2H',
      prefix: 'ak_live_3fT9xQ7',
      environment: 'live',
      createdAt: '2026-11-18T08:25:00.000Z',
      lastUsedAt: AT,
      revokedAt: null,
    },
  ],
};
export const AGENT_EXAMPLE = AGENT_RECORD;
export const AGENT_LIST_EXAMPLE = { agents: [AGENT_RECORD] };
export const CREATE_AGENT_EXAMPLE = { name: 'my-assistant' };
export const AGENT_WITH_KEY_EXAMPLE = {
  agent: AGENT_RECORD,
  apiKey: 'ak_live_3fT9xQ7mK2vR8nB4cW1yZ6hL0pS5dJ9gA3eU7iM2f9t',
  webhookSecret: 'whsec_SpfW906Rmz9SVZQvBAHLAoqNO9moVqDwcomR2x1jwes',
};
export const AGENT_WEBHOOK_SECRET_EXAMPLE = {
  agentId: EXAMPLE_IDS.agent,
  webhookSecret: 'whsec_5F-AeEjiyhqAh3p-z2dd9yxQiu2vRWBuLnwpME1NfhY',
};

export const OWNER_OTP_REQUEST_EXAMPLE = {
  ...OTP_REQUEST_EXAMPLE,
  agent: AGENT,
  unclearMessages: [
    {
      receivedAt: '2026-11-22T13:05:58.000Z',
      source: 'email',
      from: 'no-reply@acme.com',
      outcome: 'unclear_code',
      confidence: 0.42,
    },
  ],
  risk: OTP_RISK_EXAMPLE,
};

/** A permission request as its owner sees it: never the token, which only the agent gets, once. */
const { token: _ownerNeverSeesTheToken, ...PERMISSION_WITHOUT_TOKEN } = PERMISSION_REQUEST_EXAMPLE;
export const OWNER_PERMISSION_REQUEST_EXAMPLE = { ...PERMISSION_WITHOUT_TOKEN, agent: AGENT, risk: null };

export const AUDIT_EVENT_LIST_EXAMPLE = {
  events: [
    {
      id: 'evt_01JD2WC3M6P9S2V5Y8B1E4H7K0',
      seq: 42,
      at: '2026-11-22T13:05:41.000Z',
      actorType: 'owner',
      actorId: EXAMPLE_IDS.owner,
      channel: 'dashboard',
      action: 'otp.approved',
      targetId: EXAMPLE_IDS.otp,
      details: { agentId: EXAMPLE_IDS.agent },
      hash: 'b7e4c1a9d2f5083e6a1c4b7d0e3f6a9c2b5d8e1f4a7c0b3d6e9f2a5c8b1d4e7f',
    },
  ],
  nextCursor: '41',
};
export const AUDIT_VERIFICATION_EXAMPLE = {
  ok: true,
  checked: 42,
  brokenAt: null,
  heads: [
    {
      chain: EXAMPLE_IDS.owner,
      length: 42,
      legacyLength: 0,
      headHash: 'b7e4c1a9d2f5083e6a1c4b7d0e3f6a9c2b5d8e1f4a7c0b3d6e9f2a5c8b1d4e7f',
      signature: '3c9a6f2e8b1d5047a3e9c6f2b8d1a4e7c0f3b6d9a2e5c8f1b4d7a0e3c6f9b2d5',
    },
  ],
};

const POLICY_CONDITIONS = { action: { equals: 'gmail.send' }, 'scope.max_emails': { lessThanOrEqual: 1 } };
export const CREATE_POLICY_EXAMPLE = {
  name: 'one invoice email',
  description: 'Approve sending a single invoice email without asking',
  action: 'auto_approve',
  appliesTo: 'permission',
  priority: 10,
  conditions: POLICY_CONDITIONS,
  scopeTemplate: { max_emails: 1, subject_pattern: '^Invoice' },
};
const POLICY = {
  id: EXAMPLE_IDS.policy,
  name: 'one invoice email',
  description: 'Approve sending a single invoice email without asking',
  action: 'auto_approve',
  appliesTo: 'permission',
  priority: 10,
  enabled: true,
  conditions: POLICY_CONDITIONS,
  scopeTemplate: { max_emails: 1, subject_pattern: '^Invoice' },
  risk: null,
  agent: null,
  source: 'database',
  createdAt: '2026-11-19T10:00:00.000Z',
};
export const UPDATE_POLICY_EXAMPLE = { priority: 20, enabled: false };
export const POLICY_EXAMPLE = POLICY;
export const POLICY_LIST_EXAMPLE = { policies: [POLICY] };
export const POLICY_REMOVED_EXAMPLE = { id: EXAMPLE_IDS.policy, removed: true };
export const POLICY_TEST_EXAMPLE = {
  kind: 'permission',
  agentId: EXAMPLE_IDS.agent,
  action: 'gmail.send',
  resource: 'email:client@example.com',
  scope: { max_emails: 1 },
};
export const POLICY_EVALUATION_EXAMPLE = {
  decision: 'auto_approve',
  policy: { id: EXAMPLE_IDS.policy, name: 'one invoice email', priority: 10, source: 'database' },
  scope: { max_emails: 1, subject_pattern: '^Invoice' },
  risk: null,
  explanation: '"one invoice email" (priority 10) matched: auto_approve',
  failed: [],
};

export const WEBHOOK_DELIVERY_LIST_EXAMPLE = {
  deliveries: [
    {
      id: 'evt_01JD2WE8G1J4M7P0S3V6Y9B2E5',
      agentId: EXAMPLE_IDS.agent,
      requestId: EXAMPLE_IDS.otp,
      type: 'otp.otp_received',
      url: 'https://agent.example.com/hooks/agent-otp',
      status: 'delivered',
      attempts: 1,
      lastHttpStatus: 204,
      lastError: null,
      createdAt: '2026-11-22T13:06:12.000Z',
      deliveredAt: '2026-11-22T13:06:12.000Z',
      nextAttemptAt: null,
    },
  ],
};
