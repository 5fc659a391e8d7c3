import { RiskLevel } from '@orrisai/agent-otp-contract';
import { z } from 'zod';

/** A built-in rule's setting: a level, or `off` (the rule adds no reason). */
export const RiskRuleLevel = z
  .enum(['low', 'elevated', 'high', 'off'])
  .meta({ description: 'low, elevated or high: the level the rule gives; off: the rule is not applied.' });
export type RiskRuleLevel = z.infer<typeof RiskRuleLevel>;

/** One built-in risk rule as the owner's settings show it. */
export const RiskRule = z
  .object({
    id: z.string().meta({ example: 'destructive-verb' }),
    description: z.string(),
    defaultLevel: RiskLevel,
    level: RiskRuleLevel.meta({
      description: 'The level for this owner: their choice, else the default; or off.',
    }),
  })
  .meta({
    id: 'RiskRule',
    example: {
      id: 'new-key',
      description: 'A verification-code request with a public key this agent has never used before.',
      defaultLevel: 'elevated',
      level: 'off',
    },
  });
export type RiskRule = z.infer<typeof RiskRule>;

export const RiskRuleList = z.object({ rules: z.array(RiskRule) }).meta({
  id: 'RiskRuleList',
  example: {
    rules: [
      {
        id: 'destructive-verb',
        description:
          'The action or scope contains a verb that deletes or gives away something: delete, drop, destroy, truncate, purge, wipe, revoke, erase, transfer ownership…',
        defaultLevel: 'high',
        level: 'high',
      },
    ],
  },
});

/** Body of `PUT /api/v1/risk-rules/{rule}`. */
export const UpdateRiskRuleBody = z
  .strictObject({ level: RiskRuleLevel })
  .meta({ id: 'UpdateRiskRule', example: { level: 'elevated' } });
export type UpdateRiskRuleBody = z.infer<typeof UpdateRiskRuleBody>;

/** The `{rule}` path parameter: a rule ID as the list names it. */
export const RiskRuleIdParam = z
  .string()
  .regex(/^[a-z][a-z-]{0,39}$/, 'must be a risk rule ID such as destructive-verb')
  .meta({ example: 'destructive-verb' });
