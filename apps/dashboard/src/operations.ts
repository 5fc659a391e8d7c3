import type {
  Agent,
  AgentList,
  AgentWebhookSecret,
  AgentWithKey,
  AssignHeldMessageBody,
  AssignHeldMessageResponse,
  AuditEventList,
  AuditEventsQuery,
  AuditVerification,
  CaptureSource,
  CreateAgentBody,
  CreateMailboxSchema,
  CreateSourceBody,
  DecisionSubjectSchema,
  DenyRequestBody,
  DiscardHeldMessageResponse,
  GmailConnectStartSchema,
  MailboxListSchema,
  MailboxNoticeListSchema,
  MailboxPresetsResponseSchema,
  MailboxSchema,
  MailboxTestResultSchema,
  OwnerCaptureSourceList,
  OwnerOtpRequest,
  PasskeyAssertion,
  RiskRule,
  RiskRuleList,
  SessionInfo,
  SetupBody,
  SetupStatus,
  SignedOut,
  SignInBody,
  SourceWithToken,
  TelegramDeepLink,
  TelegramSettings,
  TestMailboxSchema,
  UpdateMailboxSchema,
  UpdateRiskRuleBody,
  WebhookDeliveryList,
  WebhookDeliveryQuery,
} from '@agent-otp/shared';
import type { z } from 'zod';
import { api } from './api.js';

// Every relay operation the dashboard calls, each typed by the schema its route declares
// (the request body's input, the success response's output). The schemas are imported as
// types only: the bundle stays free of zod, and a change to a route's schema is a compile
// error here instead of a page reading a field that is no longer sent.

/** What an operation answers: the output of its route's success schema. */
type Answer<S extends z.ZodType> = Promise<z.output<S>>;

/** A query string whose names are the route's query schema's, so a renamed parameter fails to compile. */
type Query<S extends z.ZodType> = { [K in keyof z.input<S>]?: string };

function withQuery<S extends z.ZodType>(path: string, query: Query<S>): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value) params.set(name, String(value));
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

const segment = encodeURIComponent;

/**
 * The relay's owner operations, named by their operationId.
 *
 * @example
 * const { agents } = await operations.listAgents();
 */
export const operations = {
  getSession: () => api('/session') as Answer<typeof SessionInfo>,
  signIn: (body: z.input<typeof SignInBody>) => api('/session', { body }) as Answer<typeof SessionInfo>,
  signOut: () => api('/session', { method: 'DELETE' }) as Answer<typeof SignedOut>,
  getSetupStatus: () => api('/setup') as Answer<typeof SetupStatus>,
  completeSetup: (body: z.input<typeof SetupBody>) => api('/setup', { body }) as Answer<typeof SessionInfo>,

  listAgents: () => api('/agents') as Answer<typeof AgentList>,
  createAgent: (body: z.input<typeof CreateAgentBody>) =>
    api('/agents', { body }) as Answer<typeof AgentWithKey>,
  rotateAgentKey: (id: string) =>
    api(`/agents/${segment(id)}/rotate-key`, { method: 'POST' }) as Answer<typeof AgentWithKey>,
  revokeAgent: (id: string) =>
    api(`/agents/${segment(id)}/revoke`, { method: 'POST' }) as Answer<typeof Agent>,
  rotateAgentWebhookSecret: (id: string) =>
    api(`/agents/${segment(id)}/rotate-webhook-secret`, { method: 'POST' }) as Answer<
      typeof AgentWebhookSecret
    >,
  listWebhookDeliveries: (query: Query<typeof WebhookDeliveryQuery>) =>
    api(withQuery('/webhooks/deliveries', query)) as Answer<typeof WebhookDeliveryList>,

  listCaptureSources: () => api('/sources') as Answer<typeof OwnerCaptureSourceList>,
  createCaptureSource: (body: z.input<typeof CreateSourceBody>) =>
    api('/sources', { body }) as Answer<typeof SourceWithToken>,
  revokeCaptureSource: (id: string) =>
    api(`/sources/${segment(id)}/revoke`, { method: 'POST' }) as Answer<typeof CaptureSource>,
  getCaptureSource: (id: string) => api(`/sources/${segment(id)}`) as Answer<typeof CaptureSource>,
  rotateCaptureSource: (id: string) =>
    api(`/sources/${segment(id)}/rotate`, { method: 'POST' }) as Answer<typeof SourceWithToken>,

  // listOwnerRequests (both kinds), getRequestTimeline, cancel and revoke: history-operations.ts.
  getOwnerRequest: (id: string) => api(`/requests/${segment(id)}`) as Answer<typeof OwnerOtpRequest>,

  getApproval: (id: string) => api(`/approvals/${segment(id)}`) as Answer<typeof DecisionSubjectSchema>,
  /** `approveRequest` or `denyRequest`. */
  decideApproval: (id: string, outcome: 'approve' | 'deny') =>
    api(`/approvals/${segment(id)}/${outcome}`, { method: 'POST' }) as Answer<typeof DecisionSubjectSchema>,
  /** `approveRequest` with the passkey step-up a high-risk request needs (issue 15). */
  approveWithPasskey: (id: string, passkey: PasskeyAssertion) =>
    api(`/approvals/${segment(id)}/approve`, { body: { passkey } }) as Answer<typeof DecisionSubjectSchema>,
  /** `denyRequest` with the owner's reason, which the agent receives. */
  denyApproval: (id: string, body: z.input<typeof DenyRequestBody>) =>
    api(`/approvals/${segment(id)}/deny`, { body }) as Answer<typeof DecisionSubjectSchema>,

  assignHeldMessage: (id: string, body: z.input<typeof AssignHeldMessageBody>) =>
    api(`/held-messages/${segment(id)}/assign`, { body }) as Answer<typeof AssignHeldMessageResponse>,
  discardHeldMessage: (id: string) =>
    api(`/held-messages/${segment(id)}/discard`, { method: 'POST' }) as Answer<
      typeof DiscardHeldMessageResponse
    >,

  listAuditEvents: (query: Query<typeof AuditEventsQuery>) =>
    api(withQuery('/audit', query)) as Answer<typeof AuditEventList>,
  verifyAuditChain: () => api('/audit/verify', { method: 'POST' }) as Answer<typeof AuditVerification>,

  listMailboxes: () => api('/mailboxes') as Answer<typeof MailboxListSchema>,
  listMailboxNotices: () => api('/mailboxes/notices') as Answer<typeof MailboxNoticeListSchema>,
  listMailboxPresets: () => api('/mailboxes/presets') as Answer<typeof MailboxPresetsResponseSchema>,
  addMailbox: (body: z.input<typeof CreateMailboxSchema>) =>
    api('/mailboxes', { body }) as Answer<typeof MailboxSchema>,
  updateMailbox: (id: string, body: z.input<typeof UpdateMailboxSchema>) =>
    api(`/mailboxes/${segment(id)}`, { method: 'PATCH', body }) as Answer<typeof MailboxSchema>,
  removeMailbox: (id: string) => api(`/mailboxes/${segment(id)}`, { method: 'DELETE' }) as Promise<unknown>,
  testMailboxSettings: (body: z.input<typeof TestMailboxSchema>) =>
    api('/mailboxes/test', { body }) as Answer<typeof MailboxTestResultSchema>,
  startGmailConnect: () =>
    api('/mailboxes/gmail/start', { method: 'POST' }) as Answer<typeof GmailConnectStartSchema>,
  testMailbox: (id: string) =>
    api(`/mailboxes/${segment(id)}/test`, { method: 'POST' }) as Answer<typeof MailboxTestResultSchema>,

  listRiskRules: () => api('/risk-rules') as Answer<typeof RiskRuleList>,
  updateRiskRule: (rule: string, body: z.input<typeof UpdateRiskRuleBody>) =>
    api(`/risk-rules/${segment(rule)}`, { method: 'PUT', body }) as Answer<typeof RiskRule>,

  getTelegramSettings: () => api('/owner/telegram') as Answer<typeof TelegramSettings>,
  createTelegramLink: () =>
    api('/owner/telegram/link', { method: 'POST' }) as Answer<typeof TelegramDeepLink>,
};
