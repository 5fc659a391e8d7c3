import { type AuditEventRecord, listAuditEventRecordsForTarget } from '@agent-otp/db';
import { AppError, type JsonObject, type RequestTimeline, type TimelineStep } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import { getOwnerRequest } from '../otp/list-owner-requests.js';
import { getOwnerPermission } from '../permissions/list-owner-permissions.js';

/** More audit rows than any real request has; bounds the answer for one that was hammered. */
const MAX_STEPS = 500;

const CHANNEL_WORDS: Readonly<Record<string, string>> = {
  dashboard: 'on the dashboard',
  telegram: 'in Telegram',
  cli: 'from the CLI',
  api: 'through the API',
  email: 'by email',
  policy: 'by a policy',
  system: 'by the relay',
};

/**
 * A request's life as its owner reads it: the request (either kind) and one step per audit
 * row about it, oldest first, each in words: who asked with which key and filters, what
 * policy decided or that the owner was asked, who decided on which channel, which source
 * delivered, when the agent read the code or used the token, and how it ended. Another
 * owner's request is NOT_FOUND; the rows are read from the owner's own chain only.
 *
 * @example
 * const { request, steps } = await getRequestTimeline(ctx, ownerId, 'prm_01J…');
 */
export async function getRequestTimeline(
  ctx: CoreContext,
  ownerId: string,
  id: string,
): Promise<RequestTimeline> {
  const request = id.startsWith('prm_')
    ? await getOwnerPermission(ctx, ownerId, id).then((r) => r && { ...r, kind: 'permission' as const })
    : await getOwnerRequest(ctx, ownerId, id).then((r) => r && { ...r, kind: 'otp' as const });
  if (!request) throw new AppError('NOT_FOUND', `no request ${id}`);
  const rows = await listAuditEventRecordsForTarget(ctx.database, {
    chain: ownerId,
    targetId: id,
    limit: MAX_STEPS,
  });
  return { request, steps: rows.map(toStep) };
}

function toStep(row: AuditEventRecord): TimelineStep {
  const verb = row.action.slice(row.action.indexOf('.') + 1);
  const label = text(row.details.actor);
  const { title, detail } = describe(verb, row, label);
  return {
    at: new Date(row.created_at).toISOString(),
    action: row.action,
    title,
    detail,
    actor: { type: row.actor_type, id: row.actor_id, label, channel: row.channel },
    auditId: row.id,
  };
}

function describe(
  verb: string,
  row: AuditEventRecord,
  label: string | null,
): { title: string; detail: string | null } {
  const d = row.details;
  const by = who(row, label);
  switch (verb) {
    case 'requested':
      return { title: `Requested by ${label ?? 'the agent'}`, detail: requestedDetail(d) };
    case 'approved':
    case 'denied':
      return {
        title: `${verb === 'approved' ? 'Approved' : 'Denied'} ${by}`,
        detail: join([channelWords(row), text(d.reason) && `reason: ${text(d.reason)}`]),
      };
    case 'code_delivered':
      return {
        title: `Code delivered by ${d.synthetic === true ? 'the test key (synthetic code)' : (label ?? 'a capture source')}`,
        detail: join([
          text(d.sourceKind) && `${text(d.sourceKind)} source`,
          d.heldForApproval === true ? 'held, encrypted, until you decided' : null,
        ]),
      };
    case 'consumed':
      return { title: 'Code read by the agent', detail: 'the ciphertext was handed out once and erased' };
    case 'token_issued':
      return {
        title: 'Token handed to the agent',
        detail: join([uses(d.uses, 'granted'), text(d.expiresAt) && `valid until ${text(d.expiresAt)}`]),
      };
    case 'used':
      return {
        title: 'Token used',
        detail: join([
          uses(d.usesRemaining, 'left'),
          d.scopeChecked === false ? 'no details reported' : null,
        ]),
      };
    case 'use_refused':
      return { title: 'Use of the token refused', detail: text(d.reason) };
    case 'verified':
      return { title: `Token checked ${by}`, detail: null };
    case 'revoked':
      return {
        title: `Token revoked ${by}`,
        detail: join([channelWords(row), uses(d.usesLeft, 'taken away')]),
      };
    case 'cancelled':
      return {
        title: `Cancelled ${by}`,
        detail: join([channelWords(row), d.codeErased === true ? 'the code it held was erased' : null]),
      };
    case 'expired':
      return {
        title: 'Expired',
        detail: join([
          d.codeErased === true ? 'the code it held was erased' : null,
          typeof d.usesLeft === 'number' && d.usesLeft > 0 ? uses(d.usesLeft, 'left unused') : null,
        ]),
      };
    default:
      return { title: `${sentence(verb)} ${by}`, detail: null };
  }
}

function requestedDetail(d: JsonObject): string | null {
  if (typeof d.action === 'string') {
    // A permission request: what, on what, within which scope, and what the policies said.
    return join([
      `${d.action} on ${text(d.resource)}`,
      `scope ${JSON.stringify(d.requestedScope ?? {})}`,
      policyWords(d),
      riskWords(d),
    ]);
  }
  const sender = text(d.expectedSender) ?? text(d.senderPattern) ?? 'any sender';
  const sources = Array.isArray(d.sources) ? d.sources.join(', ') : null;
  const fingerprint = text(d.keyFingerprint);
  return join([
    fingerprint && `key ${fingerprint.slice(0, 16).replace(/(.{4})(?=.)/g, '$1 ')}…`,
    `from ${sender}`,
    sources && `via ${sources}`,
    d.test === true ? 'test key' : policyWords(d),
    riskWords(d),
  ]);
}

function riskWords(d: JsonObject): string | null {
  const level = text(d.risk);
  return level ? `${level} risk` : null;
}

/** What the policies said when the request arrived: which one decided, or that the owner was asked. */
function policyWords(d: JsonObject): string | null {
  const policy = text(d.policy);
  if (d.policyDecision === 'require_approval')
    return policy ? `policy ${policy}: asked you` : 'no policy decided: asked you';
  const decision = text(d.policyDecision);
  if (!decision) return null;
  return `policy ${policy ?? 'unnamed'}: ${decision.replaceAll('_', ' ')}`;
}

function who(row: AuditEventRecord, label: string | null): string {
  switch (row.actor_type) {
    case 'owner':
      return `by ${label ?? 'you'}`;
    case 'policy':
      // A policy actor's label is `policy:<name>`: the words already say it is a policy.
      return `by policy ${label?.replace(/^policy:/, '') ?? row.actor_id ?? ''}`.trim();
    case 'agent':
      return `by the agent${label ? ` ${label}` : ''}`;
    case 'source':
      return `by source ${label ?? row.actor_id ?? ''}`.trim();
    default:
      return 'by the relay';
  }
}

function channelWords(row: AuditEventRecord): string | null {
  if (row.actor_type !== 'owner' || row.channel === null) return null;
  return CHANNEL_WORDS[row.channel] ?? `via ${row.channel}`;
}

function uses(value: unknown, what: string): string | null {
  if (typeof value !== 'number') return null;
  return `${value} ${value === 1 ? 'use' : 'uses'} ${what}`;
}

function text(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

function join(parts: readonly (string | null | undefined | false | '')[]): string | null {
  const kept = parts.filter((part): part is string => typeof part === 'string' && part.length > 0);
  return kept.length > 0 ? kept.join('; ') : null;
}

function sentence(verb: string): string {
  const words = verb.replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
