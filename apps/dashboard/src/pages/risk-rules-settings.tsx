import type { RiskRule, RiskRuleLevel } from '@agent-otp/shared';
import { useState } from 'react';
import { describeError } from '../api.js';
import { ErrorNotice, Loading } from '../components/states.js';
import { operations } from '../operations.js';
import { useResource } from '../use-resource.js';

const LEVEL_LABELS: Record<RiskRuleLevel, string> = {
  high: 'High',
  elevated: 'Elevated',
  low: 'Low',
  off: 'Off',
};
const LEVEL_CHOICES: RiskRuleLevel[] = ['high', 'elevated', 'low', 'off'];

/** One rule: what it looks for, and a level the owner can change (saved on change). */
function RiskRuleRow(props: { rule: RiskRule; onSaved: (rule: RiskRule) => void }) {
  const { rule } = props;
  // The level being saved: shown while the save is in flight, so the select does not jump back
  // to the old level until the relay answers (on failure it does, beside the error).
  const [saving, setSaving] = useState<RiskRuleLevel | undefined>();
  const [error, setError] = useState<string | undefined>();
  const selectId = `risk-rule-${rule.id}`;

  const save = async (level: RiskRuleLevel) => {
    setSaving(level);
    setError(undefined);
    try {
      props.onSaved(await operations.updateRiskRule(rule.id, { level }));
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(undefined);
    }
  };

  return (
    <li className="risk-rule">
      <div className="field">
        <label htmlFor={selectId}>{rule.id}</label>
        <select
          id={selectId}
          value={saving ?? rule.level}
          disabled={saving !== undefined}
          aria-describedby={`${selectId}-about`}
          onChange={(event) => void save(event.target.value as RiskRuleLevel)}
        >
          {LEVEL_CHOICES.map((level) => (
            <option key={level} value={level}>
              {LEVEL_LABELS[level]}
              {level === rule.defaultLevel ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </div>
      <p id={`${selectId}-about`} className="state-hint">
        {rule.description}
      </p>
      {error && (
        <p className="inline-error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/**
 * Settings › Risk rules: the built-in rules that rate each new request, and the level each
 * gives (or off). A change applies to requests created from then on.
 */
export function RiskRulesSettings() {
  const [rules, reload] = useResource(() => operations.listRiskRules(), []);
  const [saved, setSaved] = useState<Record<string, RiskRule>>({});
  return (
    <section className="card" aria-labelledby="risk-rules-title">
      <h2 id="risk-rules-title">Risk rules</h2>
      <p>
        Every new request is rated low, elevated or high by these rules and by the <code>risk</code> of the
        policy that matches it; approval cards show the level and why. A change applies to new requests only.
      </p>
      {rules.state === 'error' && <ErrorNotice message={rules.error} onRetry={reload} />}
      {rules.state === 'loading' && !rules.data && <Loading what="risk rules" />}
      {rules.data && (
        <ul className="risk-rules">
          {rules.data.rules.map((rule) => (
            <RiskRuleRow
              key={rule.id}
              rule={saved[rule.id] ?? rule}
              onSaved={(changed) => setSaved((all) => ({ ...all, [changed.id]: changed }))}
            />
          ))}
        </ul>
      )}
    </section>
  );
}
