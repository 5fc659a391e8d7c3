import type { CreatePolicyBody, Policy } from '@agent-otp/shared';
import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import type { z } from 'zod';
import { describeError } from '../../api.js';
import {
  type ConditionRow,
  conditionsOf,
  EDITOR_OPERATORS,
  emptyRow,
  operatorWords,
  rowsOf,
  SUGGESTED_PATHS,
} from '../../policy-conditions.js';
import { policyOperations } from '../../policy-operations.js';
import { ACTION_WORDS, type AgentChoice } from './policy-words.js';

const TARGET_CHOICES = [
  ['permission', 'Permission requests'],
  ['otp', 'Code (OTP) requests'],
  ['any', 'Both'],
] as const;

/** A scope as typed; the relay checks its values (numbers, patterns, lists). */
type ScopeTemplate = NonNullable<z.input<typeof CreatePolicyBody>['scopeTemplate']>;

/** A JSON object typed in a text box, or a message saying why it is not one. */
function parseScope(text: string): { scope: ScopeTemplate | null } | { error: string } {
  if (text.trim() === '') return { scope: null };
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return { scope: value as ScopeTemplate };
  } catch {
    // Reported below with the expected shape.
  }
  return { error: 'Scope granted must be a JSON object, like {"max_emails": 1}' };
}

/** One condition of the editor: path (with suggestions), operator in words, operand. */
function ConditionEditorRow(props: {
  row: ConditionRow;
  index: number;
  listId: string;
  onChange: (row: ConditionRow) => void;
  onRemove: () => void;
}) {
  const { row, index } = props;
  const label = `Condition ${index + 1}`;
  return (
    <li className="policy-condition" aria-label={label}>
      <div className="field">
        <label htmlFor={`${props.listId}-path-${row.key}`}>{label}: field</label>
        <input
          id={`${props.listId}-path-${row.key}`}
          type="text"
          list={props.listId}
          value={row.path}
          required
          autoCapitalize="off"
          spellCheck={false}
          onChange={(event) => props.onChange({ ...row, path: event.target.value })}
        />
      </div>
      <div className="field">
        <label htmlFor={`${props.listId}-op-${row.key}`}>{label}: test</label>
        <select
          id={`${props.listId}-op-${row.key}`}
          value={row.operator}
          onChange={(event) => props.onChange({ ...row, operator: event.target.value })}
        >
          {EDITOR_OPERATORS.map((operator) => (
            <option key={operator} value={operator}>
              {operatorWords(operator)}
            </option>
          ))}
        </select>
      </div>
      <div className="field grow">
        <label htmlFor={`${props.listId}-value-${row.key}`}>{label}: value</label>
        <input
          id={`${props.listId}-value-${row.key}`}
          type="text"
          value={row.text}
          placeholder={row.operator === 'in' || row.operator === 'notIn' ? 'a, b, c' : ''}
          spellCheck={false}
          onChange={(event) => props.onChange({ ...row, text: event.target.value })}
        />
      </div>
      <button type="button" className="button secondary small" onClick={props.onRemove}>
        Remove condition {index + 1}
      </button>
    </li>
  );
}

/**
 * Create or edit a database policy: every field of the definition, its agent and priority.
 * The relay checks the whole policy as it would a new one; its message is shown as is.
 */
export function PolicyForm(props: {
  policy?: Policy;
  agents: readonly AgentChoice[];
  onSaved: (policy: Policy) => void;
  onCancel: () => void;
}) {
  const editing = props.policy;
  const id = useId();
  const [name, setName] = useState(editing?.name ?? '');
  const [description, setDescription] = useState(editing?.description ?? '');
  const [action, setAction] = useState<Policy['action']>(editing?.action ?? 'require_approval');
  const [appliesTo, setAppliesTo] = useState<string>(editing?.appliesTo ?? '');
  const [agentId, setAgentId] = useState(editing?.agent?.id ?? '');
  const [priority, setPriority] = useState(String(editing?.priority ?? 0));
  const [risk, setRisk] = useState<string>(editing?.risk ?? '');
  const [rows, setRows] = useState<ConditionRow[]>(() =>
    editing ? rowsOf(editing.conditions) : [emptyRow()],
  );
  const [scopeText, setScopeText] = useState(
    editing?.scopeTemplate ? JSON.stringify(editing.scopeTemplate, null, 2) : '',
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const nameInput = useRef<HTMLInputElement>(null);
  // The button that opened the form is gone; keyboard users continue in the form.
  useEffect(() => nameInput.current?.focus(), []);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const scope = parseScope(scopeText);
    if ('error' in scope) {
      setError(scope.error);
      return;
    }
    setBusy(true);
    setError(undefined);
    const fields = {
      name: name.trim(),
      action,
      priority: Number(priority),
      conditions: conditionsOf(rows),
    };
    try {
      const saved = editing
        ? await policyOperations.updatePolicy(editing.id, {
            ...fields,
            description: description.trim() === '' ? null : description,
            appliesTo: appliesTo === '' ? null : (appliesTo as Policy['appliesTo']),
            agentId: agentId === '' ? null : agentId,
            risk: risk === '' ? null : (risk as NonNullable<Policy['risk']>),
            scopeTemplate: scope.scope,
          })
        : await policyOperations.createPolicy({
            ...fields,
            ...(description.trim() === '' ? {} : { description }),
            ...(appliesTo === '' ? {} : { appliesTo: appliesTo as Policy['appliesTo'] }),
            ...(agentId === '' ? {} : { agentId }),
            ...(risk === '' ? {} : { risk: risk as NonNullable<Policy['risk']> }),
            ...(scope.scope === null ? {} : { scopeTemplate: scope.scope }),
          });
      props.onSaved(saved);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  };

  const title = editing ? `Edit “${editing.name}”` : 'New policy';
  return (
    <form className="card policy-form" aria-label={title} onSubmit={save}>
      <h2 className="policy-form-title">{title}</h2>
      <div className="policy-form-grid">
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            ref={nameInput}
            type="text"
            value={name}
            required
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-action`}>Decision</label>
          <select
            id={`${id}-action`}
            value={action}
            onChange={(event) => setAction(event.target.value as Policy['action'])}
          >
            {Object.entries(ACTION_WORDS).map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-priority`}>Priority (highest matching decides)</label>
          <input
            id={`${id}-priority`}
            type="number"
            step={1}
            value={priority}
            required
            onChange={(event) => setPriority(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={`${id}-agent`}>Agent</label>
          <select id={`${id}-agent`} value={agentId} onChange={(event) => setAgentId(event.target.value)}>
            <option value="">Every agent</option>
            {props.agents.map((agent) => (
              <option key={agent.id} value={agent.id}>
                {agent.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-applies`}>Applies to</label>
          <select
            id={`${id}-applies`}
            value={appliesTo}
            onChange={(event) => setAppliesTo(event.target.value)}
          >
            <option value="">Default (codes if a condition tests otp.*)</option>
            {TARGET_CHOICES.map(([value, words]) => (
              <option key={value} value={value}>
                {words}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-risk`}>Risk it gives matching requests</label>
          <select id={`${id}-risk`} value={risk} onChange={(event) => setRisk(event.target.value)}>
            <option value="">None</option>
            <option value="low">Low</option>
            <option value="elevated">Elevated</option>
            <option value="high">High</option>
          </select>
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-description`}>Description (optional)</label>
        <input
          id={`${id}-description`}
          type="text"
          value={description}
          maxLength={1000}
          onChange={(event) => setDescription(event.target.value)}
        />
      </div>
      <fieldset className="policy-conditions-editor">
        <legend>Conditions (all must hold; none: every request)</legend>
        <datalist id={`${id}-paths`}>
          {SUGGESTED_PATHS.map((path) => (
            <option key={path} value={path} />
          ))}
        </datalist>
        <ol className="policy-condition-list">
          {rows.map((row, index) => (
            <ConditionEditorRow
              key={row.key}
              row={row}
              index={index}
              listId={`${id}-paths`}
              onChange={(changed) => setRows((all) => all.map((r) => (r.key === changed.key ? changed : r)))}
              onRemove={() => setRows((all) => all.filter((r) => r.key !== row.key))}
            />
          ))}
        </ol>
        <p className="hint">
          Numbers and true/false are read as such; lists are comma-separated. Fields: action, resource,
          agent.name, scope.&lt;key&gt;, context.&lt;key&gt;, otp.sources, otp.senderPattern…
        </p>
        <button
          type="button"
          className="button secondary small"
          onClick={() => setRows((all) => [...all, emptyRow()])}
        >
          Add condition
        </button>
      </fieldset>
      <div className="field">
        <label htmlFor={`${id}-scope`}>Scope granted when it approves (JSON, optional)</label>
        <textarea
          id={`${id}-scope`}
          value={scopeText}
          rows={3}
          spellCheck={false}
          placeholder='{"max_emails": 1}'
          onChange={(event) => setScopeText(event.target.value)}
        />
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Saving…' : editing ? 'Save changes' : 'Create policy'}
        </button>
        <button type="button" className="button secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
