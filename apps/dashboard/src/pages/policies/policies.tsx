import { comparePolicyDecisionOrder, type Policy } from '@agent-otp/shared';
import { useState } from 'react';
import { Empty, ErrorNotice, Loading } from '../../components/states.js';
import { operations } from '../../operations.js';
import { policyOperations } from '../../policy-operations.js';
import { useTitle } from '../../router.js';
import { useResource } from '../../use-resource.js';
import { type Moves, PolicyCard } from './policy-card.js';
import { PolicyForm } from './policy-form.js';
import { PolicyTestBox } from './policy-test-box.js';
import './policies.css';

const PRIORITY_LIMIT = 1_000_000;

/** The policies as the engine weighs them: the first that matches a request decides it. */
function inDecisionOrder(policies: readonly Policy[]): Policy[] {
  // The API lists them in tie-break order (the file's, then the database's oldest first).
  return policies
    .map((policy, order) => ({ policy, order }))
    .sort((a, b) =>
      comparePolicyDecisionOrder({ ...a.policy, order: a.order }, { ...b.policy, order: b.order }),
    )
    .map(({ policy }) => policy);
}

/** The priority that puts a policy just above (or below) its neighbour; null at either end. */
function movesOf(sorted: readonly Policy[], index: number): Moves {
  const above = sorted[index - 1];
  const below = sorted[index + 1];
  const up = above ? above.priority + 1 : null;
  const down = below ? below.priority - 1 : null;
  return {
    up: up !== null && up <= PRIORITY_LIMIT ? up : null,
    down: down !== null && down >= -PRIORITY_LIMIT ? down : null,
  };
}

/**
 * Policies (issue 15): every policy in decision order, with the file's shown read-only;
 * create, edit, enable/disable, reorder and delete database policies; and a "test a
 * request" box that asks the same engine which policy decides.
 */
export function PoliciesPage() {
  useTitle('Policies');
  const [list, reload] = useResource(() => policyOperations.listPolicies(), []);
  const [agents] = useResource(() => operations.listAgents(), []);
  const [editing, setEditing] = useState<string | 'new' | undefined>();
  const [generation, setGeneration] = useState(0);

  const changed = () => {
    setEditing(undefined);
    setGeneration((g) => g + 1);
    reload();
  };
  const agentChoices = (agents.data?.agents ?? []).filter((agent) => !agent.revokedAt);
  const sorted = inDecisionOrder(list.data?.policies ?? []);

  return (
    <>
      <div className="page-header">
        <h1>Policies</h1>
        {editing !== 'new' && (
          <button type="button" className="button primary" onClick={() => setEditing('new')}>
            New policy
          </button>
        )}
      </div>
      <p className="lead">
        Each new request is checked against these policies from the top: the first that matches decides it
        (approve, ask you, or deny). No match means you decide. Disabled policies are skipped.
      </p>
      {editing === 'new' && (
        <PolicyForm agents={agentChoices} onSaved={changed} onCancel={() => setEditing(undefined)} />
      )}
      <PolicyTestBox agents={agentChoices} generation={generation} />
      <h2 className="section-title">In decision order</h2>
      {list.state === 'error' && <ErrorNotice message={list.error} onRetry={reload} />}
      {list.state === 'loading' && !list.data && <Loading what="policies" />}
      {list.data && sorted.length === 0 && (
        <Empty title="No policies yet">
          Every request waits for your approval. Create one with “New policy”.
        </Empty>
      )}
      {sorted.length > 0 && (
        <ol className="card-list plain policy-list" aria-label="Policies in decision order">
          {sorted.map((policy, index) =>
            editing === policy.id ? (
              <li key={policy.id}>
                <PolicyForm
                  policy={policy}
                  agents={agentChoices}
                  onSaved={changed}
                  onCancel={() => setEditing(undefined)}
                />
              </li>
            ) : (
              <PolicyCard
                key={policy.id}
                policy={policy}
                position={index + 1}
                moves={movesOf(sorted, index)}
                onChange={async (body) => {
                  await policyOperations.updatePolicy(policy.id, body);
                  changed();
                }}
                onEdit={() => setEditing(policy.id)}
                onRemove={async () => {
                  await policyOperations.removePolicy(policy.id);
                  changed();
                }}
              />
            ),
          )}
        </ol>
      )}
    </>
  );
}
