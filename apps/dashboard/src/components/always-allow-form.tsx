import { CONDITION_OPERATOR_WORDS, type PolicyDraft } from '@agent-otp/shared';
import { useEffect, useId, useState } from 'react';
import { describeError } from '../api.js';
import { policyDraftOperations } from '../policy-draft-operations.js';
import { Link } from '../router.js';

type Conditions = PolicyDraft['policy']['conditions'];

/** One condition as the form edits it: a path, one operator and its operand as text. */
interface ConditionRow {
  path: string;
  operator: string;
  /** The operand as typed: lists comma-separated. */
  text: string;
  /** The operand's JSON type, so an edited "1" goes back as the number 1. */
  type: 'string' | 'number' | 'boolean' | 'list';
  keep: boolean;
}

function rowsOf(conditions: Conditions): ConditionRow[] {
  const rows: ConditionRow[] = [];
  for (const [path, operators] of Object.entries(conditions))
    for (const [operator, operand] of Object.entries(operators)) {
      const type = Array.isArray(operand)
        ? 'list'
        : typeof operand === 'number'
          ? 'number'
          : typeof operand === 'boolean'
            ? 'boolean'
            : 'string';
      const text = Array.isArray(operand) ? operand.map(String).join(', ') : String(operand);
      rows.push({ path, operator, text, type, keep: true });
    }
  return rows;
}

function operandOf(row: ConditionRow): unknown {
  switch (row.type) {
    case 'number':
      return Number(row.text);
    case 'boolean':
      return row.text.trim() === 'true';
    case 'list':
      return row.text
        .split(',')
        .map((item) => item.trim())
        .filter((item) => item.length > 0);
    default:
      return row.text;
  }
}

function conditionsOf(rows: readonly ConditionRow[]): Conditions {
  const conditions: Record<string, Record<string, unknown>> = {};
  for (const row of rows) {
    if (!row.keep) continue;
    conditions[row.path] = { ...conditions[row.path], [row.operator]: operandOf(row) };
  }
  return conditions as Conditions;
}

/** "exists: false" reads as a sentence, not as an operand to edit. */
function conditionLabel(row: ConditionRow): string {
  if (row.operator === 'exists') return `${row.path} ${row.text === 'true' ? 'is set' : 'is not set'}`;
  return `${row.path} ${CONDITION_OPERATOR_WORDS[row.operator] ?? row.operator}`;
}

/**
 * "Always allow like this": the relay's draft of a policy from this request, shown as an
 * editable form (name, priority, each condition kept or dropped and its value) and saved
 * only on "Save policy" through the policy API, which audits it. A high-risk request shows
 * the relay's warning and asks for an explicit confirmation first.
 */
export function AlwaysAllowForm(props: { requestId: string; onClose: () => void }) {
  const [draft, setDraft] = useState<PolicyDraft | undefined>();
  const [name, setName] = useState('');
  const [priority, setPriority] = useState('0');
  const [rows, setRows] = useState<ConditionRow[]>([]);
  const [confirmedRisk, setConfirmedRisk] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<string | undefined>();
  const id = useId();

  useEffect(() => {
    let current = true;
    policyDraftOperations.getPolicyDraft(props.requestId).then(
      (loaded) => {
        if (!current) return;
        setDraft(loaded);
        setName(loaded.policy.name);
        setPriority(String(loaded.policy.priority));
        setRows(rowsOf(loaded.policy.conditions));
      },
      (failure: unknown) => current && setError(describeError(failure)),
    );
    return () => {
      current = false;
    };
  }, [props.requestId]);

  const save = async () => {
    if (!draft) return;
    setSaving(true);
    setError(undefined);
    try {
      const policy = await policyDraftOperations.createPolicy({
        ...draft.policy,
        name: name.trim(),
        priority: Number(priority),
        conditions: conditionsOf(rows),
      });
      setSaved(policy.name);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(false);
    }
  };

  if (saved)
    return (
      <div className="always-allow saved" role="status">
        <p>
          Policy “{saved}” saved: the next request like this one is approved at once. You can change, disable
          or delete it on the <Link href="/policies">Policies</Link> page.
        </p>
        <button type="button" className="button small secondary" onClick={props.onClose}>
          Close
        </button>
      </div>
    );

  return (
    <form
      className="always-allow"
      aria-label="Always allow like this"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
    >
      <p className="always-allow-title">Always allow requests like this</p>
      {!draft && !error && <p className="hint">Preparing the policy…</p>}
      {draft?.warning && (
        <div className="always-allow-warning" role="alert">
          <p>{draft.warning}</p>
          <label className="check">
            <input
              type="checkbox"
              checked={confirmedRisk}
              onChange={(event) => setConfirmedRisk(event.target.checked)}
            />{' '}
            I understand: approve such requests without asking me
          </label>
        </div>
      )}
      {draft && (
        <>
          <div className="field">
            <label htmlFor={`${id}-name`}>Name</label>
            <input
              id={`${id}-name`}
              type="text"
              value={name}
              required
              maxLength={200}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor={`${id}-priority`}>Priority (the highest matching policy decides)</label>
            <input
              id={`${id}-priority`}
              type="number"
              step={1}
              value={priority}
              required
              onChange={(event) => setPriority(event.target.value)}
            />
          </div>
          <fieldset className="always-allow-conditions">
            <legend>
              Applies to {draft.policy.appliesTo === 'otp' ? 'code requests' : 'permission requests'} of this
              agent where (untick to widen)
            </legend>
            {rows.map((row, index) => (
              <div className="condition-row" key={`${row.path}-${row.operator}`}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={row.keep}
                    onChange={(event) =>
                      setRows((all) =>
                        all.map((r, i) => (i === index ? { ...r, keep: event.target.checked } : r)),
                      )
                    }
                  />{' '}
                  <span className="mono">{conditionLabel(row)}</span>
                </label>
                {row.operator !== 'exists' && (
                  <input
                    type="text"
                    aria-label={`Value: ${conditionLabel(row)}`}
                    value={row.text}
                    disabled={!row.keep}
                    onChange={(event) =>
                      setRows((all) =>
                        all.map((r, i) => (i === index ? { ...r, text: event.target.value } : r)),
                      )
                    }
                  />
                )}
              </div>
            ))}
          </fieldset>
          <p className="hint">Decision: approve automatically (the agent gets its code or token at once).</p>
        </>
      )}
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
      <div className="actions">
        <button
          type="submit"
          className="button primary"
          disabled={!draft || saving || (draft.warning !== null && !confirmedRisk)}
        >
          {saving ? 'Saving…' : 'Save policy'}
        </button>
        <button type="button" className="button secondary" onClick={props.onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}
