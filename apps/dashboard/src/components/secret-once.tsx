import type { ReactNode } from 'react';
import { CopyButton } from './copy-button.js';

/**
 * A secret the relay will never show again (an API key, a source token): displayed once,
 * with a copy button, until the owner dismisses it. Without `secret`, the children hold the
 * once-only values (a source's signing secret inside its recipe), and `notice` says what the
 * owner must keep.
 */
export function SecretOnce(props: {
  title: string;
  secret?: string | undefined;
  notice?: string;
  onDismiss: () => void;
  children?: ReactNode;
}) {
  return (
    <section className="secret-once" aria-labelledby="secret-title">
      <h2 id="secret-title">{props.title}</h2>
      {props.secret === undefined ? (
        <p>{props.notice ?? 'Copy the secrets now: they are shown only this once.'}</p>
      ) : (
        <>
          <p>Copy it now: it is shown only this once and the relay keeps only a hash of it.</p>
          <div className="secret-row">
            <code className="secret" data-testid="secret-value">
              {props.secret}
            </code>
            <CopyButton text={props.secret} />
          </div>
        </>
      )}
      {props.children}
      <button type="button" className="button secondary" onClick={props.onDismiss}>
        I have stored it
      </button>
    </section>
  );
}
