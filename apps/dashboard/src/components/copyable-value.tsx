import { useId } from 'react';
import { CopyButton } from './copy-button.js';

/** A labelled value to paste elsewhere (a URL, a secret, a header), with its own copy button. */
export function CopyableValue(props: { label: string; value: string; secret?: boolean; testId?: string }) {
  const labelId = useId();
  return (
    <div className="copyable">
      <dt id={labelId}>
        {props.label}
        {props.secret && <span className="badge secret-badge">secret, shown once</span>}
      </dt>
      <dd className="secret-row">
        <code className="secret" data-testid={props.testId}>
          {props.value}
        </code>
        <CopyButton text={props.value} describedBy={labelId} />
      </dd>
    </div>
  );
}
