import type { PolicyEvaluation } from '@agent-otp/shared';
import { type FormEvent, useId, useState } from 'react';
import { describeError } from '../../api.js';
import { policyOperations } from '../../policy-operations.js';
import { ACTION_WORDS, type AgentChoice } from './policy-words.js';

function objectOf(label: string, text: string): Record<string, unknown> {
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${label} must be JSON, like {"max_emails": 1}`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`${label} must be a JSON object, like {"max_emails": 1}`);
  return value as Record<string, unknown>;
}

/**
 * "Test a request": describes a request, asks the relay's engine (the same one that decides
 * real requests and `policy:test`) and shows which policy decides and why. Nothing is stored.
 */
export function PolicyTestBox(props: { agents: readonly AgentChoice[]; generation: number }) {
  const id = useId();
  const [kind, setKind] = useState<'permission' | 'otp'>('permission');
  const [action, setAction] = useState('');
  const [resource, setResource] = useState('');
  const [agentId, setAgentId] = useState('');
  const [scope, setScope] = useState('');
  const [context, setContext] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [result, setResult] = useState<{ outcome: PolicyEvaluation; generation: number } | undefined>();

  const run = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    // No earlier answer stays on screen to be read as this one's.
    setResult(undefined);
    try {
      const outcome = await policyOperations.testPolicies({
        kind,
        action: action.trim(),
        resource,
        scope: objectOf('Scope', scope),
        context: objectOf('Context', context),
        ...(agentId === '' ? {} : { agentId }),
      });
      setResult({ outcome, generation: props.generation });
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const outcome = result?.outcome;
  return (
    <section className="card policy-test" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>Test a request</h2>
      <p className="hint">Which policy would decide a request like this, and why. Nothing is stored.</p>
      <form onSubmit={run} aria-label="Test a request">
        <div className="policy-form-grid">
          <div className="field">
            <label htmlFor={`${id}-kind`}>Kind</label>
            <select
              id={`${id}-kind`}
              value={kind}
              onChange={(event) => setKind(event.target.value as 'permission' | 'otp')}
            >
              <option value="permission">Permission</option>
              <option value="otp">Code (OTP)</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-action`}>Action</label>
            <input
              id={`${id}-action`}
              type="text"
              value={action}
              required
              placeholder={kind === 'otp' ? 'otp.request' : 'gmail.send'}
              autoCapitalize="off"
              spellCheck={false}
              onChange={(event) => setAction(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-resource`}>Resource</label>
            <input
              id={`${id}-resource`}
              type="text"
              value={resource}
              placeholder="email:client@example.com"
              autoCapitalize="off"
              spellCheck={false}
              onChange={(event) => setResource(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-agent`}>Agent</label>
            <select id={`${id}-agent`} value={agentId} onChange={(event) => setAgentId(event.target.value)}>
              <option value="">None (agent-specific policies do not apply)</option>
              {props.agents.map((agent) => (
                <option key={agent.id} value={agent.id}>
                  {agent.name}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor={`${id}-scope`}>Scope (JSON, optional)</label>
            <input
              id={`${id}-scope`}
              type="text"
              value={scope}
              placeholder='{"max_emails": 1}'
              spellCheck={false}
              onChange={(event) => setScope(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-context`}>Context (JSON, optional)</label>
            <input
              id={`${id}-context`}
              type="text"
              value={context}
              placeholder='{"recipient": "bob@example.com"}'
              spellCheck={false}
              onChange={(event) => setContext(event.target.value)}
            />
          </div>
        </div>
        <div className="actions">
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Testing…' : 'Test'}
          </button>
        </div>
      </form>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div role="status" aria-live="polite" aria-busy={busy} className="policy-test-result">
        {outcome && (
          <>
            <p className="decision-line">
              Decision: {ACTION_WORDS[outcome.decision]}
              {result.generation !== props.generation && ' (policies changed since: test again)'}
            </p>
            <p>
              {outcome.policy
                ? `Decided by “${outcome.policy.name}” (${outcome.policy.source === 'file' ? 'policy file' : 'database'}, priority ${outcome.policy.priority}).`
                : 'No policy matched: you decide.'}
            </p>
            <p className="hint">Why: {outcome.explanation}</p>
            {outcome.failed.map((failure) => (
              <p key={failure.policy} className="inline-error">
                “{failure.policy}” could not be evaluated: {failure.error}
              </p>
            ))}
          </>
        )}
      </div>
    </section>
  );
}
