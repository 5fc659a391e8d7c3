import type {
  ConditionOperator,
  PolicyAction,
  PolicyTarget,
  RiskLevel,
  SafePattern,
} from '@agent-otp/shared';

/** One condition, ready to evaluate: a dotted path and its operators (patterns compiled once). */
export interface CompiledCondition {
  path: string;
  operators: Partial<Record<ConditionOperator, unknown>>;
  pattern: SafePattern | null;
}

/** A policy ready for the engine, from POLICY_FILE or from the database. */
export interface CompiledPolicy {
  /** `pol_…` for database policies, `file:<position>` for file policies. */
  id: string;
  source: 'file' | 'database';
  name: string;
  description: string | null;
  priority: number;
  appliesTo: PolicyTarget;
  conditions: CompiledCondition[];
  /** As written, for listing. */
  rawConditions: Record<string, Record<string, unknown>>;
  action: PolicyAction;
  scopeTemplate: Record<string, unknown> | null;
  /** The risk it gives the requests it matches (issue 15); null: it says nothing. */
  risk: RiskLevel | null;
  /** File policies apply to every owner; database policies to theirs. */
  ownerId: string | null;
  /** Restricts the policy to one agent. */
  agentId: string | null;
  enabled: boolean;
  createdAt: string | null;
  /** Tie-break position: file order first, then database policies oldest first. */
  order: number;
  /** Set when a stored policy can no longer be compiled: it then counts as failing, never as matching. */
  broken: string | null;
}

/** The policies loaded from POLICY_FILE at start-up. */
export interface PolicySet {
  file: string | null;
  policies: readonly CompiledPolicy[];
}

/** A request as the engine sees it; conditions address it by dotted path. */
export interface PolicyInput {
  kind: 'permission' | 'otp';
  ownerId: string;
  action: string;
  resource: string;
  scope: Record<string, unknown>;
  context: Record<string, unknown>;
  agent: { id: string; name: string };
  otp?: {
    sources: string[];
    senderPattern: string | null;
    expectedSender: string | null;
    contentPattern: string | null;
  };
}

/** What the engine decided, and why. */
export interface PolicyOutcome {
  decision: PolicyAction;
  policy: Pick<CompiledPolicy, 'id' | 'name' | 'priority' | 'source'> | null;
  /** The scope to grant: the winner's scopeTemplate, or the requested scope. */
  scope: Record<string, unknown>;
  /** The winner's `risk`, null when there is no winner or it has none. */
  risk: RiskLevel | null;
  failed: Array<{ policy: string; error: string }>;
  explanation: string;
}
