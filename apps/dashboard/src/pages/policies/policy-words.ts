import { describeCondition, type Policy } from '@agent-otp/shared';

/** What a policy decides, in words. */
export const ACTION_WORDS: Readonly<Record<Policy['action'], string>> = {
  auto_approve: 'Approve automatically',
  require_approval: 'Ask me',
  deny: 'Deny',
};

export const TARGET_WORDS: Readonly<Record<Policy['appliesTo'], string>> = {
  permission: 'permission requests',
  otp: 'code requests',
  any: 'permission and code requests',
};

/** An agent the form can restrict a policy to. */
export interface AgentChoice {
  id: string;
  name: string;
}

/** Each condition as a sentence ("action is gmail.send"); none means every request. */
export function conditionSentences(policy: Pick<Policy, 'conditions'>): string[] {
  return Object.entries(policy.conditions).map(([path, operators]) => describeCondition(path, operators));
}

/** Who and what a policy covers: "permission requests of mailer" / "…of every agent". */
export function coverage(policy: Pick<Policy, 'appliesTo' | 'agent'>): string {
  return `${TARGET_WORDS[policy.appliesTo]} of ${policy.agent ? policy.agent.name : 'every agent'}`;
}
