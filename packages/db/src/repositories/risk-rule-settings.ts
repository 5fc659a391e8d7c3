import type { RiskLevel } from '@agent-otp/shared';
import { reusableQuery } from '../reusable-query.js';
import type { Tx } from '../transaction.js';

/** One owner's choice for one built-in risk rule. */
export interface RiskRuleSetting {
  rule: string;
  level: RiskLevel | 'off';
}

/**
 * The built-in risk rules an owner changed, with their chosen level (or `off`); rules not
 * listed keep their default.
 *
 * @example
 * const settings = await listRiskRuleSettings(db, ownerId); // [{ rule: 'new-key', level: 'off' }]
 */
export function listRiskRuleSettings(tx: Tx, ownerId: string): Promise<RiskRuleSetting[]> {
  return riskRuleSettingsOf(tx, ownerId);
}

// Read by every create (issue 18): built and compiled once (reusable-query.ts).
const riskRuleSettingsOf = reusableQuery((db, ownerId: string) =>
  db
    .selectFrom('risk_rule_settings')
    .select(['rule', 'level'])
    .where('owner_id', '=', ownerId)
    .orderBy('rule'),
);

/**
 * Sets an owner's level for one rule, replacing any earlier choice.
 *
 * @example
 * await saveRiskRuleSetting(db, { ownerId, rule: 'money', level: 'elevated', updatedAt: now });
 */
export async function saveRiskRuleSetting(
  tx: Tx,
  setting: RiskRuleSetting & { ownerId: string; updatedAt: string },
): Promise<void> {
  await tx
    .insertInto('risk_rule_settings')
    .values({
      owner_id: setting.ownerId,
      rule: setting.rule,
      level: setting.level,
      updated_at: setting.updatedAt,
    })
    .onConflict((conflict) =>
      conflict
        .columns(['owner_id', 'rule'])
        .doUpdateSet({ level: setting.level, updated_at: setting.updatedAt }),
    )
    .execute();
}

/**
 * Whether an agent made any earlier OTP request, and whether one used this key fingerprint
 * (the `new-key` rule). Two indexed look-ups that stop at the first row.
 *
 * @example
 * const { agentHasHistory, keySeenBefore } = await findAgentKeyHistory(db, agentId, fingerprint);
 */
export async function findAgentKeyHistory(
  tx: Tx,
  agentId: string,
  keyFingerprint: string,
): Promise<{ agentHasHistory: boolean; keySeenBefore: boolean }> {
  const [seen] = await requestWithKeyOf(tx, agentId, keyFingerprint);
  if (seen) return { agentHasHistory: true, keySeenBefore: true };
  const [any] = await anyRequestOf(tx, agentId);
  return { agentHasHistory: any !== undefined, keySeenBefore: false };
}

// Read by every create (issue 18): each built and compiled once (reusable-query.ts).
const requestWithKeyOf = reusableQuery((db, agentId: string, keyFingerprint: string) =>
  db
    .selectFrom('otp_requests')
    .select('id')
    .where('agent_id', '=', agentId)
    .where('key_fingerprint', '=', keyFingerprint)
    .limit(1),
);
const anyRequestOf = reusableQuery((db, agentId: string) =>
  db.selectFrom('otp_requests').select('id').where('agent_id', '=', agentId).limit(1),
);
