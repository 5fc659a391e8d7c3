import { findPreviousKeyFingerprint } from '@agent-otp/db';
import type {
  AgentKeyHistory,
  DecisionSubjectResponse,
  OwnerOtpRequest,
  RequestKind,
} from '@agent-otp/shared';
import { AppError, describeOtpRequest } from '@agent-otp/shared/stored-values';
import type { Actor } from '../audit/actor.js';
import type { CoreContext } from '../context.js';
import { describeSenderPattern } from '../matching/sender-specificity.js';
import { decideOtpRequest } from '../otp/decide-otp-request.js';
import { getOwnerRequest, listOwnerRequests } from '../otp/list-owner-requests.js';
import type { StepUpProof } from '../owners/passkey-step-up.js';
import { decidePermissionRequest } from '../permissions/decide-permission-request.js';
import { getOwnerPermission, listPendingPermissions } from '../permissions/list-owner-permissions.js';
import { permissionDecisionSubject } from './permission-subject.js';

/**
 * A request that needs (or needed) the owner's decision, in a form every approval channel
 * (CLI, Telegram, dashboard) can show without knowing what kind of request it is. Inferred
 * from the contract's schema, so what core builds is exactly what the API sends.
 */
export type DecisionSubject = DecisionSubjectResponse;

/** One labelled line an approver reads before deciding. Values are plain text, never markup. */
export type DecisionField = DecisionSubject['fields'][number];

/** How the request's key compares with the key of the agent's previous OTP request. */
async function agentKeyHistory(ctx: CoreContext, r: OwnerOtpRequest): Promise<AgentKeyHistory> {
  const previous = await findPreviousKeyFingerprint(ctx.database.db, {
    agentId: r.agent.id,
    id: r.id,
    createdAt: r.createdAt,
  });
  if (previous === null) return 'first_request';
  return previous === r.keyFingerprint ? 'same_as_last_request' : 'new_key';
}

async function fromOtpRequest(
  ctx: CoreContext,
  ownerId: string,
  r: OwnerOtpRequest,
): Promise<DecisionSubject> {
  const facts = {
    sources: r.filter.sources,
    senderPattern: r.filter.senderPattern ?? null,
    expectedSender: r.expectedSender ?? null,
    contentPattern: r.filter.contentPattern ?? null,
  };
  return {
    kind: 'otp',
    id: r.id,
    ownerId,
    agent: r.agent,
    status: r.status,
    pending: r.status === 'pending_approval',
    title: `${r.agent.name} requests a verification code`,
    reason: r.reason,
    fields: [
      { label: 'Expected sender', value: r.expectedSender ?? '(any)' },
      { label: 'Sources', value: r.filter.sources.join(', ') },
      { label: 'Sender pattern', value: describeSenderPattern(r.filter.senderPattern) },
      ...(r.filter.contentPattern ? [{ label: 'Content pattern', value: r.filter.contentPattern }] : []),
      { label: 'Agent key fingerprint', value: r.keyFingerprint },
    ],
    summary: describeOtpRequest(facts),
    details: facts,
    agentKey: { fingerprint: r.keyFingerprint, history: await agentKeyHistory(ctx, r) },
    createdAt: r.createdAt,
    expiresAt: r.expiresAt,
    decision: r.decision,
    ...(r.denialReason === undefined ? {} : { denialReason: r.denialReason }),
    risk: r.risk,
  };
}

/** The kind of a request, from its ID prefix. */
export function requestKindOf(id: string): RequestKind | undefined {
  if (id.startsWith('otp_')) return 'otp';
  if (id.startsWith('prm_')) return 'permission';
  return undefined;
}

/**
 * Any request of an owner as a {@link DecisionSubject}, or undefined if it is not theirs.
 *
 * @example
 * const subject = await getDecisionSubject(ctx, ownerId, 'otp_01J…');
 */
export async function getDecisionSubject(
  ctx: CoreContext,
  ownerId: string,
  id: string,
): Promise<DecisionSubject | undefined> {
  switch (requestKindOf(id)) {
    case 'otp': {
      const request = await getOwnerRequest(ctx, ownerId, id);
      return request ? await fromOtpRequest(ctx, ownerId, request) : undefined;
    }
    case 'permission': {
      const request = await getOwnerPermission(ctx, ownerId, id);
      return request ? permissionDecisionSubject(ownerId, request) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * Every request of an owner still waiting for a decision, oldest first.
 *
 * @example
 * for (const subject of await listPendingDecisions(ctx, ownerId)) console.log(subject.title);
 */
export async function listPendingDecisions(ctx: CoreContext, ownerId: string): Promise<DecisionSubject[]> {
  const { requests } = await listOwnerRequests(ctx, { ownerId, status: 'pending_approval', limit: 200 });
  const permissions = await listPendingPermissions(ctx, ownerId);
  const otpSubjects = await Promise.all(requests.map((r) => fromOtpRequest(ctx, ownerId, r)));
  return [...otpSubjects, ...permissions.map((r) => permissionDecisionSubject(ownerId, r))].sort((a, b) =>
    a.createdAt.localeCompare(b.createdAt),
  );
}

/** An owner's decision as every channel records it. */
export interface OwnerDecision {
  id: string;
  ownerId: string;
  outcome: 'approved' | 'denied';
  actor: Actor;
  /**
   * Why the owner denied it, in their words (validated by the contract's `DenialReason`);
   * the agent receives it. Only with `denied`: an approval carries no reason.
   */
  denialReason?: string;
  /**
   * A fresh passkey assertion for this request; approving a high-risk request needs one
   * (only the dashboard can make it).
   */
  stepUp?: StepUpProof | undefined;
}

/** How a kind's decision treats a high-risk approval. */
export interface DecisionSafeguards {
  /**
   * A passkey step-up for this request was checked before the decision, so a high-risk
   * approval may go through. False (the default): a high-risk approval is refused.
   */
  stepUpChecked?: boolean;
}

/**
 * Approving a high-risk request needs a passkey step-up on every channel (issue 15). An
 * approval that offers one has it checked here, when the request is high risk and still
 * pending (one that is not is left to the transition, which reports how it stands: 409/410).
 * One that offers none (every approval but the dashboard's passkey one) reads nothing here:
 * the decision refuses it from the row it updates, since the risk never changes after
 * creation. Returns whether a step-up was checked.
 */
async function checkOfferedStepUp(ctx: CoreContext, options: OwnerDecision): Promise<boolean> {
  if (options.outcome !== 'approved' || options.stepUp === undefined) return false;
  const subject = await getDecisionSubject(ctx, options.ownerId, options.id);
  if (!subject?.pending || subject.risk?.level !== 'high') return false;
  // Loaded only here: the WebAuthn library is large and most decisions never need it, so
  // commands like `agent-otp pending` start without it (issue 17).
  const { requireStepUp } = await import('../owners/passkey-step-up.js');
  await requireStepUp(ctx, {
    ownerId: options.ownerId,
    requestId: options.id,
    actor: options.actor,
    proof: options.stepUp,
  });
  return true;
}

/**
 * Records an owner's decision on any kind of request; the first decision wins, whatever the
 * channel. For callers that show the request in a form of their own afterwards (read once,
 * after the decision); {@link decideRequest} returns it as a {@link DecisionSubject}.
 *
 * @example
 * await recordDecision(ctx, { id, ownerId, outcome: 'approved', actor });
 */
export async function recordDecision(ctx: CoreContext, options: OwnerDecision): Promise<void> {
  // A reason on an approval would be stored nowhere and shown to no one: refused, not dropped.
  if (options.outcome === 'approved' && options.denialReason !== undefined)
    throw new AppError('VALIDATION_ERROR', 'reason: only a denial carries a reason');
  const kind = requestKindOf(options.id);
  if (kind === undefined) throw new AppError('NOT_FOUND', `no request ${options.id}`);
  const safeguards = { stepUpChecked: await checkOfferedStepUp(ctx, options) };
  if (kind === 'otp') await decideOtpRequest(ctx, options, safeguards);
  else await decidePermissionRequest(ctx, options, safeguards);
}

/**
 * Records an owner's decision on any kind of request; the first decision wins, whatever the
 * channel. Returns the request as it now stands, read once after the decision.
 *
 * @example
 * await decideRequest(ctx, { id, ownerId, outcome: 'denied', actor, denialReason: 'Use staging' });
 */
export async function decideRequest(ctx: CoreContext, options: OwnerDecision): Promise<DecisionSubject> {
  await recordDecision(ctx, options);
  const subject = await getDecisionSubject(ctx, options.ownerId, options.id);
  if (!subject) throw new AppError('NOT_FOUND', `no request ${options.id}`);
  return subject;
}
