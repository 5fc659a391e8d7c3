import { findAgentKeyHistory, type OtpRequestRecord } from '@agent-otp/db';
import type { RiskAssessment, RiskLevel } from '@agent-otp/shared';
import type { CoreContext } from '../context.js';
import type { PolicyOutcome } from '../policies/policy-types.js';
import { assessRisk, type PolicyRisk } from './assess-risk.js';
import { BUILT_IN_RISK_RULES, RISK_RULE_IDS, type RiskRuleId } from './built-in-risk-rules.js';
import { loadRiskRuleSettings } from './risk-rule-settings.js';

const DEFAULT_LEVELS = Object.fromEntries(
  RISK_RULE_IDS.map((id) => [id, BUILT_IN_RISK_RULES[id].defaultLevel]),
) as Record<RiskRuleId, RiskLevel>;

function policyRisk(outcome: PolicyOutcome | null): PolicyRisk | null {
  return outcome?.policy && outcome.risk ? { name: outcome.policy.name, risk: outcome.risk } : null;
}

/**
 * The risk of a new permission request, with the owner's rule settings and the matching
 * policy's `risk`. Stored with the request and never recomputed.
 *
 * @example
 * const risk = await assessPermissionRisk(ctx, ownerId, body, outcome);
 */
export async function assessPermissionRisk(
  ctx: CoreContext,
  ownerId: string,
  request: {
    action: string;
    resource: string;
    scope: Record<string, unknown>;
    context: Record<string, unknown>;
  },
  outcome: PolicyOutcome,
): Promise<RiskAssessment> {
  const settings = await loadRiskRuleSettings(ctx, ownerId);
  return assessRisk({ kind: 'permission', ...request }, settings, policyRisk(outcome), DEFAULT_LEVELS);
}

/**
 * The risk of a new OTP request: a missing sender pattern and a key this agent never used
 * before count. Run before the row is inserted, so the request does not see itself.
 *
 * @example
 * row.risk = await assessOtpRisk(ctx, row, outcome);
 */
export async function assessOtpRisk(
  ctx: CoreContext,
  row: Pick<OtpRequestRecord, 'owner_id' | 'agent_id' | 'key_fingerprint' | 'sender_pattern' | 'reason'>,
  outcome: PolicyOutcome | null,
): Promise<RiskAssessment> {
  const settings = await loadRiskRuleSettings(ctx, row.owner_id);
  const history = await findAgentKeyHistory(ctx.database.db, row.agent_id, row.key_fingerprint);
  return assessRisk(
    {
      kind: 'otp',
      action: 'otp.request',
      resource: '',
      scope: {},
      context: {},
      senderPattern: row.sender_pattern,
      keySeenBefore: history.keySeenBefore,
      agentHasHistory: history.agentHasHistory,
    },
    settings,
    policyRisk(outcome),
    DEFAULT_LEVELS,
  );
}
