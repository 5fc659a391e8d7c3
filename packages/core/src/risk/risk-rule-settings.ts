import { listRiskRuleSettings, saveRiskRuleSetting, withTransaction } from '@agent-otp/db';
import { AppError, type RiskLevel, type RiskRule } from '@agent-otp/shared';
import type { Actor } from '../audit/actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { CoreContext } from '../context.js';
import type { RiskRuleSettings } from './assess-risk.js';
import { BUILT_IN_RISK_RULES, RISK_RULE_IDS, type RiskRuleId } from './built-in-risk-rules.js';

function isRuleId(rule: string): rule is RiskRuleId {
  return (RISK_RULE_IDS as readonly string[]).includes(rule);
}

/**
 * The owner's choices for the built-in rules; a stored row naming a rule this release does
 * not know (a newer release wrote it) is ignored rather than trusted.
 *
 * @example
 * const settings = await loadRiskRuleSettings(ctx, ownerId); // { 'new-key': 'off' }
 */
export async function loadRiskRuleSettings(ctx: CoreContext, ownerId: string): Promise<RiskRuleSettings> {
  const settings: RiskRuleSettings = {};
  for (const row of await listRiskRuleSettings(ctx.database.db, ownerId)) {
    if (isRuleId(row.rule)) settings[row.rule] = row.level;
  }
  return settings;
}

/**
 * Every built-in rule as the owner's settings show it: what it looks for, its default level
 * and the level it has for this owner (their choice, or the default), or `off`.
 *
 * @example
 * const rules = await listRiskRules(ctx, ownerId);
 */
export async function listRiskRules(ctx: CoreContext, ownerId: string): Promise<RiskRule[]> {
  const settings = await loadRiskRuleSettings(ctx, ownerId);
  return RISK_RULE_IDS.map((id) => ({
    id,
    description: BUILT_IN_RISK_RULES[id].description,
    defaultLevel: BUILT_IN_RISK_RULES[id].defaultLevel,
    level: settings[id] ?? BUILT_IN_RISK_RULES[id].defaultLevel,
  }));
}

/**
 * Changes an owner's level for one built-in rule (or turns it off) and audits the change.
 * Requests already created keep the assessment they were given.
 *
 * @example
 * await setRiskRuleLevel(ctx, { ownerId, rule: 'new-key', level: 'off', actor });
 */
export async function setRiskRuleLevel(
  ctx: CoreContext,
  options: { ownerId: string; rule: string; level: RiskLevel | 'off'; actor: Actor },
): Promise<RiskRule> {
  const { rule } = options;
  if (!isRuleId(rule))
    throw new AppError('NOT_FOUND', `no risk rule ${rule}: the rules are ${RISK_RULE_IDS.join(', ')}`);
  const updatedAt = ctx.clock.now().toISOString();
  await withTransaction(ctx.database, async (tx) => {
    await saveRiskRuleSetting(tx, { ownerId: options.ownerId, rule, level: options.level, updatedAt });
    await recordAuditEvent(ctx, tx, {
      ownerId: options.ownerId,
      actor: options.actor,
      action: 'risk_rule.changed',
      targetId: rule,
      details: { rule, level: options.level },
    });
  });
  return {
    id: rule,
    description: BUILT_IN_RISK_RULES[rule].description,
    defaultLevel: BUILT_IN_RISK_RULES[rule].defaultLevel,
    level: options.level,
  };
}
