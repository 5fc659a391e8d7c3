import { z } from 'zod';
import { RISK_LEVELS } from '../risk-levels.js';

export { RISK_LEVELS } from '../risk-levels.js';
export const RiskLevel = z.enum(RISK_LEVELS).meta({
  id: 'RiskLevel',
  description: '`low`, `elevated` or `high`: the highest level among the reasons and the matching policy.',
});
export type RiskLevel = z.infer<typeof RiskLevel>;

/** One reason a request is risky: which rule said so, how strongly, and why in plain words. */
export const RiskReason = z
  .object({
    rule: z.string().meta({
      description:
        'A built-in rule (`destructive-verb`, `production-resource`, `money`, `broad-otp`, `new-key`) or `policy`.',
    }),
    level: RiskLevel,
    text: z.string().meta({ description: 'Plain words for the owner.' }),
  })
  .meta({ id: 'RiskReason' });
export type RiskReason = z.infer<typeof RiskReason>;

/** The risk of a request, assessed once when it is created and never changed afterwards. */
export const RiskAssessment = z.object({ level: RiskLevel, reasons: z.array(RiskReason) }).meta({
  id: 'RiskAssessment',
  example: {
    level: 'high',
    reasons: [
      {
        rule: 'destructive-verb',
        level: 'high',
        text: "deletes data: the action `db.drop_table` contains the verb 'drop'",
      },
      {
        rule: 'production-resource',
        level: 'elevated',
        text: "touches production: the resource `postgres://prod/users` has the segment 'prod'",
      },
    ],
  },
});
export type RiskAssessment = z.infer<typeof RiskAssessment>;

/** Orders levels: `riskRank('high') > riskRank('low')`. */
export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

/**
 * The higher of two levels.
 *
 * @example
 * higherRisk('low', 'elevated'); // 'elevated'
 */
export function higherRisk(a: RiskLevel, b: RiskLevel): RiskLevel {
  return riskRank(a) >= riskRank(b) ? a : b;
}
