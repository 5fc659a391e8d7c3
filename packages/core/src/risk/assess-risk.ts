import { higherRisk, type RiskAssessment, type RiskLevel, type RiskReason } from '@agent-otp/shared';
import {
  RISK_RULE_CHECKS,
  RISK_RULE_IDS,
  type RiskInput,
  type RiskRuleId,
  scanRequest,
} from './built-in-risk-rules.js';

/** The owner's setting for one rule: a level, or `off`. Rules not listed keep their default. */
export type RiskRuleSettings = Partial<Record<RiskRuleId, RiskLevel | 'off'>>;

/** The policy that matched, when it rates the requests it matches. */
export interface PolicyRisk {
  name: string;
  risk: RiskLevel;
}

/**
 * The risk of a request, as a pure function: every enabled rule that finds something adds a
 * reason at the owner's level for it (or the rule's default), the matching policy's `risk`
 * adds one more, and the request's level is the highest of them (`low` when none).
 *
 * @example
 * assessRisk({ kind: 'permission', action: 'db.drop_table', resource: 'postgres://prod/users', scope: {}, context: {} }, {}, null);
 * // { level: 'high', reasons: [{ rule: 'destructive-verb', … }, { rule: 'production-resource', … }] }
 */
export function assessRisk(
  input: RiskInput,
  settings: RiskRuleSettings,
  policy: PolicyRisk | null,
  defaults: Record<RiskRuleId, RiskLevel>,
): RiskAssessment {
  const reasons: RiskReason[] = [];
  // One walk of the scope and context for every rule: they are agent input.
  const scanned = scanRequest(input);
  for (const rule of RISK_RULE_IDS) {
    const level = settings[rule] ?? defaults[rule];
    if (level === 'off') continue;
    const text = RISK_RULE_CHECKS[rule](input, scanned);
    if (text !== null) reasons.push({ rule, level, text });
  }
  if (policy)
    reasons.push({
      rule: 'policy',
      level: policy.risk,
      text: `the policy "${policy.name}" rates it ${policy.risk}`,
    });
  const level = reasons.reduce<RiskLevel>((highest, reason) => higherRisk(highest, reason.level), 'low');
  return { level, reasons };
}
