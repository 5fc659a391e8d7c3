import type { ReactNode } from 'react';
import { CopyButton } from './copy-button.js';

/**
 * A secret the relay will never show again (an API key, a source token): displayed once,
 * with a copy button, until the owner dismisses it.
 */
export function SecretOnce(props: {
  title: string;
  secret: string;
  onDismiss: () => void;
  children?: ReactNode;
}) {
  return (
    <section className="secret-once" aria-labelledby="secret-title">
      <h2 id="secret-title">{props.title}</h2>
      <p>Copy it now: it is shown only this once and the relay keeps only a hash of it.</p>
      <div className="secret-row">
        <code className="secret" data-testid="secret-value">
          {props.secret}
        </code>
        <CopyButton text={props.secret} />
      </div>
      {props.children}
      <button type="button" className="button secondary" onClick={props.onDismiss}>
        I have stored it
      </button>
    </section>
  );
}
